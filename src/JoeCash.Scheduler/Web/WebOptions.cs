using Microsoft.Extensions.Options;

namespace JoeCash.Scheduler.Web;

/// <summary>The "Web" section: where the pages and the API listen, and which reverse proxy is trusted.</summary>
public sealed class WebOptions
{
    public const string Section = "Web";

    /// <summary>False runs the service without pages and API (a node that only sends mail).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Where Kestrel listens, ';'-separated. Loopback by default: put a reverse proxy with HTTPS in front.</summary>
    public string Urls { get; set; } = "http://127.0.0.1:8080";

    /// <summary>The address people and calendars use (the proxy's); links in emails and feeds start with it. Empty: the first of <see cref="Urls"/>.</summary>
    public string PublicBaseUrl { get; set; } = "";

    /// <summary>Addresses of reverse proxies whose X-Forwarded-For / X-Forwarded-Proto are believed. Empty: none is.</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Sign-in attempts per client address and minute before 429.</summary>
    public int SignInAttemptsPerMinute { get; set; } = 10;

    /// <summary>How long a staff session lasts without use.</summary>
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromHours(10);

    /// <summary>/health/ready fails when the oldest message waiting in the outbox is older than this.</summary>
    public TimeSpan ReadyOutboxMaxAge { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>With SMTP configured, /health/ready fails when no message got out for this long while messages wait (degraded when none waits).</summary>
    public TimeSpan ReadySmtpMaxSilence { get; set; } = TimeSpan.FromHours(1);

    /// <summary>True: /metrics answers a scraper on this host (loopback) without a key; always a dispatcher or admin.</summary>
    public bool MetricsFromLoopback { get; set; } = true;

    public IReadOnlyList<string> UrlList => Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>Checks the "Web" section at start-up.</summary>
public sealed class WebOptionsValidator : IValidateOptions<WebOptions>
{
    public ValidateOptionsResult Validate(string? name, WebOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.Enabled && options.UrlList.Count == 0)
        {
            errors.Add("Web:Urls is empty; give an address such as http://127.0.0.1:8080, or set Web:Enabled to false.");
        }

        foreach (var url in options.UrlList)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                errors.Add($"Web:Urls: '{url}' is not an http:// or https:// address.");
            }
        }

        if (options.PublicBaseUrl.Length > 0 && (!Uri.TryCreate(options.PublicBaseUrl, UriKind.Absolute, out var uriBase) || uriBase.Scheme is not ("http" or "https")))
        {
            errors.Add($"Web:PublicBaseUrl: '{options.PublicBaseUrl}' is not an http:// or https:// address.");
        }

        foreach (var proxy in options.KnownProxies)
        {
            if (!System.Net.IPAddress.TryParse(proxy, out _))
            {
                errors.Add($"Web:KnownProxies: '{proxy}' is not an IP address.");
            }
        }

        if (options.SignInAttemptsPerMinute is < 1 or > 1000)
        {
            errors.Add($"Web:SignInAttemptsPerMinute must be between 1 and 1000 (is {options.SignInAttemptsPerMinute}).");
        }

        if (options.SessionIdleTimeout < TimeSpan.FromMinutes(5) || options.SessionIdleTimeout > TimeSpan.FromDays(30))
        {
            errors.Add($"Web:SessionIdleTimeout must be between 00:05:00 and 30.00:00:00 (is {options.SessionIdleTimeout}).");
        }

        if (options.ReadyOutboxMaxAge < TimeSpan.FromMinutes(1) || options.ReadySmtpMaxSilence < TimeSpan.FromMinutes(1))
        {
            errors.Add("Web:ReadyOutboxMaxAge and Web:ReadySmtpMaxSilence must be at least 00:01:00.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
