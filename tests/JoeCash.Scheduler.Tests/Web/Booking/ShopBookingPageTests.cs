using System.Text.RegularExpressions;
using JoeCash.Scheduler.Tests.Infrastructure;
using Microsoft.Playwright;

namespace JoeCash.Scheduler.Tests.Web.Booking;

/// <summary>
/// A shop books its own appointment in Chromium, from asking for the sign-in link to the invitation in its real mailbox
/// (Postfix → Dovecot), in German on a phone and in English at a desk; every refusal from the support policy; a shop at
/// its open-bookings limit.
/// </summary>
[Collection(nameof(BrowserTests))]
public sealed class ShopBookingPageTests(Browser browser)
{
    [Fact]
    public async Task German_OnAPhone_FromTheSignInRequestToTheInvitationInTheMailbox()
    {
        await using var server = await BookingServer.StartAsync(smtp: true);
        var address = MailStack.NewAddress("kasse");
        await BookingServer.AddShopAsync(server, "K20001", address);
        await using var context = await browser.NewContextAsync(server.Address, Browser.Phone);
        var page = await context.NewPageAsync();

        await page.GotoAsync("/buchen");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Fernwartungstermin buchen" })).ToBeVisibleAsync();
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "the booking page scrolls sideways on a phone");
        await Browser.ScreenshotAsync(page, "booking-phone-sign-in");
        await page.GetByLabel("Kundennummer").FillAsync("k20001");
        await page.GetByLabel("E-Mail-Adresse").FillAsync(address.ToUpperInvariant());
        await page.GetByRole(AriaRole.Button, new() { Name = "Anmeldelink schicken" }).ClickAsync();
        await Assertions.Expect(page.Locator("#sent")).ToContainTextAsync("Anmeldelink");
        await Browser.ScreenshotAsync(page, "booking-phone-sent");

        var signIn = Assert.Single(await MailStack.WaitForMessagesAsync(address, 1));
        Assert.Contains("Anmeldelink", signIn.Subject, StringComparison.Ordinal);
        Assert.Contains($"Termine selbst buchen: {server.Address.ToString().TrimEnd('/')}/buchen", signIn.TextBody, StringComparison.Ordinal);
        await page.GotoAsync(BookingServer.SignInLink(signIn));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Anmelden" })).ToBeVisibleAsync();
        await Browser.ScreenshotAsync(page, "booking-phone-confirm");
        await page.GetByRole(AriaRole.Button, new() { Name = "Anmelden" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Worum geht es?" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#signed-in")).ToContainTextAsync("K20001");
        await Browser.ScreenshotAsync(page, "booking-phone-intake");
        await page.GetByLabel("Eine Störung oder Fehlermeldung an der Kasse").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Weiter" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Wann passt es Ihnen?" })).ToBeVisibleAsync();
        // No opening hours on file: the times by date, and no "only while closed".
        await Assertions.Expect(page.Locator("#no-hours")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#only-closed")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator(".slot-label")).ToHaveCountAsync(0);
        var first = page.Locator("label.slot").First;
        var chosenTime = (await first.Locator(".slot-time").TextContentAsync())!.Trim();
        Assert.Matches(new Regex(@"^\d\d:\d\d–\d\d:\d\d Uhr \(MES?Z\)$"), chosenTime);
        await Browser.ScreenshotAsync(page, "booking-phone-times");
        await first.ClickAsync();
        await page.GetByLabel("Was sollen wir vorab wissen? (freiwillig)").FillAsync("Bondrucker druckt nicht");
        await page.GetByRole(AriaRole.Button, new() { Name = "Weiter zur RustDesk-ID" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "RustDesk-ID bestätigen und buchen" })).ToBeVisibleAsync();
        var field = page.GetByLabel("RustDesk-ID Ihrer Kasse");
        await Assertions.Expect(field).ToHaveValueAsync("");
        await field.FillAsync("12 34");
        await page.GetByRole(AriaRole.Button, new() { Name = "Termin verbindlich buchen" }).ClickAsync();
        await Assertions.Expect(page.Locator("#rustdesk-error")).ToContainTextAsync("keine RustDesk-ID");
        await Assertions.Expect(field).ToHaveValueAsync("12 34");
        await Browser.ScreenshotAsync(page, "booking-phone-rustdesk-error");
        await field.FillAsync("123 456 789");
        await page.GetByRole(AriaRole.Button, new() { Name = "Termin verbindlich buchen" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Ihr Termin ist gebucht" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".when .time")).ToHaveTextAsync(chosenTime);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Lassen Sie RustDesk auf der Kasse laufen" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#rustdesk-text")).ToContainTextAsync("123 456 789");
        await Browser.ScreenshotAsync(page, "booking-phone-done");

        var mails = await MailStack.WaitForMessagesAsync(address, 2);
        var invitation = mails.Single(m => m.Subject != signIn.Subject);
        Assert.Contains(chosenTime.Split('–')[0], invitation.TextBody, StringComparison.Ordinal);
        Assert.Contains("123 456 789", invitation.TextBody, StringComparison.Ordinal);
        Assert.Contains("Bondrucker druckt nicht", invitation.TextBody, StringComparison.Ordinal);
        Assert.Contains($"Termine selbst buchen: {server.Address.ToString().TrimEnd('/')}/buchen", invitation.TextBody, StringComparison.Ordinal);
        Assert.Contains("/buchen\">", invitation.HtmlBody, StringComparison.Ordinal);

        var id = await BookingServer.QueryAsync<long>(server, "SELECT id FROM appointments WHERE booked_by = @by", new { by = "shop:" + address });
        Assert.True(id > 0, "no appointment booked by shop:" + address);
        Assert.NotNull(await BookingServer.QueryAsync<long?>(server, "SELECT rustdesk_confirmed_at FROM appointments WHERE id = @id", new { id }));
        Assert.Equal("123456789", await BookingServer.QueryAsync<string>(server, "SELECT rustdesk_id FROM customers WHERE number = 'K20001'"));
        using var dispatcher = await server.SignedInAsync(WebServer.Dispatcher);
        Assert.Contains("von der Filiale gebucht", await dispatcher.GetPageAsync($"/dispatch/appointments/{id}"), StringComparison.Ordinal);

        // Signing out ends the session: the intake sends the shop back to the front door.
        await page.GotoAsync("/buchen/anliegen");
        await page.GetByRole(AriaRole.Button, new() { Name = "Abmelden" }).ClickAsync();
        await Assertions.Expect(page.Locator("#signed-out")).ToBeVisibleAsync();
        await page.GotoAsync("/buchen/termin?thema=fault");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Anmeldelink schicken" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task English_AtADesk_BillableTrainingNeedsTheCostAcknowledgment_AndTheInvitationArrives()
    {
        await using var server = await BookingServer.StartAsync(smtp: true);
        var address = MailStack.NewAddress("till");
        await BookingServer.AddShopAsync(server, "K20002", address, language: "en", rustdesk: "987 654 321");
        await using var context = await browser.NewContextAsync(server.Address, Browser.Desktop, locale: "en-GB");
        var page = await context.NewPageAsync();

        await page.GotoAsync("/buchen");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Book a remote maintenance appointment" })).ToBeVisibleAsync();
        await Browser.ScreenshotAsync(page, "booking-desktop-en-sign-in");
        await page.GetByLabel("Customer number").FillAsync("K20002");
        await page.GetByLabel("Email address").FillAsync(address);
        await page.GetByRole(AriaRole.Button, new() { Name = "Send sign-in link" }).ClickAsync();
        await Assertions.Expect(page.Locator("#sent")).ToContainTextAsync("sign-in link");

        var signIn = Assert.Single(await MailStack.WaitForMessagesAsync(address, 1));
        Assert.Contains("sign-in link", signIn.Subject, StringComparison.Ordinal);
        Assert.Contains("Book appointments yourself:", signIn.TextBody, StringComparison.Ordinal);
        await page.GotoAsync(BookingServer.SignInLink(signIn));
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.GetByLabel("Training or detailed instruction (billable)").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "When suits you?" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".cost-notice")).ToContainTextAsync("billed separately");
        await Browser.ScreenshotAsync(page, "booking-desktop-en-times");
        await page.Locator("label.slot").Nth(1).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Next: your RustDesk ID" }).ClickAsync();
        await Assertions.Expect(page.GetByLabel("Your till's RustDesk ID")).ToHaveValueAsync("987 654 321");
        await page.GetByRole(AriaRole.Button, new() { Name = "Book this appointment" }).ClickAsync();
        await Assertions.Expect(page.Locator("#cost-error")).ToContainTextAsync("acknowledge the cost notice");
        Assert.Equal(0, await BookingServer.QueryAsync<long>(server, "SELECT count(*) FROM appointments WHERE booked_by LIKE 'shop:%'"));
        await Browser.ScreenshotAsync(page, "booking-desktop-en-cost-error");
        await page.GetByLabel("I have read the cost notice and agree that this appointment is billed.").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Book this appointment" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your appointment is booked" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Keep RustDesk running on the till" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#cost-acknowledged")).ToBeVisibleAsync();
        await Browser.ScreenshotAsync(page, "booking-desktop-en-done");

        var invitation = (await MailStack.WaitForMessagesAsync(address, 2)).Single(m => m.Subject != signIn.Subject);
        Assert.Contains("billed separately", invitation.TextBody, StringComparison.Ordinal);
        Assert.Contains($"Book appointments yourself: {server.Address.ToString().TrimEnd('/')}/buchen", invitation.TextBody, StringComparison.Ordinal);
        var id = await BookingServer.QueryAsync<long>(server, "SELECT id FROM appointments WHERE booked_by = @by", new { by = "shop:" + address });
        Assert.Equal(1, await BookingServer.QueryAsync<long>(server, "SELECT cost_acknowledged FROM appointments WHERE id = @id", new { id }));
        Assert.Equal("shop-booking", await BookingServer.QueryAsync<string>(server, "SELECT how FROM cost_acknowledgments WHERE appointment_id = @id", new { id }));
        Assert.Equal(address, await BookingServer.QueryAsync<string>(server, "SELECT recipient FROM cost_acknowledgments WHERE appointment_id = @id", new { id }));
        Assert.Contains("billed separately", await BookingServer.QueryAsync<string>(server, "SELECT notice FROM cost_acknowledgments WHERE appointment_id = @id", new { id }), StringComparison.Ordinal);
    }

    private static readonly (string Language, string Label, string Why, string Instead)[] Refusals =
    [
        ("de", "Probleme mit dem PC, dem Internet, dem Netzwerk oder dem EC-Terminal selbst", "gehören nicht zu unserem Arbeitsbereich", "EC-Support oder Netzwerktechniker"),
        ("de", "Fragen zur Buchhaltung, zu Kassenbuchungen oder zur Steuer", "buchhalterische Beratung ist ausgeschlossen", "Buchhalter oder Steuerberater"),
        ("de", "Einen Beleg umdatieren, stornieren oder die Zahlart nachträglich ändern", "Aufgrund der TSE", "Buchhalter oder Steuerberater"),
        ("de", "Artikel, Preise, Mitarbeiter, Benutzer oder Öffnungszeiten in der Kasse ändern", "Hausmeister", "JoeCash-Helpdesk"),
        ("en", "Problems with the PC, the internet, the network or the card terminal itself", "outside our remit", "card-terminal support or your network technician"),
        ("en", "Questions about bookkeeping, till entries or tax", "no bookkeeping advice", "accountant or your tax adviser"),
        ("en", "Back-dating or voiding a receipt, or changing its payment type afterwards", "Because of the TSE", "accountant or your tax adviser"),
        ("en", "Changing articles, prices, staff, users or opening hours in the till", "caretaker", "JoeCash helpdesk"),
    ];

    [Fact]
    public async Task EveryPolicyRefusal_SaysWhyAndWhereToGo_InTheShopsLanguage_AndBooksNothing()
    {
        await using var server = await BookingServer.StartAsync();
        await BookingServer.AddShopAsync(server, "K20003", "k20003@shop.test", language: "de");
        await BookingServer.AddShopAsync(server, "K20004", "k20004@shop.test", language: "en");
        var before = await BookingServer.QueryAsync<long>(server, "SELECT count(*) FROM appointments");
        foreach (var language in new[] { "de", "en" })
        {
            var number = language == "de" ? "K20003" : "K20004";
            await using var context = await browser.NewContextAsync(server.Address, language == "de" ? Browser.Phone : Browser.Desktop);
            var page = await context.NewPageAsync();
            await SignInAsync(server, page, number, $"{number.ToLowerInvariant()}@shop.test");
            foreach (var (_, label, why, instead) in Refusals.Where(r => r.Language == language))
            {
                await page.GotoAsync("/buchen/anliegen");
                await page.GetByLabel(label).CheckAsync();
                await page.Locator("#topic-next").ClickAsync();
                await Assertions.Expect(page.Locator("#refusal-title")).ToHaveTextAsync(language == "de" ? "Dabei kann Ihnen unser Support nicht helfen" : "Our support cannot help you with this");
                await Assertions.Expect(page.Locator("#refusal-text")).ToContainTextAsync(why);
                await Assertions.Expect(page.Locator("#refusal-instead")).ToContainTextAsync(instead);
                await Assertions.Expect(page.Locator("input[name=start]")).ToHaveCountAsync(0);
            }

            await Browser.ScreenshotAsync(page, $"booking-refusal-{language}");
        }

        Assert.Equal(before, await BookingServer.QueryAsync<long>(server, "SELECT count(*) FROM appointments"));
    }

    [Fact]
    public async Task AShopAtItsOpenBookingsLimit_IsToldSo_AndCannotBookMore()
    {
        // K10001 has one demo appointment; with a limit of 1 it is at its limit.
        await using var server = await BookingServer.StartAsync(settings: new Dictionary<string, string> { ["ShopBooking:MaxOpenBookings"] = "1" });
        await using var context = await browser.NewContextAsync(server.Address, Browser.Phone);
        var page = await context.NewPageAsync();
        await SignInAsync(server, page, "K10001", Shop.ShopServer.Bakery);

        await Assertions.Expect(page.Locator("#limit")).ToHaveTextAsync("Sie haben die Höchstzahl offener Termine erreicht (1)");
        await Assertions.Expect(page.Locator("#open-bookings li")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("input[name=topic]")).ToHaveCountAsync(0);
        await Browser.ScreenshotAsync(page, "booking-phone-limit");

        // The times page and a booking posted anyway lead back to the refusal, and nothing is booked.
        await page.GotoAsync("/buchen/termin?thema=fault");
        await Assertions.Expect(page.Locator("#limit")).ToBeVisibleAsync();
        var start = DateTimeOffset.Parse(CliDates.WorkingTuesday().Local(10), System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();
        var status = await page.EvaluateAsync<int>($$"""
            async () => {
                const page = await (await fetch('/buchen/anliegen')).text();
                const token = page.match(/__RequestVerificationToken" type="hidden" value="([^"]+)/)[1];
                const body = new URLSearchParams({ thema: 'fault', start: '{{start}}', rustdesk: '732901938', __RequestVerificationToken: token });
                const r = await fetch('/buchen/termin?handler=Book', { method: 'POST', body, redirect: 'manual' });
                return r.type === 'opaqueredirect' ? 302 : r.status;
            }
            """);
        Assert.Equal(302, status);
        Assert.Equal(0, await BookingServer.QueryAsync<long>(server, "SELECT count(*) FROM appointments WHERE booked_by LIKE 'shop:%'"));
    }

    [Fact]
    public async Task TheTimes_AreRankedByTheShopsOpeningHours_FromTheSampleExport()
    {
        await using var server = await BookingServer.StartAsync(settings: new Dictionary<string, string> { ["ShopBooking:SignInRequestsPerMinutePerAddress"] = "100" });
        await BookingServer.ImportSampleAsync(server);

        // Di-So 11:00-22:00: Mondays and the mornings before 11 are closed, and come first.
        var closedFirst = await TimesAsync(server, "K10002", "mehmet.schaefer@baeckerei.shop.test", Browser.Phone, "booking-phone-ranked");
        Assert.True(IsClosed(closedFirst[0]), "first: " + closedFirst[0]);
        Assert.Contains(closedFirst, l => l is "vor Öffnung" or "Ruhetag – die Filiale ist geschlossen");
        AssertRanked(closedFirst);

        // Mo-Fr 08:00-18:00, Sa 08:00-13:00: the technicians' hours all fall into opening hours.
        var open = await TimesAsync(server, "K10001", Shop.ShopServer.Bakery, Browser.Desktop, "booking-desktop-ranked-open");
        Assert.All(open, l => Assert.StartsWith("während der Öffnungszeit – die Kasse ist ca. 60 Minuten nicht nutzbar", l, StringComparison.Ordinal));
        AssertRanked(open);

        // An English shop (Di-So 11:00-22:00), and "only while we are closed".
        await using var context = await browser.NewContextAsync(server.Address, Browser.Desktop);
        var page = await context.NewPageAsync();
        await SignInAsync(server, page, "K10030", "oezlem.lange@the.shop.test");
        await page.GotoAsync("/buchen/termin?thema=fault");
        var english = await page.Locator(".slot-label").AllTextContentsAsync();
        Assert.Contains(english, l => l is "before opening" or "closed all day");
        await page.GetByLabel("Only times when we are closed").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Show times" }).ClickAsync();
        await Assertions.Expect(page.GetByLabel("Only times when we are closed")).ToBeCheckedAsync();
        var onlyClosed = await page.Locator(".slot-label").AllTextContentsAsync();
        Assert.NotEmpty(onlyClosed);
        Assert.All(onlyClosed, l => Assert.True(l is "before opening" or "closed all day" or "after closing" or "during the break between opening hours", l));
        await Browser.ScreenshotAsync(page, "booking-desktop-en-only-closed");

        // The bakery has no closed time a technician works in: it is told so, with the way back.
        await using var bakery = await browser.NewContextAsync(server.Address, Browser.Phone);
        var bakeryPage = await bakery.NewPageAsync();
        await SignInAsync(server, bakeryPage, "K10001", Shop.ShopServer.Bakery, count: 2);
        await bakeryPage.GotoAsync("/buchen/termin?thema=fault&geschlossen=true");
        await Assertions.Expect(bakeryPage.Locator("#no-times")).ToContainTextAsync("während Ihr Geschäft geschlossen ist");
    }

    private static bool IsClosed(string label) =>
        label is "vor Öffnung" or "nach Ladenschluss" or "in der Pause zwischen den Öffnungszeiten" or "Ruhetag – die Filiale ist geschlossen";

    /// <summary>Closed first, then by the minutes the open shop goes without its till.</summary>
    private static void AssertRanked(IReadOnlyList<string> labels)
    {
        var keys = labels.Select(l => IsClosed(l) ? 0 : int.Parse(Regex.Match(l, @"ca\. (\d+) Minuten").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.True(keys.SequenceEqual(keys.Order()), "not ranked: " + string.Join(" | ", labels));
    }

    /// <summary>The labels of the fault times a signed-in shop sees, in the page's order.</summary>
    private async Task<IReadOnlyList<string>> TimesAsync(WebServer server, string number, string email, ViewportSize viewport, string screenshot)
    {
        await using var context = await browser.NewContextAsync(server.Address, viewport);
        var page = await context.NewPageAsync();
        await SignInAsync(server, page, number, email);
        await page.GotoAsync("/buchen/termin?thema=fault");
        await Assertions.Expect(page.Locator("#only-closed")).ToBeVisibleAsync();
        await Browser.ScreenshotAsync(page, screenshot);
        var labels = await page.Locator(".slot-label").AllTextContentsAsync();
        Assert.Equal(await page.Locator("label.slot").CountAsync(), labels.Count);
        Assert.NotEmpty(labels);
        return [.. labels.Select(l => l.Trim())];
    }

    /// <summary>Signs <paramref name="page"/> in as the shop: the link from the pickup folder, then its button.</summary>
    private static async Task SignInAsync(WebServer server, IPage page, string number, string email, int count = 1)
    {
        using var client = server.Client();
        var (status, _) = await BookingServer.RequestLinkAsync(client, number, email);
        Assert.Equal(System.Net.HttpStatusCode.OK, status);
        await page.GotoAsync(BookingServer.SignInLink(await BookingServer.SignInEmailAsync(server, email, count)));
        await page.Locator("#confirm-sign-in").ClickAsync();
        await Assertions.Expect(page.Locator("#signed-in")).ToContainTextAsync(number);
    }
}
