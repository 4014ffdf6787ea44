using System.Net;
using JoeCash.Scheduler.Tests.Infrastructure;

namespace JoeCash.Scheduler.Tests.Web;

/// <summary>
/// The sign-in's guards around the accounts, through the real <c>serve</c>: the throttle per client address (429 with
/// Retry-After, even for the right password), the reverse proxy's headers trusted only from Web:KnownProxies (the
/// session cookie Secure behind HTTPS, the throttle keyed on the browser's address), and <c>serve</c> without any
/// account saying how to create the first one.
/// </summary>
public sealed class SignInGuardTests
{
    [Fact]
    public async Task One_address_trying_many_accounts_gets_429_with_retry_after_even_with_the_right_password()
    {
        // The proxy setting names another host: this client's forwarded headers are not believed.
        await using var server = await WebServer.StartAsync(settings: new Dictionary<string, string>
        {
            ["Web:SignInAttemptsPerMinute"] = "3",
            ["Web:KnownProxies:0"] = "10.9.8.7",
        });
        for (var i = 0; i < 3; i++)
        {
            // A new forwarded address each time does not buy new attempts from an unknown sender.
            using var wrong = await AttemptAsync(server, $"nobody{i}@joecash.test", "guessed", ForwardedFor($"203.0.113.{i + 1}"));
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.Response.StatusCode);
        }

        using var right = await AttemptAsync(server, WebServer.Dispatcher, server.DemoPassword!, ForwardedFor("203.0.113.99"));
        Assert.Equal(HttpStatusCode.TooManyRequests, right.Response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(60), right.Response.Headers.RetryAfter?.Delta);
        Assert.Contains("Zu viele Anmeldeversuche von dieser Adresse. Bitte warten Sie eine Minute.", await right.Response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(right.SessionCookie);

        // X-Forwarded-Proto from an unknown sender is ignored too: plain HTTP, no Secure cookie.
        using var http = await FormAsync(server, new Dictionary<string, string> { ["X-Forwarded-Proto"] = "https" });
        Assert.DoesNotContain(http.Cookies, c => c.Contains("; secure", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Behind_a_known_proxy_the_session_cookie_is_secure_and_the_throttle_counts_the_browsers_address()
    {
        await using var server = await WebServer.StartAsync(settings: new Dictionary<string, string>
        {
            ["Web:SignInAttemptsPerMinute"] = "2",
            ["Web:KnownProxies:0"] = "127.0.0.1",
        });
        var https = new Dictionary<string, string> { ["X-Forwarded-Proto"] = "https", ["X-Forwarded-For"] = "198.51.100.10" };
        using var signedIn = await AttemptAsync(server, WebServer.Dispatcher, server.DemoPassword!, https);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.Response.StatusCode);
        Assert.NotNull(signedIn.SessionCookie);
        Assert.Contains("; secure", signedIn.SessionCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; httponly", signedIn.SessionCookie, StringComparison.OrdinalIgnoreCase);

        // 198.51.100.10 has used one of its two attempts; one more wrong one, then it is throttled.
        using var wrong = await AttemptAsync(server, "nobody@joecash.test", "guessed", https);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.Response.StatusCode);
        using var throttled = await AttemptAsync(server, WebServer.Anna, server.DemoPassword!, https);
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.Response.StatusCode);

        // Another browser behind the same proxy still signs in: the proxy's own address is not what counts.
        using var other = await AttemptAsync(server, WebServer.Anna, server.DemoPassword!, ForwardedFor("198.51.100.20"));
        Assert.Equal(HttpStatusCode.Redirect, other.Response.StatusCode);
        Assert.DoesNotContain("; secure", other.SessionCookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Serve_without_any_account_says_how_to_create_the_first_admin()
    {
        await using var server = await WebServer.StartAsync(demo: false);
        for (var waited = 0; waited < 100 && !server.Log.Contains("No staff account yet", StringComparison.Ordinal); waited++)
        {
            await Task.Delay(50);
        }

        Assert.Contains("No staff account yet", server.Log, StringComparison.Ordinal);
        Assert.Contains("joecash-scheduler staff add --role admin --email", server.Log, StringComparison.Ordinal);
        Assert.DoesNotContain("Demo sign-in", server.Log, StringComparison.Ordinal);

        // The command it names works, and the account it creates signs in.
        var added = await server.Cli.RunAsync("staff", "add", "--role", "admin", "--email", "chefin@joecash.test", "--name", "Clara Chefin");
        Assert.True(added.ExitCode == 0, added.ToString());
        var password = added.Stdout.Split(": ")[^1].Trim();
        using var client = await server.SignedInAsync("chefin@joecash.test", password);
    }

    private static Dictionary<string, string> ForwardedFor(string address) => new() { ["X-Forwarded-For"] = address };

    /// <summary>The sign-in form fetched and posted with <paramref name="headers"/> on both requests, as a browser behind a proxy would.</summary>
    private static async Task<Attempt> AttemptAsync(WebServer server, string login, string password, IReadOnlyDictionary<string, string> headers)
    {
        using var form = await FormAsync(server, headers);
        using var post = new HttpRequestMessage(HttpMethod.Post, "/sign-in")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["login"] = login, ["password"] = password, ["__RequestVerificationToken"] = form.Token }),
        };
        Add(post, headers, form.Cookies);
        var response = await form.Client.SendAsync(post);
        var session = response.Headers.TryGetValues("Set-Cookie", out var set) ? set.FirstOrDefault(c => c.StartsWith("joecash.staff=", StringComparison.Ordinal)) : null;
        return new Attempt(response, session);
    }

    private static async Task<Form> FormAsync(WebServer server, IReadOnlyDictionary<string, string> headers)
    {
        var client = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = server.Address };
        using var get = new HttpRequestMessage(HttpMethod.Get, "/sign-in");
        Add(get, headers, []);
        using var page = await client.SendAsync(get);
        var cookies = page.Headers.TryGetValues("Set-Cookie", out var set) ? set.ToArray() : [];
        return new Form(client, StaffClient.Token(await page.Content.ReadAsStringAsync()), cookies);
    }

    private static void Add(HttpRequestMessage request, IReadOnlyDictionary<string, string> headers, IReadOnlyList<string> cookies)
    {
        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }

        if (cookies.Count > 0)
        {
            request.Headers.Add("Cookie", string.Join("; ", cookies.Select(c => c.Split(';')[0])));
        }
    }

    private sealed record Form(HttpClient Client, string Token, IReadOnlyList<string> Cookies) : IDisposable
    {
        public void Dispose() => Client.Dispose();
    }

    private sealed record Attempt(HttpResponseMessage Response, string? SessionCookie) : IDisposable
    {
        public void Dispose() => Response.Dispose();
    }
}
