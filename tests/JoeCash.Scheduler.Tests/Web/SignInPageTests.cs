using JoeCash.Scheduler.Tests.Infrastructure;
using Microsoft.Playwright;

namespace JoeCash.Scheduler.Tests.Web;

/// <summary>Signing in and out in a real browser (Debian's Chromium), on a phone and on a desktop.</summary>
[Collection(nameof(BrowserTests))]
public sealed class SignInPageTests(Browser browser) : IAsyncLifetime
{
    private WebServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await WebServer.StartAsync();

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("phone")]
    [InlineData("desktop")]
    public async Task A_dispatcher_signs_in_with_the_keyboard_sees_the_account_page_and_signs_out(string device)
    {
        await using var context = await browser.NewContextAsync(_server.Address, device == "phone" ? Browser.Phone : Browser.Desktop);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/account");
        Assert.EndsWith("/sign-in?ReturnUrl=%2Faccount", page.Url, StringComparison.Ordinal);
        await Browser.ScreenshotAsync(page, $"sign-in-{device}");

        // Labels lead to their fields; Enter submits, as a person at a keyboard does.
        await page.GetByLabel("E-Mail-Adresse").FillAsync(WebServer.Dispatcher);
        await page.GetByLabel("Passwort").FillAsync("not the password");
        await page.GetByLabel("Passwort").PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("E-Mail-Adresse oder Passwort stimmen nicht.");
        await Browser.ScreenshotAsync(page, $"sign-in-wrong-{device}");

        await page.GetByLabel("Passwort").FillAsync(_server.DemoPassword!);
        await page.GetByRole(AriaRole.Button, new() { Name = "Anmelden" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Ihr Konto" })).ToBeVisibleAsync();
        Assert.EndsWith("/account", page.Url, StringComparison.Ordinal);
        await Assertions.Expect(page.GetByText("Disposition (Demo) · Disposition")).ToBeVisibleAsync();
        await Browser.ScreenshotAsync(page, $"account-{device}");

        await page.GetByRole(AriaRole.Button, new() { Name = "Abmelden", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Sie sind abgemeldet.");
        await page.GotoAsync("/account");
        Assert.Contains("/sign-in", page.Url, StringComparison.Ordinal);
    }
}
