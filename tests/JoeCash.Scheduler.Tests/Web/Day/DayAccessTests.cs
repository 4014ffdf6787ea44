using System.Net;
using JoeCash.Scheduler.Tests.Infrastructure;

namespace JoeCash.Scheduler.Tests.Web.Day;

/// <summary>
/// Who sees whose day: the pages take the technician from the signed-in account; a dispatcher names one with
/// <c>?technician=</c>; a technician naming someone else gets 404 and none of the data, on every route.
/// </summary>
public sealed class DayAccessTests : IAsyncLifetime
{
    private static readonly string[] Routes = ["/day", "/day/live", "/week", "/print"];

    private WebServer _server = null!;
    private long _anna;
    private long _jonas;
    private string _date = "";

    public async ValueTask InitializeAsync()
    {
        _server = await WebServer.StartAsync();
        _anna = await DayServer.TechnicianIdAsync(_server, WebServer.Anna);
        _jonas = await DayServer.TechnicianIdAsync(_server, WebServer.Jonas);
        _date = CliDates.WorkingTuesday().Text();
        await DayServer.BookAsync(_server, "K10001", "fault", _anna, CliDates.WorkingTuesday().At(10), "Annas Bondrucker");
        await DayServer.BookAsync(_server, "K10004", "pricelist", _jonas, CliDates.WorkingTuesday().At(11), "Preisliste von Jonas");
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private static string PathOf(HttpResponseMessage response) =>
        response.Headers.Location is { IsAbsoluteUri: true } absolute ? absolute.PathAndQuery : response.Headers.Location!.OriginalString;

    [Fact]
    public async Task Anonymous_IsSentToSignIn_OnEveryRoute()
    {
        using var client = _server.Client();
        // The dispatcher's technician picker too (only dispatchers may use it; nobody anonymous).
        foreach (var route in Routes.Append("/day/choose"))
        {
            using var response = await client.GetAsync($"{route}?date={_date}");
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/sign-in?ReturnUrl=", PathOf(response), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ATechnician_SeesTheirOwnDay_AndNeverAnothersByTheAddress()
    {
        using var anna = await _server.SignedInAsync(WebServer.Anna);
        var own = await anna.GetPageAsync($"/day?date={_date}");
        Assert.Contains("Bäckerei Müller GmbH – Filiale Schwabing", own, StringComparison.Ordinal);
        Assert.Contains("Annas Bondrucker", own, StringComparison.Ordinal);
        Assert.DoesNotContain("Preisliste", own, StringComparison.Ordinal);
        Assert.Contains("Anna Berger", await anna.GetPageAsync($"/day?date={_date}&technician={_anna}"), StringComparison.Ordinal);

        foreach (var route in Routes)
        {
            foreach (var other in new[] { $"{_jonas}", "999", "x" })
            {
                using var response = await anna.GetAsync($"{route}?date={_date}&technician={other}");
                var body = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{route} technician={other}: {(int)response.StatusCode}");
                Assert.DoesNotContain("Friseur Schnittpunkt", body, StringComparison.Ordinal);
                Assert.DoesNotContain("Preisliste", body, StringComparison.Ordinal);
                Assert.DoesNotContain("Jonas", body, StringComparison.Ordinal);
                Assert.False(response.Headers.Contains("X-Version"), route);
            }
        }
    }

    [Fact]
    public async Task ADispatcher_ChoosesATechnician_AndSeesTheirDay()
    {
        using var dispatcher = await _server.SignedInAsync(WebServer.Dispatcher);
        using (var response = await dispatcher.GetAsync("/day"))
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal("/day/choose", PathOf(response));
        }

        var choose = await dispatcher.GetPageAsync("/day/choose");
        Assert.Contains($"/day?technician={_jonas}", choose, StringComparison.Ordinal);

        var day = await dispatcher.GetPageAsync($"/day?date={_date}&technician={_jonas}");
        Assert.Contains("Friseur Schnittpunkt – Salon Mitte", day, StringComparison.Ordinal);
        Assert.Contains("Preisliste von Jonas", day, StringComparison.Ordinal);
        Assert.DoesNotContain("Annas Bondrucker", day, StringComparison.Ordinal);
        // Every link keeps the technician the dispatcher chose.
        Assert.Contains($"/week?date={_date}&amp;technician={_jonas}", day, StringComparison.Ordinal);
        Assert.Contains($"/day/live?date={_date}&amp;technician={_jonas}", day, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await dispatcher.GetAsync($"/day?date={_date}&technician=999")).StatusCode);
    }

    [Fact]
    public async Task TheTechniciansChoice_IsForDispatchersOnly()
    {
        using var anna = await _server.SignedInAsync(WebServer.Anna);
        using var response = await anna.GetAsync("/day/choose");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/denied", PathOf(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheLiveFragment_CarriesTheVersionThePageStartsWith_AndABadDateIsRefused()
    {
        using var anna = await _server.SignedInAsync(WebServer.Anna);
        var page = await anna.GetPageAsync($"/day?date={_date}");
        using var live = await anna.GetAsync($"/day/live?date={_date}");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        var version = Assert.Single(live.Headers.GetValues("X-Version"));
        Assert.Contains($"data-version=\"{version}\"", page, StringComparison.Ordinal);
        var fragment = await live.Content.ReadAsStringAsync();
        Assert.StartsWith("<section", fragment.TrimStart(), StringComparison.Ordinal);
        Assert.DoesNotContain("<nav", fragment, StringComparison.Ordinal);
        Assert.Contains("Annas Bondrucker", fragment, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.BadRequest, (await anna.GetAsync("/day?date=2027-02-30")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await anna.GetAsync("/day/live?date=tomorrow")).StatusCode);
    }

    [Fact]
    public async Task ATechnicianInAnotherZone_SeesTheirClock_WithTheZoneNamed_AndTheShopsTimeBeside()
    {
        var added = await _server.Cli.RunAsync("technician", "add", "--name", "Rui Costa", "--email", "rui.costa@joecash.test", "--zone", "Europe/Lisbon", "--state", "BY", "--hours", "Mon-Fri 08:00-17:00", "--json");
        Assert.True(added.ExitCode == 0, added.ToString());
        var rui = await DayServer.TechnicianIdAsync(_server, "rui.costa@joecash.test");
        // 15:00 on the shop's clock (Europe/Berlin) is 14:00 in Lisbon.
        await DayServer.BookAsync(_server, "K10001", "fault", rui, CliDates.WorkingTuesday().At(15));

        using var dispatcher = await _server.SignedInAsync(WebServer.Dispatcher);
        var day = await dispatcher.GetPageAsync($"/day?date={_date}&technician={rui}");

        Assert.Matches(@"<time>14:00–15:00</time>\s*<span class=""zone"">Europe/Lisbon</span>", day);
        Assert.Contains("15:00–16:00 Europe/Berlin", day, StringComparison.Ordinal);
        Assert.Contains("Rui Costa · Europe/Lisbon", day, StringComparison.Ordinal);
    }
}
