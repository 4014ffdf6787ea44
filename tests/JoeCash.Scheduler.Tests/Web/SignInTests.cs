using System.Net;
using JoeCash.Scheduler.Tests.Infrastructure;

namespace JoeCash.Scheduler.Tests.Web;

/// <summary>Staff sign-in through the real <c>serve</c>: sessions, antiforgery, lockout, throttle, sign-out everywhere, headers.</summary>
public sealed class SignInTests : IAsyncLifetime
{
    private WebServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await WebServer.StartAsync(settings: new Dictionary<string, string> { ["Web:SignInAttemptsPerMinute"] = "30" });

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Serve_says_where_the_pages_are_and_how_to_sign_in_with_the_demo_accounts()
    {
        Assert.Equal("127.0.0.1", _server.Address.Host);
        Assert.Contains($"Web pages at http://127.0.0.1:{_server.Address.Port}", _server.Log, StringComparison.Ordinal);
        Assert.Contains("Demo sign-in: dispatcher disposition@joecash.test; technicians anna.berger@joecash.test", _server.Log, StringComparison.Ordinal);

        using var anna = await _server.SignedInAsync(WebServer.Anna);
        using var dispatcher = await _server.SignedInAsync(WebServer.Dispatcher);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/account")]
    public async Task A_page_without_a_session_sends_the_browser_to_sign_in_and_back(string path)
    {
        using var client = _server.Client();
        using var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/sign-in?ReturnUrl={Uri.EscapeDataString(path)}", response.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task Signing_in_leads_to_the_accounts_own_start_page_and_a_foreign_return_address_is_ignored()
    {
        using var client = _server.Client();
        using var response = await client.PostFormAsync("/sign-in", "/sign-in", new Dictionary<string, string>
        {
            ["login"] = WebServer.Anna, ["password"] = _server.DemoPassword!, ["returnUrl"] = "https://evil.example/phish",
        });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location!.OriginalString);
        using var start = await client.GetAsync("/");
        Assert.Equal("/day", start.Headers.Location!.OriginalString);

        var account = await client.GetPageAsync("/account");
        Assert.Contains("anna.berger@joecash.test", account, StringComparison.Ordinal);
        Assert.Contains("Techniker", account, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_form_without_its_antiforgery_token_is_refused_with_400_and_changes_nothing()
    {
        using var client = await _server.SignedInAsync(WebServer.Jonas);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>());
        using var response = await client.Http.PostAsync(new Uri("/account?handler=Everywhere", UriKind.Relative), form);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        // Still signed in: the sign-out everywhere did not happen.
        Assert.Contains("jonas.keller@joecash.test", await client.GetPageAsync("/account"), StringComparison.Ordinal);

        using var anonymous = _server.Client();
        using var signIn = new FormUrlEncodedContent(new Dictionary<string, string> { ["login"] = WebServer.Jonas, ["password"] = _server.DemoPassword! });
        using var forged = await anonymous.Http.PostAsync(new Uri("/sign-in", UriKind.Relative), signIn);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
    }

    [Fact]
    public async Task Wrong_passwords_lock_the_account_with_429_and_the_right_password_does_not_open_it_then()
    {
        var login = "lea.schmitt@joecash.test";
        using var client = _server.Client();
        for (var i = 0; i < 4; i++)
        {
            using var wrong = await client.SignInAsync(login, "wrong password " + i);
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            Assert.Contains("E-Mail-Adresse oder Passwort stimmen nicht.", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var fifth = await client.SignInAsync(login, "wrong password 5");
        Assert.Equal(HttpStatusCode.TooManyRequests, fifth.StatusCode);
        Assert.True(fifth.Headers.RetryAfter?.Delta > TimeSpan.FromMinutes(14));
        using var right = await client.SignInAsync(login, _server.DemoPassword!);
        Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode);
        Assert.Contains("gesperrt", await right.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // An admin's reset lifts the lockout.
        var reset = await _server.Cli.RunAsync("staff", "reset-password", login);
        Assert.Equal(0, reset.ExitCode);
        var password = reset.Stdout.Split(": ")[^1].Trim();
        using var after = await client.SignInAsync(login, password);
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
    }

    [Fact]
    public async Task Sign_out_everywhere_ends_the_session_on_every_device()
    {
        using var phone = await _server.SignedInAsync(WebServer.Dispatcher);
        using var laptop = await _server.SignedInAsync(WebServer.Dispatcher);
        using var response = await laptop.PostFormAsync("/account", "/account?handler=Everywhere", new Dictionary<string, string>());
        Assert.Equal("/sign-in?signedOut=true", response.Headers.Location!.OriginalString);

        using var onPhone = await phone.GetAsync("/account");
        Assert.Equal(HttpStatusCode.Redirect, onPhone.StatusCode);
        Assert.StartsWith("/sign-in", onPhone.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pages_carry_strict_security_headers_and_are_not_cached()
    {
        using var client = _server.Client();
        using var response = await client.GetAsync("/sign-in");
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.True(response.Headers.CacheControl?.NoStore);
        Assert.False(response.Headers.Contains("Server"));
        var html = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("style=", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_language_follows_the_browser_and_then_the_accounts_choice()
    {
        using var client = _server.Client();
        client.Http.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en-GB,en;q=0.9");
        Assert.Contains("<h1>Sign in</h1>", await client.GetPageAsync("/sign-in"), StringComparison.Ordinal);
        using var signedIn = await client.SignInAsync(WebServer.Anna, _server.DemoPassword!);
        using var chosen = await client.PostFormAsync("/account", "/account?handler=Language", new Dictionary<string, string> { ["language"] = "de" });
        Assert.Contains("<h1>Ihr Konto</h1>", await client.GetPageAsync("/account"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_request_log_names_the_route_never_the_path_or_the_query()
    {
        using var client = _server.Client();
        using var signIn = await client.GetAsync("/sign-in?ReturnUrl=%2Fdispatch%3Fcustomer%3DK10099");
        using var unknown = await client.GetAsync("/no-such-page/secret-token-K10098");
        // An anonymous visitor learns nothing about which addresses exist: sign in first.
        Assert.Equal(HttpStatusCode.Redirect, unknown.StatusCode);
        await Task.Delay(200);
        Assert.Contains("HTTP GET /sign-in 200", _server.Log, StringComparison.Ordinal);
        Assert.DoesNotContain("K10099", _server.Log, StringComparison.Ordinal);
        Assert.DoesNotContain("K10098", _server.Log, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-token", _server.Log, StringComparison.Ordinal);
    }
}
