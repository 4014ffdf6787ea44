using System.Threading.RateLimiting;
using JoeCash.Scheduler.ShopBooking;
using Microsoft.Extensions.Options;

namespace JoeCash.Scheduler.Web;

/// <summary>
/// The booking page's sign-in: requests per customer number and hour (however many addresses are tried for it, and
/// whether or not it exists, so the limit itself tells nothing), and requests and confirmations per client address and minute.
/// </summary>
public sealed class ShopSignInThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string> _perNumber;
    private readonly PartitionedRateLimiter<string> _perClient;

    public ShopSignInThrottle(IOptions<ShopBookingOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _perNumber = Limiter(options.Value.SignInRequestsPerHourPerNumber, TimeSpan.FromHours(1));
        _perClient = Limiter(options.Value.SignInRequestsPerMinutePerAddress, TimeSpan.FromMinutes(1));
    }

    /// <summary>True if <paramref name="client"/> may ask for a link for <paramref name="number"/> now.</summary>
    public bool TryRequest(string? number, string client)
    {
        if (!TryClient(client))
        {
            return false;
        }

        using var byNumber = _perNumber.AttemptAcquire((number ?? "").Trim().ToUpperInvariant());
        return byNumber.IsAcquired;
    }

    /// <summary>True if <paramref name="client"/> may make one more sign-in request or confirmation now.</summary>
    public bool TryClient(string client)
    {
        using var byClient = _perClient.AttemptAcquire(client);
        return byClient.IsAcquired;
    }

    public void Dispose()
    {
        _perNumber.Dispose();
        _perClient.Dispose();
    }

    private static PartitionedRateLimiter<string> Limiter(int permits, TimeSpan window) => PartitionedRateLimiter.Create<string, string>(key =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = window,
            QueueLimit = 0,
        }));
}
