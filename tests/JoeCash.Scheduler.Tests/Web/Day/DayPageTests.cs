using JoeCash.Scheduler.Tests.Infrastructure;
using JoeCash.Scheduler.Tests.Replies;
using Microsoft.Playwright;

namespace JoeCash.Scheduler.Tests.Web.Day;

/// <summary>
/// A technician's day in a real browser (Debian's Chromium): signing in on a phone and at a desk, the RustDesk and
/// phone links, the copy button, the shop's answer appearing without a reload, the week and the print view.
/// </summary>
[Collection(nameof(BrowserTests))]
public sealed class DayPageTests(Browser browser) : IAsyncLifetime
{
    private const string Shop = "mehmet.richter@baeckerei.shop.test";

    private WebServer _server = null!;
    private string _date = "";
    private string _uid = "";

    public async ValueTask InitializeAsync()
    {
        _server = await WebServer.StartAsync();
        var anna = await DayServer.TechnicianIdAsync(_server, WebServer.Anna);
        var day = CliDates.WorkingTuesday();
        _date = day.Text();
        var booked = await DayServer.BookAsync(_server, "K10001", "fault", anna, day.At(10), "Bondrucker druckt keine Belege mehr.");
        _uid = booked.GetProperty("uid").GetString()!;
        // A branch without a RustDesk ID on file: the technician cannot connect yet.
        await DayServer.BookAsync(_server, "K10007", "fault", anna, day.At(14), "Kasse startet nach Update nicht.");
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private async Task<IPage> SignInAsync(IBrowserContext context, string path, string login = WebServer.Anna, string password = "", bool english = false)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync(path);
        Assert.Contains("/sign-in", page.Url, StringComparison.Ordinal);
        await page.GetByLabel(english ? "Email address" : "E-Mail-Adresse").FillAsync(login);
        await page.GetByLabel(english ? "Password" : "Passwort").FillAsync(password.Length > 0 ? password : _server.DemoPassword!);
        await page.GetByLabel(english ? "Password" : "Passwort").PressAsync("Enter");
        await page.WaitForURLAsync(url => url.Contains(path, StringComparison.Ordinal));
        return page;
    }

    [Fact]
    public async Task OnAPhone_TheTechnicianSeesTheDay_AndTheShopsAnswerAppearsWithoutReload()
    {
        await using var context = await browser.NewContextAsync(_server.Address, Browser.Phone);
        var page = await SignInAsync(context, $"/day?date={_date}");

        var bakery = page.Locator("article.appt", new() { HasText = "Filiale Schwabing" });
        await Assertions.Expect(bakery.Locator(".when")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^\\s*10:00–1\\d:\\d\\d\\s*$"));
        await Assertions.Expect(bakery.GetByRole(AriaRole.Link, new() { Name = "In RustDesk öffnen" })).ToHaveAttributeAsync("href", "rustdesk://connection/new/732901938");
        await Assertions.Expect(bakery.GetByRole(AriaRole.Link, new() { Name = "+49 543 4241717" })).ToHaveAttributeAsync("href", "tel:+495434241717");
        await Assertions.Expect(bakery.GetByRole(AriaRole.Button, new() { Name = "RustDesk-ID kopieren 732 901 938" })).ToHaveAttributeAsync("data-copy", "732901938");
        await Assertions.Expect(bakery.Locator(".rustdesk-id")).ToHaveTextAsync("732 901 938");
        await Assertions.Expect(bakery).ToContainTextAsync("Bondrucker druckt keine Belege mehr.");
        await Assertions.Expect(bakery).ToContainTextAsync("Mehmet Richter");
        await Assertions.Expect(bakery.Locator(".answer")).ToContainTextAsync("noch keine Antwort");
        var ehrenfeld = page.Locator("article.appt", new() { HasText = "Filiale Ehrenfeld" });
        await Assertions.Expect(ehrenfeld.Locator(".no-id")).ToHaveTextAsync("KEINE RUSTDESK-ID – beim Shop erfragen");
        await Assertions.Expect(ehrenfeld.GetByRole(AriaRole.Link, new() { Name = "In RustDesk öffnen" })).ToHaveCountAsync(0);
        // Nothing wider than the phone: no sideways scrolling.
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "the day page scrolls sideways on a phone");
        await Browser.ScreenshotAsync(page, "day-phone");

        // The shop accepts by email while the page is open; the page must not reload (the marker survives).
        await page.EvaluateAsync("window.dayMarker = 'still here'");
        var reply = ReplyShapes.Build(ReplyClient.OutlookDe, new ReplySpec(_uid, 0, Shop, "Mehmet Richter", "support@joecash.test"), Shop, "support@joecash.test");
        await File.WriteAllBytesAsync(Path.Combine(DayServer.RepliesDirectory(_server), "accept.eml"), ReplyShapes.ToBytes(reply));
        await Assertions.Expect(bakery.Locator(".answer")).ToContainTextAsync("zugesagt", new() { Timeout = 40_000 });
        await Assertions.Expect(bakery.Locator(".answer")).ToContainTextAsync(Shop);
        Assert.Equal("still here", await page.EvaluateAsync<string>("window.dayMarker"));
        await Browser.ScreenshotAsync(page, "day-phone-accepted");

        // The copy button says it copied (the clipboard itself needs a permission headless Chromium may not give).
        await context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        await bakery.GetByRole(AriaRole.Button, new() { Name = "RustDesk-ID kopieren 732 901 938" }).ClickAsync();
        await Assertions.Expect(bakery.Locator("button.copy")).ToHaveTextAsync("Kopiert");

        await page.GetByRole(AriaRole.Link, new() { Name = "Woche", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator(".week-day", new() { HasText = "Dienstag" })).ToContainTextAsync("zugesagt");
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "the week page scrolls sideways on a phone");
        await Browser.ScreenshotAsync(page, "week-phone");
    }

    [Fact]
    public async Task AtADesk_InEnglish_TheDayWeekAndPrintView()
    {
        await using var context = await browser.NewContextAsync(_server.Address, Browser.Desktop, "en-GB");
        var page = await SignInAsync(context, $"/day?date={_date}", english: true);
        var bakery = page.Locator("article.appt", new() { HasText = "Filiale Schwabing" });
        await Assertions.Expect(bakery.GetByRole(AriaRole.Link, new() { Name = "Open in RustDesk" })).ToHaveAttributeAsync("href", "rustdesk://connection/new/732901938");
        await Assertions.Expect(bakery.Locator(".answer")).ToContainTextAsync("no answer yet");
        await Assertions.Expect(page.Locator("article.appt", new() { HasText = "Filiale Ehrenfeld" }).Locator(".no-id")).ToHaveTextAsync("NO RUSTDESK ID – ask the shop");
        await Browser.ScreenshotAsync(page, "day-desktop");

        // The keyboard date picker: another date, then the next-day link.
        await page.GetByLabel("Date").FillAsync(_date);
        await page.GetByLabel("Date").PressAsync("Enter");
        await page.GetByRole(AriaRole.Link, new() { Name = "Next day →" }).ClickAsync();
        Assert.Contains("date=" + CliDates.WorkingTuesday().PlusDays(1).Text(), page.Url, StringComparison.Ordinal);
        await page.GetByRole(AriaRole.Link, new() { Name = "← Previous day" }).ClickAsync();
        await Assertions.Expect(bakery).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Week", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "My week" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".week-day")).ToHaveCountAsync(7);
        await Assertions.Expect(page.Locator(".week-day").First).ToContainTextAsync("Monday");
        await Assertions.Expect(page.Locator(".week-day", new() { HasText = "Tuesday" })).ToContainTextAsync("Bäckerei Müller GmbH – Filiale Schwabing");
        await Browser.ScreenshotAsync(page, "week-desktop");

        await page.GotoAsync($"/print?date={_date}&days=2");
        await Assertions.Expect(page.Locator("section.day-page")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("header.top")).ToHaveCountAsync(0);
        await page.EmulateMediaAsync(new() { Media = Media.Print });
        Assert.Equal("page", await page.Locator("section.day-page").First.EvaluateAsync<string>("s => getComputedStyle(s).breakAfter"));
        Assert.Equal("none", await page.Locator("button[data-print]").EvaluateAsync<string>("b => getComputedStyle(b.parentElement).display"));
        await Browser.ScreenshotAsync(page, "print-two-days");
        var pdf = await page.PdfAsync(new() { Format = "A4" });
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Count(System.Text.Encoding.Latin1.GetString(pdf), @"/Type\s*/Page[^s]"));
    }

    [Fact]
    public async Task AroundTheClockChanges_TimesAreOnTheBerlinClock()
    {
        var anna = await DayServer.TechnicianIdAsync(_server, WebServer.Anna);
        var jonas = await DayServer.TechnicianIdAsync(_server, WebServer.Jonas);
        // 2027-03-28 (Sunday) the clocks go forward; Monday the 29th is Easter Monday, so Tuesday is the first working day after.
        var spring = await DayServer.BookAsync(_server, "K10001", "fault", anna, "2027-03-30T10:00");
        // 2027-10-31 (Sunday) they go back: Friday before (CEST), and Monday after (CET; All Saints' Day is no holiday in Berlin).
        var before = await DayServer.BookAsync(_server, "K10001", "fault", anna, "2027-10-29T10:00");
        var after = await DayServer.BookAsync(_server, "K10004", "fault", jonas, "2027-11-01T10:00");
        Assert.Contains("2027-03-30T08:00:00Z", spring.ToString(), StringComparison.Ordinal);
        Assert.Contains("2027-10-29T08:00:00Z", before.ToString(), StringComparison.Ordinal);
        Assert.Contains("2027-11-01T09:00:00Z", after.ToString(), StringComparison.Ordinal);

        await using var context = await browser.NewContextAsync(_server.Address, Browser.Desktop);
        var page = await SignInAsync(context, "/day?date=2027-03-30");
        await Assertions.Expect(page.Locator("article.appt .when")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^\\s*10:00–11:00\\s*$"));
        await page.GotoAsync("/day?date=2027-10-29");
        await Assertions.Expect(page.Locator("article.appt .when")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^\\s*10:00–11:00\\s*$"));
        await page.GotoAsync("/week?date=2027-03-24");
        await Assertions.Expect(page.Locator(".week-day", new() { HasText = "Sonntag, 28. März 2027" }).Locator(".clock-change")).ToContainTextAsync("UTC+1 → UTC+2");
        await Assertions.Expect(page.Locator(".clock-change")).ToHaveCountAsync(1);
        await page.GotoAsync("/day?date=2027-10-31");
        await Assertions.Expect(page.Locator(".clock-change")).ToContainTextAsync("UTC+2 → UTC+1");
        await Browser.ScreenshotAsync(page, "day-clock-change");

        await using var desk = await browser.NewContextAsync(_server.Address, Browser.Desktop);
        var dispatcher = await SignInAsync(desk, $"/day?date=2027-11-01&technician={jonas}", WebServer.Dispatcher);
        await Assertions.Expect(dispatcher.Locator("article.appt .when")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^\\s*10:00–11:00\\s*$"));
        await Assertions.Expect(dispatcher.Locator("article.appt")).ToContainTextAsync("Friseur Schnittpunkt");
    }
}
