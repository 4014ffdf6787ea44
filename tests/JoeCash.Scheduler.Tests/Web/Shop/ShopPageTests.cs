using System.Text.RegularExpressions;
using JoeCash.Scheduler.Tests.Feeds;
using JoeCash.Scheduler.Tests.Infrastructure;
using Microsoft.Playwright;

namespace JoeCash.Scheduler.Tests.Web.Shop;

/// <summary>
/// A shop opens the link from its real invitation (an .eml the service wrote) in Chromium, on a phone and at a desk, and
/// does what the page offers: confirm, a wrong and a right RustDesk ID, another time, cancel. The emails that follow are
/// read back by ical.js.
/// </summary>
[Collection(nameof(BrowserTests))]
public sealed class ShopPageTests(Browser browser) : IAsyncLifetime
{
    private WebServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await ShopServer.StartAsync();

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task OnAPhone_TheShopConfirms_GivesItsRustDeskId_AndMovesTheAppointment()
    {
        var link = await ShopServer.LinkAsync(_server, ShopServer.Butcher);
        await using var context = await browser.NewContextAsync(_server.Address, Browser.Phone);
        var page = await context.NewPageAsync();
        await page.GotoAsync(link);

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Ihr Fernwartungstermin" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".when .time")).ToHaveTextAsync(new Regex(@"^\d\d:\d\d–\d\d:\d\d Uhr \(ME(S)?Z\)$"));
        await Assertions.Expect(page.Locator(".when")).ToContainTextAsync("Anna");
        await Assertions.Expect(page.Locator(".when")).Not.ToContainTextAsync("Berger");
        await Assertions.Expect(page.Locator("ul.prepare")).ToContainTextAsync("unten links in der Kassenanzeige");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "+49 30 1234567" }).First).ToHaveAttributeAsync("href", "tel:+49301234567");
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "the shop page scrolls sideways on a phone");
        await Browser.ScreenshotAsync(page, "shop-phone");

        await page.GetByRole(AriaRole.Button, new() { Name = "Termin bestätigen" }).ClickAsync();
        await Assertions.Expect(page.Locator("#done")).ToHaveTextAsync("Danke, der Termin ist bestätigt.");
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("von Ihnen bestätigt");

        var field = page.GetByLabel("RustDesk-ID Ihrer Kasse");
        await field.FillAsync("12 34");
        await page.GetByRole(AriaRole.Button, new() { Name = "RustDesk ist bereit – ID bestätigen" }).ClickAsync();
        await Assertions.Expect(page.Locator("#rustdesk-error")).ToContainTextAsync("Das ist keine RustDesk-ID.");
        await Assertions.Expect(field).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(field).ToHaveValueAsync("12 34");
        await Browser.ScreenshotAsync(page, "shop-phone-rustdesk-error");
        await field.FillAsync("123 456 789");
        await page.GetByRole(AriaRole.Button, new() { Name = "RustDesk ist bereit – ID bestätigen" }).ClickAsync();
        await Assertions.Expect(page.Locator("#rustdesk-confirmed")).ToContainTextAsync("123 456 789");
        var shown = await _server.Cli.RunAsync("customer", "list", "--search", "K10006", "--json");
        Assert.Contains("123456789", shown.Stdout, StringComparison.Ordinal);

        await page.GetByRole(AriaRole.Link, new() { Name = "Anderen Termin wählen" }).ClickAsync();
        var choice = page.Locator("label.slot").Nth(2);
        var chosen = (await choice.TextContentAsync())!.Trim();
        await choice.ClickAsync();
        await Browser.ScreenshotAsync(page, "shop-phone-times");
        await page.GetByRole(AriaRole.Button, new() { Name = "Diesen Termin nehmen" }).ClickAsync();
        await Assertions.Expect(page.Locator("#done")).ToContainTextAsync("Der Termin ist verschoben.");
        await Assertions.Expect(page.Locator(".when .time")).ToHaveTextAsync(chosen);
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("noch nicht bestätigt");

        var update = await ShopServer.EmailAsync(_server, "update.1.", ShopServer.Butcher);
        Assert.Equal(link, ShopServer.PathOf(ShopServer.Link(update)!));
        Assert.Contains(chosen.Split(' ')[0], update.TextBody, StringComparison.Ordinal);
        var report = await FeedFixture.IcalJsAsync("shop-page-update", Invitations.Invitations.CalendarBytes(update));
        Assert.Equal("REQUEST", report.GetProperty("method").GetString());
        Assert.Equal(1, Assert.Single(report.GetProperty("events").EnumerateArray()).GetProperty("sequence").GetInt32());
    }

    [Fact]
    public async Task AtADesk_AnEnglishShopAcknowledgesNothingTwice_AndCancels()
    {
        var link = await ShopServer.LinkAsync(_server, ShopServer.Pizzeria);
        await using var context = await browser.NewContextAsync(_server.Address, Browser.Desktop);
        var page = await context.NewPageAsync();
        await page.GotoAsync(link);

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your remote maintenance appointment" })).ToBeVisibleAsync();
        Assert.Equal("en", await page.Locator("html").GetAttributeAsync("lang"));
        // Billable, and acknowledged by the dispatcher on the phone when booking: shown, nothing to click.
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Cost notice" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#cost-acknowledged")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "I acknowledge the cost notice" })).ToHaveCountAsync(0);
        await Browser.ScreenshotAsync(page, "shop-desktop-en");

        await page.GetByRole(AriaRole.Link, new() { Name = "Cancel the appointment …" }).ClickAsync();
        await Browser.ScreenshotAsync(page, "shop-desktop-en-cancel");
        await page.GetByRole(AriaRole.Button, new() { Name = "Yes, cancel the appointment" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "This appointment is cancelled" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "+49 30 1234567" })).ToBeVisibleAsync();

        var cancellation = await ShopServer.EmailAsync(_server, "cancellation.1.", ShopServer.Pizzeria);
        Assert.Null(ShopServer.Link(cancellation));
        var report = await FeedFixture.IcalJsAsync("shop-page-cancel", Invitations.Invitations.CalendarBytes(cancellation));
        Assert.Equal("CANCEL", report.GetProperty("method").GetString());
        // Back from the browser's history: the old form now answers with the friendly page, and nothing changes twice.
        await page.GoBackAsync();
        await page.ReloadAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "This appointment is cancelled" })).ToBeVisibleAsync();
    }
}
