using JoeCash.Scheduler.Configuration;

namespace JoeCash.Scheduler.Feeds;

/// <summary>The URLs of a technician's feed, under the service's public address.</summary>
public static class FeedUrls
{
    /// <summary>The feed's https (or http) URL for <paramref name="token"/>.</summary>
    /// <param name="address">The service's public address.</param>
    /// <param name="token">The technician's feed token.</param>
    public static string FeedUrl(this PublicAddressOptions address, string token)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address.Url($"/feed/{token}.ics");
    }

    /// <summary>The same URL as <c>webcal://</c>, which calendar apps open as a subscription.</summary>
    /// <param name="address">The service's public address.</param>
    /// <param name="token">The technician's feed token.</param>
    public static string WebcalUrl(this PublicAddressOptions address, string token)
    {
        var url = address.FeedUrl(token);
        return "webcal://" + url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..];
    }
}
