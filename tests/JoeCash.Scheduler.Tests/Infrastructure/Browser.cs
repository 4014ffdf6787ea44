using Microsoft.Playwright;

namespace JoeCash.Scheduler.Tests.Infrastructure;

/// <summary>
/// Debian's Chromium under Playwright, one per test assembly (it takes about 2 s to start). Each test opens its
/// own context (cookies, viewport) and saves screenshots under <c>tests/artifacts/screenshots/</c> to be looked at.
/// </summary>
public sealed class Browser : IAsyncLifetime
{
    public static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };
    public static readonly ViewportSize Desktop = new() { Width = 1366, Height = 900 };

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public static string ScreenshotDirectory { get; } = Path.Combine(Paths.RepositoryRoot, "tests", "artifacts", "screenshots");

    public async ValueTask InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            // Debian's package: Playwright's own download is neither possible nor wanted here.
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        Directory.CreateDirectory(ScreenshotDirectory);
        // A CI machine runs the other test classes beside these on 2 cores: a page that takes 5 s is slow, not wrong.
        Assertions.SetDefaultExpectTimeout(20_000);
    }

    /// <summary>A fresh browser profile (no cookies) with <paramref name="viewport"/> and a language, at <paramref name="baseUrl"/>.</summary>
    public async Task<IBrowserContext> NewContextAsync(Uri baseUrl, ViewportSize? viewport = null, string locale = "de-DE")
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl.ToString(),
            ViewportSize = viewport ?? Desktop,
            Locale = locale,
            TimezoneId = "Europe/Berlin",
            IsMobile = viewport == Phone,
            HasTouch = viewport == Phone,
        });
        context.SetDefaultTimeout(30_000);
        context.SetDefaultNavigationTimeout(30_000);
        return context;
    }

    /// <summary>Saves the whole page as <c>{name}.png</c> and returns the path.</summary>
    public static async Task<string> ScreenshotAsync(IPage page, string name)
    {
        ArgumentNullException.ThrowIfNull(page);
        var path = Path.Combine(ScreenshotDirectory, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}

/// <summary>Page tests share one browser and run one after another: two cores, one Chromium.</summary>
[CollectionDefinition(nameof(BrowserTests), DisableParallelization = true)]
public sealed class BrowserTests : ICollectionFixture<Browser>;
