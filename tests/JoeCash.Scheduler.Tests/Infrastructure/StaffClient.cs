using System.Net;
using System.Text.RegularExpressions;

namespace JoeCash.Scheduler.Tests.Infrastructure;

/// <summary>
/// One browser without a browser: a cookie jar, no automatic redirects (tests look at them), and forms posted with
/// the antiforgery token read from the page, as a browser submits them.
/// </summary>
public sealed partial class StaffClient : IDisposable
{
    private readonly HttpClientHandler _handler;

    public StaffClient(Uri address)
    {
        _handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false, UseCookies = true };
        Http = new HttpClient(_handler) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
    }

    public HttpClient Http { get; }

    public CookieContainer Cookies => _handler.CookieContainer;

    public Task<HttpResponseMessage> GetAsync(string path) => Http.GetAsync(new Uri(path, UriKind.Relative));

    public async Task<string> GetPageAsync(string path)
    {
        using var response = await GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path} answered {(int)response.StatusCode}:\n{html}");
        return html;
    }

    /// <summary>Posts <paramref name="fields"/> to <paramref name="action"/> with the antiforgery token of the form page at <paramref name="formPage"/>.</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string formPage, string action, IReadOnlyDictionary<string, string> fields)
    {
        var token = Token(await GetPageAsync(formPage));
        var all = new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = token };
        using var content = new FormUrlEncodedContent(all);
        return await Http.PostAsync(new Uri(action, UriKind.Relative), content);
    }

    public Task<HttpResponseMessage> SignInAsync(string login, string password) =>
        PostFormAsync("/sign-in", "/sign-in", new Dictionary<string, string> { ["login"] = login, ["password"] = password });

    public static string Token(string html) =>
        TokenField().Match(html) is { Success: true } match ? match.Groups[1].Value : throw new InvalidOperationException("The page has no antiforgery token:\n" + html);

    public void Dispose()
    {
        Http.Dispose();
        _handler.Dispose();
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
