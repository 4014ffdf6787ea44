using System.Threading.RateLimiting;
using JoeCash.Scheduler.ShopLinks;
using Microsoft.Extensions.Options;

namespace JoeCash.Scheduler.Web;

/// <summary>
/// Requests to the shops' pages per link and per client address and minute: a link guessed at or replayed by a
/// script is slowed down, and so is one address trying many links. Opening a page counts as much as an action.
/// </summary>
public sealed class ShopLinkThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string> _perLink;
    private readonly PartitionedRateLimiter<string> _perAddress;

    public ShopLinkThrottle(IOptions<ShopLinkOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _perLink = Limiter(options.Value.RequestsPerMinutePerLink);
        _perAddress = Limiter(options.Value.RequestsPerMinutePerAddress);
    }

    /// <summary>True if one more request for <paramref name="token"/> from <paramref name="address"/> may go ahead now.</summary>
    public bool TryRequest(string token, string address)
    {
        using var byAddress = _perAddress.AttemptAcquire(address);
        if (!byAddress.IsAcquired)
        {
            return false;
        }

        using var byLink = _perLink.AttemptAcquire(token);
        return byLink.IsAcquired;
    }

    public void Dispose()
    {
        _perLink.Dispose();
        _perAddress.Dispose();
    }

    private static PartitionedRateLimiter<string> Limiter(int perMinute) => PartitionedRateLimiter.Create<string, string>(key =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = perMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        }));
}
