using System.Threading.RateLimiting;

namespace JoeCash.Scheduler.Web;

/// <summary>
/// Sign-in attempts per client address and minute (the account lockout guards each account; this guards against
/// one address trying many accounts). Only attempts count, not showing the form.
/// </summary>
public sealed class SignInThrottle(int perMinute) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(address =>
        RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = perMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        }));

    /// <summary>True if <paramref name="address"/> may try once more now.</summary>
    public bool TryAttempt(string address)
    {
        using var lease = _limiter.AttemptAcquire(address);
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter.Dispose();
}
