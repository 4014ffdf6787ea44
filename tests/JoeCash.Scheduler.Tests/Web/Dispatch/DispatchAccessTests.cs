using System.Net;
using JoeCash.Scheduler.Tests.Infrastructure;

namespace JoeCash.Scheduler.Tests.Web.Dispatch;

/// <summary>
/// The dispatcher's pages over HTTP against the real <c>serve --demo</c>: who may open them, forms without the
/// antiforgery token, and a billable booking without the shop's acknowledgment.
/// </summary>
public sealed class DispatchAccessTests : IAsyncLifetime
{
    private static readonly string[] Pages = ["/dispatch", "/dispatch/book", "/dispatch/appointments/1", "/dispatch/shops", "/dispatch/technicians", "/dispatch/billing"];

    private WebServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await WebServer.StartAsync();

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Anonymous_is_sent_to_sign_in_and_a_technician_is_denied_on_every_dispatch_page()
    {
        using var anonymous = _server.Client();
        foreach (var page in Pages)
        {
            using var response = await anonymous.GetAsync(page);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/sign-in?ReturnUrl=", Where(response), StringComparison.Ordinal);
        }

        using var technician = await _server.SignedInAsync(WebServer.Anna);
        foreach (var page in Pages)
        {
            using var response = await technician.GetAsync(page);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/denied", Where(response), StringComparison.Ordinal);
        }

        // A valid token (antiforgery tokens belong to the user, not the form) does not open the door either.
        using var post = await technician.PostFormAsync("/account", "/dispatch/appointments/1?handler=Cancel",
            new Dictionary<string, string> { ["seen.Version"] = "1", ["reason"] = "technician tries" });
        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        Assert.StartsWith("/denied", Where(post), StringComparison.Ordinal);
        var shown = await _server.Cli.RunAsync("show", "1", "--json");
        Assert.Equal("booked", shown.Json.GetProperty("appointment").GetProperty("status").GetString());

        using var dispatcher = await _server.SignedInAsync(WebServer.Dispatcher);
        foreach (var page in Pages)
        {
            await dispatcher.GetPageAsync(page);
        }
    }

    [Fact]
    public async Task An_address_that_does_not_exist_is_the_not_found_page_after_sign_in_never_the_api_answer()
    {
        // A stranger learns nothing about which addresses exist: sign in first, as for every staff page.
        using var anonymous = _server.Client();
        using var unknown = await anonymous.GetAsync("/dispatch/termine");
        Assert.Equal(HttpStatusCode.Redirect, unknown.StatusCode);
        Assert.StartsWith("/sign-in?ReturnUrl=", Where(unknown), StringComparison.Ordinal);

        using var dispatcher = await _server.SignedInAsync(WebServer.Dispatcher);
        using var mistyped = await dispatcher.Http.GetAsync(new Uri("/dispatch/termine", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, mistyped.StatusCode);
        Assert.Equal("text/html", mistyped.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Diese Seite gibt es nicht.", await mistyped.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Under /api the answer stays a problem for scripts, a path with a dot in it too.
        using var api = await anonymous.GetAsync("/api/v1/shops.csv");
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_form_posted_without_the_antiforgery_token_is_refused_with_400_and_changes_nothing()
    {
        using var dispatcher = await _server.SignedInAsync(WebServer.Dispatcher);
        var before = await _server.Cli.RunAsync("show", "1", "--json");
        var version = before.Json.GetProperty("appointment").GetProperty("version").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture);

        using var cancel = new FormUrlEncodedContent(new Dictionary<string, string> { ["seen.Version"] = version, ["reason"] = "forged" });
        using var cancelled = await dispatcher.Http.PostAsync(new Uri("/dispatch/appointments/1?handler=Cancel", UriKind.Relative), cancel);
        Assert.Equal(HttpStatusCode.BadRequest, cancelled.StatusCode);

        using var book = new FormUrlEncodedContent(new Dictionary<string, string> { ["type"] = "fault", ["customer"] = "K10001", ["slot"] = "2030-01-01T09:00:00Z|1" });
        using var booked = await dispatcher.Http.PostAsync(new Uri("/dispatch/book", UriKind.Relative), book);
        Assert.Equal(HttpStatusCode.BadRequest, booked.StatusCode);

        using var accept = new FormUrlEncodedContent(new Dictionary<string, string> { ["id"] = "1" });
        using var accepted = await dispatcher.Http.PostAsync(new Uri("/dispatch?handler=Retry", UriKind.Relative), accept);
        Assert.Equal(HttpStatusCode.BadRequest, accepted.StatusCode);

        var after = await _server.Cli.RunAsync("show", "1", "--json");
        Assert.Equal("booked", after.Json.GetProperty("appointment").GetProperty("status").GetString());
        Assert.Equal(version, after.Json.GetProperty("appointment").GetProperty("version").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_billable_type_without_the_acknowledgment_is_refused_with_the_notice_and_nothing_is_booked()
    {
        using var dispatcher = await _server.SignedInAsync(WebServer.Dispatcher);
        var day = CliDates.WorkingTuesday(4);
        var search = $"/dispatch/book?type=training&customer=K10001&technician=any&from={day.Text()}&days=1";
        var page = await dispatcher.GetPageAsync(search);
        Assert.Contains("id=\"cost-notice\"", page, StringComparison.Ordinal);
        Assert.Contains("Die Filiale hat den Kostenhinweis am Telefon akzeptiert.", page, StringComparison.Ordinal);
        var slot = System.Text.RegularExpressions.Regex.Match(page, "name=\"slot\" value=\"([^\"]+)\"").Groups[1].Value;
        Assert.NotEmpty(slot);
        var mailBefore = (await _server.Cli.RunAsync("mail", "list", "--json")).Stdout;

        using var refused = await dispatcher.PostFormAsync(search, "/dispatch/book", new Dictionary<string, string>
        {
            ["type"] = "training", ["customer"] = "K10001", ["technician"] = "any", ["from"] = day.Text(), ["days"] = "1", ["slot"] = slot, ["notes"] = "Kassenschulung",
        });
        var html = await refused.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("Nicht gebucht: die Filiale muss den Kostenhinweis akzeptieren.", html, StringComparison.Ordinal);
        Assert.Contains("id=\"ack-error\"", html, StringComparison.Ordinal);
        Assert.Contains("Kassenschulung", html, StringComparison.Ordinal);

        // Nothing booked: no appointment after the demo's, no new email in the outbox.
        var demoCount = 0;
        while ((await _server.Cli.RunAsync("show", (demoCount + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), "--json")).ExitCode == 0)
        {
            demoCount++;
        }

        Assert.Equal(5, demoCount);
        Assert.Equal(Count(mailBefore), Count((await _server.Cli.RunAsync("mail", "list", "--json")).Stdout));

        using var acknowledged = await dispatcher.PostFormAsync(search, "/dispatch/book", new Dictionary<string, string>
        {
            ["type"] = "training", ["customer"] = "K10001", ["technician"] = "any", ["from"] = day.Text(), ["days"] = "1", ["slot"] = slot, ["acknowledgeCost"] = "true",
        });
        Assert.Equal(HttpStatusCode.Redirect, acknowledged.StatusCode);
        Assert.Equal("/dispatch/appointments/6?booked=true", acknowledged.Headers.Location!.OriginalString);
        var shown = await _server.Cli.RunAsync("show", "6", "--json");
        Assert.True(shown.Json.GetProperty("appointment").GetProperty("costAcknowledged").GetBoolean());
        Assert.Equal(WebServer.Dispatcher, shown.Json.GetProperty("appointment").GetProperty("bookedBy").GetString());
    }

    /// <summary>The redirect's path and query, whether the server sent it absolute or relative.</summary>
    private static string Where(HttpResponseMessage response) =>
        response.Headers.Location is { IsAbsoluteUri: true } absolute ? absolute.PathAndQuery : response.Headers.Location!.OriginalString;

    private static int Count(string mailListJson) => System.Text.RegularExpressions.Regex.Count(mailListJson, "\"messageId\"");
}
