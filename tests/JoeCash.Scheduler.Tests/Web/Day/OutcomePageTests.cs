using System.Globalization;
using System.Text;
using Dapper;
using JoeCash.Scheduler.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;
using NodaTime;

namespace JoeCash.Scheduler.Tests.Web.Day;

/// <summary>
/// Issue 16 in a real browser: the technician records the outcome of a session that has begun from the day page on a
/// phone; another technician gets 404; a future appointment takes none; the dispatcher sees what is left without an
/// outcome and downloads the month's billing export. Screenshots go to tests/artifacts/screenshots/.
/// </summary>
[Collection(nameof(BrowserTests))]
public sealed class OutcomePageTests(Browser browser) : IAsyncLifetime
{
    private static readonly DateTimeZone Berlin = DateTimeZoneProviders.Tzdb["Europe/Berlin"];

    private WebServer _server = null!;
    private LocalDate _yesterday;
    private long _training;
    private long _fault;
    private long _future;
    private long _open;

    public async ValueTask InitializeAsync()
    {
        _server = await WebServer.StartAsync();
        var anna = await DayServer.TechnicianIdAsync(_server, WebServer.Anna);
        var day = CliDates.WorkingTuesday();
        _training = (await DayServer.BookAsync(_server, "K10001", "training", anna, day.At(9), "Schulung Kassenbuch")).GetProperty("id").GetInt64();
        _fault = (await DayServer.BookAsync(_server, "K10004", "fault", anna, day.At(12), "Bondrucker")).GetProperty("id").GetInt64();
        _future = (await DayServer.BookAsync(_server, "K10001", "fault", anna, day.At(15))).GetProperty("id").GetInt64();
        _open = (await DayServer.BookAsync(_server, "K10007", "fault", anna, CliDates.WorkingTuesday(4).At(10))).GetProperty("id").GetInt64();
        // Booking refuses the past; the sessions that have taken place are moved there in the file (yesterday 05:00 and
        // 06:15 in Berlin, before anyone's working hours, so nothing overlaps).
        _yesterday = CliDates.Today.PlusDays(-1);
        await MoveAsync(_training, _yesterday.At(new LocalTime(5, 0)));
        await MoveAsync(_fault, _yesterday.At(new LocalTime(6, 15)));
        await MoveAsync(_open, _yesterday.At(new LocalTime(3, 0)));
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private async Task MoveAsync(long id, LocalDateTime start)
    {
        var from = Berlin.AtStrictly(start).ToInstant().ToUnixTimeMilliseconds();
        var to = from + (60 * 60 * 1000);
        await using var connection = new SqliteConnection($"Data Source={_server.DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await connection.ExecuteAsync("PRAGMA busy_timeout = 5000");
        Assert.Equal(1, await connection.ExecuteAsync(
            "UPDATE appointments SET starts_at = @from, ends_at = @to, blocked_from = @from, blocked_until = @to WHERE id = @id", new { id, from, to }));
    }

    /// <summary>Waits until the shop's invitation to <paramref name="appointment"/> has left the outbox (written to the pickup folder).</summary>
    private async Task WaitForInvitationSentAsync(long appointment)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            await using var connection = new SqliteConnection($"Data Source={_server.DatabasePath};Mode=ReadOnly;Pooling=False");
            var statuses = (await connection.QueryAsync<string>("SELECT status FROM outbox WHERE appointment_id = @appointment AND kind = 'invitation'", new { appointment })).ToList();
            if (statuses.Count > 0 && statuses.All(s => s == "sent"))
            {
                return;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(40), $"the follow-up's invitation was not sent: {string.Join(',', statuses)}");
            await Task.Delay(250);
        }
    }

    private async Task<IPage> SignInAsync(IBrowserContext context, string path, string login)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync(path);
        await page.GetByLabel("E-Mail-Adresse").FillAsync(login);
        await page.GetByLabel("Passwort").FillAsync(_server.DemoPassword!);
        await page.GetByLabel("Passwort").PressAsync("Enter");
        await page.WaitForURLAsync(url => url.Contains(path.Split('?')[0], StringComparison.Ordinal));
        return page;
    }

    [Fact]
    public async Task TheTechnicianRecordsTheOutcomeOnAPhone_AndTheDispatcherDownloadsTheMonth()
    {
        var date = _yesterday.Text();
        await using var phone = await browser.NewContextAsync(_server.Address, Browser.Phone);
        var page = await SignInAsync(phone, $"/day?date={date}", WebServer.Anna);
        var training = page.Locator("article.appt", new() { HasText = "Filiale Schwabing" });
        await Assertions.Expect(training.Locator(".outcome")).ToContainTextAsync("Ergebnis fehlt");
        await Browser.ScreenshotAsync(page, "outcome-day-phone-missing");

        await training.GetByRole(AriaRole.Link, new() { Name = $"Ergebnis erfassen #{_training}" }).ClickAsync();
        await page.WaitForURLAsync($"**/day/outcome/{_training}");
        await Assertions.Expect(page.GetByLabel("Tatsächliche Dauer (Minuten)")).ToHaveValueAsync("60");
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "the outcome page scrolls sideways on a phone");
        await Browser.ScreenshotAsync(page, "outcome-form-phone");
        await page.GetByLabel("Erledigt").CheckAsync();
        await page.GetByLabel("Tatsächliche Dauer (Minuten)").FillAsync("45");
        await page.GetByLabel("Notiz (höchstens 4.000 Zeichen)").FillAsync("=SUMME(A1) Kassenbuch erklärt; Umlaute äöü");
        await page.GetByRole(AriaRole.Button, new() { Name = "Ergebnis speichern" }).ClickAsync();

        await page.WaitForURLAsync($"**/day?date={date}&saved={_training}");
        await Assertions.Expect(page.Locator("#saved")).ToContainTextAsync("Ergebnis gespeichert.");
        await Assertions.Expect(training.Locator(".outcome .badge")).ToHaveTextAsync("erledigt · 45 min");
        await Browser.ScreenshotAsync(page, "outcome-day-phone-done");

        // The fault needs another session: booked by the rules, linked, and the shop's invitation goes out.
        var fault = page.Locator("article.appt", new() { HasText = "Friseur Schnittpunkt" });
        await fault.GetByRole(AriaRole.Link, new() { Name = $"Ergebnis erfassen #{_fault}" }).ClickAsync();
        await page.GetByLabel("Braucht einen Folgetermin").CheckAsync();
        await page.GetByLabel("Beginn des Folgetermins (Europe/Berlin)").FillAsync(CliDates.WorkingTuesday(5).At(10));
        await page.GetByLabel("Notiz (höchstens 4.000 Zeichen)").FillAsync("Bondrucker-Treiber fehlt, Teil 2 nächste Woche");
        await page.GetByRole(AriaRole.Button, new() { Name = "Ergebnis speichern" }).ClickAsync();
        await page.WaitForURLAsync($"**/day?date={date}&saved={_fault}");
        var badge = await fault.Locator(".outcome .badge").InnerTextAsync();
        var followUp = long.Parse(System.Text.RegularExpressions.Regex.Match(badge, "^Folgetermin → #(\\d+)$").Groups[1].Value, CultureInfo.InvariantCulture);
        await WaitForInvitationSentAsync(followUp);

        // The appointment still to come takes no outcome.
        await page.GotoAsync($"/day/outcome/{_future}");
        await Assertions.Expect(page.Locator("#notbegun")).ToBeVisibleAsync();
        Assert.Equal(0, await page.Locator("form.outcome-form").CountAsync());

        // Another technician: 404, as for an appointment that does not exist.
        await using var other = await browser.NewContextAsync(_server.Address, Browser.Phone);
        var jonas = await SignInAsync(other, "/day", WebServer.Jonas);
        var response = await jonas.GotoAsync($"/day/outcome/{_training}");
        Assert.Equal(404, response!.Status);

        // The dispatcher: the fault session is past its end without an outcome; the month's export holds the training.
        await using var desk = await browser.NewContextAsync(_server.Address, Browser.Desktop);
        var dispatch = await SignInAsync(desk, "/dispatch", WebServer.Dispatcher);
        var open = dispatch.Locator("section[aria-labelledby=open-heading]");
        await Assertions.Expect(open.Locator("article")).ToHaveCountAsync(1);
        await Assertions.Expect(open).ToContainTextAsync("Filiale Ehrenfeld");
        var followUps = dispatch.Locator("section[aria-labelledby=followup-heading]");
        await Assertions.Expect(followUps.Locator("article")).ToHaveCountAsync(1);
        await Assertions.Expect(followUps).ToContainTextAsync("Friseur Schnittpunkt");
        await Assertions.Expect(followUps).ToContainTextAsync("Teil 2 nächste Woche");
        await open.ScrollIntoViewIfNeededAsync();
        await Browser.ScreenshotAsync(dispatch, "outcome-dispatch-overview-desktop");

        var month = _yesterday.ToString("uuuu-MM", CultureInfo.InvariantCulture);
        await dispatch.GotoAsync($"/dispatch/billing?month={month}");
        await Assertions.Expect(dispatch.Locator("#preview")).ToContainTextAsync($"1 abrechenbare Sitzung(en) im {month}");
        var download = await dispatch.RunAndWaitForDownloadAsync(() => dispatch.GetByRole(AriaRole.Button, new() { Name = "CSV für Excel herunterladen" }).ClickAsync());
        Assert.Equal($"abrechnung-{month}.csv", download.SuggestedFilename);
        var path = await download.PathAsync();
        var bytes = await File.ReadAllBytesAsync(path!);
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes.Take(3));
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith($"{_training};\"K10001\";", lines[1], StringComparison.Ordinal);
        Assert.Contains(";45;0,75;\"training\";\"Schulung / ausführliche Einweisung\";\"Zusatzleistung\";\"Anna Berger\";", lines[1], StringComparison.Ordinal);
        Assert.Contains(";\"telefonisch bei der Buchung (", lines[1], StringComparison.Ordinal);
        Assert.EndsWith(";\"'=SUMME(A1) Kassenbuch erklärt; Umlaute äöü\"", lines[1], StringComparison.Ordinal);
        await dispatch.GotoAsync($"/dispatch/billing?month={month}");
        await Assertions.Expect(dispatch.Locator("table.exports tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(dispatch.Locator("table.exports tbody tr")).ToContainTextAsync(WebServer.Dispatcher);
        await Browser.ScreenshotAsync(dispatch, "billing-desktop");

        await dispatch.GotoAsync("/dispatch/shops?edit=K10001");
        var sessions = dispatch.Locator("table.sessions tbody tr");
        await Assertions.Expect(sessions).ToHaveCountAsync(1);
        await Assertions.Expect(sessions).ToContainTextAsync("45");
        await Assertions.Expect(sessions).ToContainTextAsync("=SUMME(A1) Kassenbuch erklärt");
        await dispatch.Locator("#sessions-heading").ScrollIntoViewIfNeededAsync();
        await Browser.ScreenshotAsync(dispatch, "outcome-shop-sessions-desktop");

        await using var dispatchPhone = await browser.NewContextAsync(_server.Address, Browser.Phone);
        var small = await SignInAsync(dispatchPhone, $"/dispatch/billing?month={month}", WebServer.Dispatcher);
        Assert.True(await small.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "the billing page scrolls sideways on a phone");
        await Browser.ScreenshotAsync(small, "billing-phone");
    }
}
