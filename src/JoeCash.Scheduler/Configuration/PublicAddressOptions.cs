using Microsoft.Extensions.Options;

namespace JoeCash.Scheduler.Configuration;

/// <summary>
/// Where the web face is reached from outside (<c>Web:PublicBaseUrl</c>): every link the service hands out — the
/// shops' pages in emails, the technicians' feeds — starts with it. Read on its own, so the web host may own the
/// rest of the "Web" section and a mail-only node still writes the right links.
/// </summary>
public sealed class PublicAddressOptions
{
    /// <summary>The configuration key.</summary>
    public const string Key = "Web:PublicBaseUrl";

    /// <summary>http(s)://host[:port][/path], without a trailing slash needed.</summary>
    public string PublicBaseUrl { get; set; } = "http://127.0.0.1:8080";

    /// <summary>The page where shops book their own appointments; the footer of every email a shop gets names it.</summary>
    public const string BookingPagePath = "/buchen";

    /// <summary>The public URL of <paramref name="path"/> (which starts with a slash).</summary>
    public string Url(string path) => PublicBaseUrl.TrimEnd('/') + path;
}

/// <summary>Checks <c>Web:PublicBaseUrl</c> at start-up.</summary>
public sealed class PublicAddressOptionsValidator : IValidateOptions<PublicAddressOptions>
{
    public ValidateOptionsResult Validate(string? name, PublicAddressOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Uri.TryCreate(options.PublicBaseUrl, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment) && string.IsNullOrEmpty(uri.UserInfo)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{PublicAddressOptions.Key}: '{options.PublicBaseUrl}' is not an absolute http(s) URL without query, fragment or user name.");
    }
}
