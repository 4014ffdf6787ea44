using Microsoft.Extensions.Options;

namespace JoeCash.Scheduler.Feeds;

/// <summary>
/// Where the web face is reached from outside (<c>Web:PublicBaseUrl</c>): the feed URLs the technicians
/// subscribe to start with it. Read on its own, so the web host may own the rest of the "Web" section.
/// </summary>
public sealed class FeedOptions
{
    /// <summary>The configuration key.</summary>
    public const string PublicBaseUrlKey = "Web:PublicBaseUrl";

    /// <summary>http(s)://host[:port][/path], without a trailing slash needed.</summary>
    public string PublicBaseUrl { get; set; } = "http://127.0.0.1:8080";

    /// <summary>The feed's https (or http) URL for <paramref name="token"/>.</summary>
    /// <param name="token">The technician's feed token.</param>
    public string FeedUrl(string token) => $"{PublicBaseUrl.TrimEnd('/')}/feed/{token}.ics";

    /// <summary>The same URL as <c>webcal://</c>, which calendar apps open as a subscription.</summary>
    /// <param name="token">The technician's feed token.</param>
    public string WebcalUrl(string token)
    {
        var url = FeedUrl(token);
        return "webcal://" + url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..];
    }
}

/// <summary>Checks <c>Web:PublicBaseUrl</c> at start-up.</summary>
public sealed class FeedOptionsValidator : IValidateOptions<FeedOptions>
{
    public ValidateOptionsResult Validate(string? name, FeedOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Uri.TryCreate(options.PublicBaseUrl, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment) && string.IsNullOrEmpty(uri.UserInfo)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{FeedOptions.PublicBaseUrlKey}: '{options.PublicBaseUrl}' is not an absolute http(s) URL without query, fragment or user name.");
    }
}
