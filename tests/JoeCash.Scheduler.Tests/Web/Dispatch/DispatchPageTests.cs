using System.Globalization;
using JoeCash.Scheduler.Tests.Infrastructure;
using Microsoft.Playwright;
using MimeKit;

namespace JoeCash.Scheduler.Tests.Web.Dispatch;

/// <summary>
/// A dispatcher at the desk in a real browser (Debian's Chromium): books from the slot search and the invitation
/// arrives in the shop's real mailbox (Postfix → Dovecot, tests/env/mail-stack.sh); a stale reschedule is refused
/// and says what changed. Screenshots of every state, on a desktop and on a phone, go to tests/artifacts/screenshots/.
/// </summary>
[Collection(nameof(BrowserTests))]
public sealed class DispatchPageTests(Browser browser)
{
    [Fact]
    public async Task A_dispatcher_books_from_the_slot_search_and_the_invitation_arrives_in_the_shops_mailbox()
    {
        var settings = MailStack.SmtpSettings().ToDictionary(p => p.Key, p => p.Value!);
        await using var server = await WebServer.StartAsync(settings: settings);
        var shop = MailStack.NewAddress("dispatch");
        var added = await server.Cli.RunAsync("customer", "add", "--number", "K77001", "--company", "Eisdiele Venezia", "--branch", "Marktplatz", "--city", "Passau",
            "--state", "BY", "--contact", "Gina Rossi", "--email", shop, "--phone", "+49 851 123456", "--rustdesk", "123456789", "--contract", "ja");
        Assert.True(added.ExitCode == 0, added.ToString());

        await using var context = await browser.NewContextAsync(server.Address);
        var page = await context.NewPageAsync();
        await SignInAsync(page, server);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Übersicht" })).ToBeVisibleAsync();
        await Browser.ScreenshotAsync(page, "dispatch-overview-desktop");

        await page.GetByRole(AriaRole.Link, new() { Name = "Termin buchen" }).First.ClickAsync();
        var day = CliDates.WorkingTuesday(3);
        await page.GetByLabel("Terminart").SelectOptionAsync("fault");
        await page.GetByLabel("Filiale (Kundennummer)").FillAsync("K77001");
        await page.GetByLabel("Techniker").SelectOptionAsync(new SelectOptionValue { Label = "Anna Berger" });
        await page.GetByLabel("Ab Datum").FillAsync(day.Text());
        await page.GetByLabel("Tage").FillAsync("2");
        await page.GetByLabel("Tage").PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Störungsbehebung für Eisdiele Venezia – Marktplatz" })).ToBeVisibleAsync();
        Assert.Equal(0, await page.Locator("#cost-notice").CountAsync());
        await Browser.ScreenshotAsync(page, "dispatch-book-slots-desktop");

        await page.GetByLabel("Worum geht es? (Notiz für den Techniker)").FillAsync("Bondrucker druckt nicht");
        var first = page.Locator("ul.slot-list button").First;
        var label = await first.InnerTextAsync();
        Assert.StartsWith("08:00", label, StringComparison.Ordinal);
        await first.ClickAsync();
        await Assertions.Expect(page.Locator("#done")).ToHaveTextAsync("Gebucht. Die Einladung an die Filiale geht über den Postausgang hinaus.");
        Assert.Matches(@"/dispatch/appointments/\d+\?booked=true$", page.Url);
        await Assertions.Expect(page.Locator("#fact-technician")).ToHaveTextAsync("Anna Berger");
        await Browser.ScreenshotAsync(page, "dispatch-appointment-booked-desktop");

        var messages = await MailStack.WaitForMessagesAsync(shop, 1, TimeSpan.FromSeconds(60));
        var invitation = Assert.Single(messages);
        var calendar = invitation.BodyParts.OfType<TextPart>().First(p => p.ContentType.IsMimeType("text", "calendar"));
        Assert.Equal("REQUEST", calendar.ContentType.Parameters["method"], ignoreCase: true);
        Assert.Contains("METHOD:REQUEST", calendar.Text, StringComparison.Ordinal);
        var start = day.At(8).Replace("-", "", StringComparison.Ordinal).Replace(":", "", StringComparison.Ordinal);
        Assert.Contains(start, calendar.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stale_reschedule_is_refused_says_what_changed_and_moves_nothing()
    {
        await using var server = await WebServer.StartAsync();
        var day = CliDates.WorkingTuesday(4);
        var booked = await server.Cli.RunAsync("book", "--customer", "K10004", "--type", "fault", "--technician", "1", "--at", day.At(10), "--json");
        Assert.True(booked.ExitCode == 0, booked.ToString());
        var id = booked.Json.GetProperty("id").GetInt64();

        await using var mine = await browser.NewContextAsync(server.Address);
        await using var theirs = await browser.NewContextAsync(server.Address, Browser.Phone, locale: "en-GB");
        var page = await mine.NewPageAsync();
        var other = await theirs.NewPageAsync();
        await SignInAsync(page, server);
        await SignInAsync(other, server, english: true);
        await page.GotoAsync($"/dispatch/appointments/{id}");
        await other.GotoAsync($"/dispatch/appointments/{id}");
        await Browser.ScreenshotAsync(other, "dispatch-appointment-phone-en");

        // Someone else moves it to 13:00 with Lea Schmitt first.
        await other.GetByLabel("New start (Europe/Berlin)").FillAsync(day.At(13));
        await other.GetByLabel("Technician", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Lea Schmitt" });
        await other.GetByRole(AriaRole.Button, new() { Name = "Reschedule" }).ClickAsync();
        await Assertions.Expect(other.Locator("#done")).ToHaveTextAsync("Rescheduled. The shop gets the updated invitation.");

        // My page still shows 10:00; my move to 14:00 is refused.
        await page.GetByLabel("Neuer Beginn (Europe/Berlin)").FillAsync(day.At(14));
        await page.GetByRole(AriaRole.Button, new() { Name = "Verschieben" }).ClickAsync();
        var alert = page.GetByRole(AriaRole.Alert);
        await Assertions.Expect(alert).ToContainTextAsync("Nicht geändert: jemand anderes hat den Termin inzwischen geändert.");
        var changes = page.Locator("table.changes");
        await Assertions.Expect(changes.Locator("tr", new() { HasText = "Zeit" })).ToContainTextAsync("10:00–11:00");
        await Assertions.Expect(changes.Locator("tr", new() { HasText = "Zeit" })).ToContainTextAsync("13:00–14:00");
        await Assertions.Expect(changes.Locator("tr", new() { HasText = "Techniker" })).ToContainTextAsync("Anna Berger");
        await Assertions.Expect(changes.Locator("tr", new() { HasText = "Techniker" })).ToContainTextAsync("Lea Schmitt");
        await Assertions.Expect(page.Locator("#fact-time")).ToContainTextAsync("13:00–14:00");
        await Browser.ScreenshotAsync(page, "dispatch-appointment-stale-desktop");

        var shown = (await server.Cli.RunAsync("show", id.ToString(CultureInfo.InvariantCulture), "--json")).Json.GetProperty("appointment");
        Assert.StartsWith(day.At(13), shown.GetProperty("localStart").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, shown.GetProperty("version").GetInt32());

        // The page now carries the current version: the same move goes through.
        await page.GetByLabel("Neuer Beginn (Europe/Berlin)").FillAsync(day.At(14));
        await page.GetByRole(AriaRole.Button, new() { Name = "Verschieben" }).ClickAsync();
        await Assertions.Expect(page.Locator("#done")).ToHaveTextAsync("Verschoben. Die Filiale bekommt die aktualisierte Einladung.");
        await Assertions.Expect(page.Locator("#fact-time")).ToContainTextAsync("14:00–15:00");

        // The overview and the booking page on a phone.
        await other.GotoAsync("/dispatch");
        await Browser.ScreenshotAsync(other, "dispatch-overview-phone-en");
        await other.GotoAsync($"/dispatch/book?type=training&customer=K10007&technician=any&from={day.Text()}&days=1");
        await Assertions.Expect(other.Locator("#cost-notice")).ToBeVisibleAsync();
        await Browser.ScreenshotAsync(other, "dispatch-book-billable-phone-en");

        // The shops and technicians pages, as they look.
        await other.GotoAsync("/dispatch/shops?q=Metzgerei");
        await Assertions.Expect(other.GetByRole(AriaRole.Heading, new() { Name = "Shops", Exact = true })).ToBeVisibleAsync();
        await Browser.ScreenshotAsync(other, "dispatch-shops-phone-en");
        await other.GotoAsync("/dispatch/technicians");
        await Assertions.Expect(other.GetByRole(AriaRole.Heading, new() { Name = "Technicians", Exact = true })).ToBeVisibleAsync();
        await Browser.ScreenshotAsync(other, "dispatch-technicians-phone-en");
        await page.GotoAsync("/dispatch/shops?edit=K10001");
        await Assertions.Expect(page.GetByLabel("Kundennummer")).ToHaveValueAsync("K10001");
        await Browser.ScreenshotAsync(page, "dispatch-shops-edit-desktop");
        await page.GotoAsync("/dispatch/technicians");
        await Browser.ScreenshotAsync(page, "dispatch-technicians-desktop");
    }

    [Fact]
    public async Task The_slot_search_ranks_by_the_shops_opening_hours_and_can_keep_only_closed_times()
    {
        // The demo hairdresser K10004 opens Tuesday to Friday at 09:00; Anna Berger works from 08:00. On a Tuesday the
        // one-hour session at 08:00 is the only one while the shop is closed; 08:15, 08:30, 08:45 lose it 15, 30, 45
        // open minutes of its till; from 09:00 the session lies entirely in opening hours.
        await using var server = await WebServer.StartAsync();
        var day = CliDates.WorkingTuesday(5);
        await using var context = await browser.NewContextAsync(server.Address);
        var page = await context.NewPageAsync();
        await SignInAsync(page, server);

        await page.GotoAsync($"/dispatch/book?type=fault&customer=K10004&technician=1&from={day.Text()}&days=1");
        var closed = page.Locator("section.fit[data-fit=Closed] ul.slot-list button");
        var partly = page.Locator("section.fit[data-fit=PartlyOpen] ul.slot-list button");
        await Assertions.Expect(page.Locator("section.fit").First).ToHaveAttributeAsync("data-fit", "Closed");
        await Assertions.Expect(closed).ToHaveCountAsync(1);
        Assert.Equal("08:00–09:00 · vor Öffnung", (await closed.InnerTextAsync()).Trim());
        Assert.Equal(["08:15–09:15", "08:30–09:30", "08:45–09:45"], (await partly.AllInnerTextsAsync()).Select(t => t.Split(" · ")[0].Trim()));
        await Assertions.Expect(page.Locator("#opening-hours")).ToHaveTextAsync("Öffnungszeiten: Di-Fr 09:00-18:00; Sa 09:00-14:00");
        await Browser.ScreenshotAsync(page, "dispatch-book-ranked-desktop");

        await page.GetByLabel("Nur Zeiten, in denen die Filiale geschlossen ist").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Freie Termine suchen" }).ClickAsync();
        await Assertions.Expect(page.Locator("ul.slot-list button")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("ul.slot-list button")).ToContainTextAsync("vor Öffnung");
        await page.SetViewportSizeAsync(Browser.Phone.Width, Browser.Phone.Height);
        await Browser.ScreenshotAsync(page, "dispatch-book-closed-only-phone");
    }

    private static async Task SignInAsync(IPage page, WebServer server, bool english = false)
    {
        await page.GotoAsync("/sign-in?ReturnUrl=%2Fdispatch");
        await page.GetByLabel(english ? "Email address" : "E-Mail-Adresse").FillAsync(WebServer.Dispatcher);
        await page.GetByLabel(english ? "Password" : "Passwort").FillAsync(server.DemoPassword!);
        await page.GetByLabel(english ? "Password" : "Passwort").PressAsync("Enter");
        await page.WaitForURLAsync("**/dispatch");
    }
}
