using System.Globalization;
using JoeCash.Scheduler.Tests.Infrastructure;
using Microsoft.Playwright;

namespace JoeCash.Scheduler.Tests.Web.Dispatch;

/// <summary>
/// A dispatcher cancels in a real browser: from a stale tab (refused, and it says what changed), then for real (the
/// shop is told once); and every dispatcher page fits a phone, loads nothing from another host and breaks no CSP rule.
/// </summary>
[Collection(nameof(BrowserTests))]
public sealed class DispatchCancelTests(Browser browser) : IAsyncLifetime
{
    private WebServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await WebServer.StartAsync();

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_cancel_from_a_stale_tab_is_refused_and_says_what_changed_and_a_current_one_cancels_once()
    {
        var day = CliDates.WorkingTuesday(6);
        var booked = await _server.Cli.RunAsync("book", "--customer", "K10006", "--type", "fault", "--technician", "1", "--at", day.At(9), "--json");
        Assert.True(booked.ExitCode == 0, booked.ToString());
        var id = booked.Json.GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture);

        await using var mine = await browser.NewContextAsync(_server.Address);
        await using var theirs = await browser.NewContextAsync(_server.Address);
        var page = await SignInAsync(mine, $"/dispatch/appointments/{id}");
        var other = await SignInAsync(theirs, $"/dispatch/appointments/{id}");

        // The other tab moves it to 11:00 first; my cancel still carries 09:00 and version 1.
        await other.GetByLabel("Neuer Beginn (Europe/Berlin)").FillAsync(day.At(11));
        await other.GetByRole(AriaRole.Button, new() { Name = "Verschieben" }).ClickAsync();
        await Assertions.Expect(other.Locator("#done")).ToContainTextAsync("Verschoben.");
        await page.GetByLabel("Grund").FillAsync("Filiale hat Inventur");
        await page.GetByRole(AriaRole.Button, new() { Name = "Termin absagen" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Ihre Änderung wurde nicht ausgeführt.");
        var changes = page.Locator("table.changes");
        await Assertions.Expect(changes.Locator("tr", new() { HasText = "Zeit" })).ToContainTextAsync("09:00–10:00");
        await Assertions.Expect(changes.Locator("tr", new() { HasText = "Zeit" })).ToContainTextAsync("11:00–12:00");
        await Assertions.Expect(changes.Locator("tr", new() { HasText = "Version" }).Locator("td")).ToHaveTextAsync(["1", "2"]);
        Assert.Equal("booked", await StatusAsync(id));
        await Browser.ScreenshotAsync(page, "dispatch-cancel-stale-desktop");

        // The refused page carries the current state: the cancel now goes through, with its reason.
        await page.GetByRole(AriaRole.Button, new() { Name = "Termin absagen" }).ClickAsync();
        await Assertions.Expect(page.Locator("#done")).ToHaveTextAsync("Abgesagt. Die Filiale bekommt die Absage.");
        await Assertions.Expect(page.Locator("h1 .badge")).ToHaveTextAsync("abgesagt");
        await Assertions.Expect(page.Locator("#cancel-form")).ToHaveCountAsync(0);
        Assert.Equal("cancelled", await StatusAsync(id));

        // The other tab, now stale, cancels too: refused because it is cancelled, and the page now shows it so.
        await other.GetByRole(AriaRole.Button, new() { Name = "Termin absagen" }).ClickAsync();
        await Assertions.Expect(other.GetByRole(AriaRole.Alert)).ToContainTextAsync("Der Termin ist abgesagt und kann nicht mehr geändert werden.");
        await Assertions.Expect(other.Locator("h1 .badge")).ToHaveTextAsync("abgesagt");
        await Assertions.Expect(other.Locator("#cancel-form")).ToHaveCountAsync(0);
        await Browser.ScreenshotAsync(other, "dispatch-cancel-already-cancelled-desktop");

        // The shop is told once.
        var mail = await _server.Cli.RunAsync("mail", "list", "--limit", "500", "--json");
        var cancellations = mail.Json.GetProperty("messages").EnumerateArray()
            .Where(m => m.GetProperty("appointment").ValueKind == System.Text.Json.JsonValueKind.Number && m.GetProperty("appointment").GetInt64().ToString(CultureInfo.InvariantCulture) == id)
            .Where(m => m.GetProperty("recipient").GetString() == "jana.wolf@metzgerei.shop.test" && m.GetProperty("kind").GetString()!.Contains("cancel", StringComparison.Ordinal));
        Assert.Single(cancellations);
    }

    [Fact]
    public async Task Every_dispatcher_page_fits_a_phone_loads_nothing_from_another_host_and_breaks_no_csp_rule()
    {
        var day = CliDates.WorkingTuesday(4);
        await using var context = await browser.NewContextAsync(_server.Address, Browser.Phone);
        var traffic = await Browser.RecordAsync(context);
        var page = await SignInAsync(context, "/dispatch");
        string[] pages =
        [
            "/dispatch", $"/dispatch/book?type=training&customer=K10001&technician=any&from={day.Text()}&days=2", "/dispatch/appointments/1",
            "/dispatch/shops", "/dispatch/shops?edit=K10001", "/dispatch/technicians", "/dispatch/billing", $"/day?date={day.Text()}&technician=1", "/account",
        ];
        foreach (var path in pages)
        {
            var response = await page.GotoAsync(path);
            Assert.True(response is { Ok: true }, $"{path}: {response?.Status}");
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), $"{path} scrolls sideways on a phone");
        }

        await Browser.ScreenshotAsync(page, "dispatch-account-phone");
        Assert.True(traffic.Requests.Count > pages.Length, string.Join("\n", traffic.Requests));
        Assert.Empty(traffic.Elsewhere(_server.Address));
        Assert.Empty(traffic.Violations);
    }

    private async Task<string?> StatusAsync(string id) =>
        (await _server.Cli.RunAsync("show", id, "--json")).Json.GetProperty("appointment").GetProperty("status").GetString();

    private async Task<IPage> SignInAsync(IBrowserContext context, string path)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync("/sign-in?ReturnUrl=" + Uri.EscapeDataString(path));
        await page.GetByLabel("E-Mail-Adresse").FillAsync(WebServer.Dispatcher);
        await page.GetByLabel("Passwort").FillAsync(_server.DemoPassword!);
        await page.GetByLabel("Passwort").PressAsync("Enter");
        await page.WaitForURLAsync(url => url.Contains(path.Split('?')[0], StringComparison.Ordinal));
        return page;
    }
}
