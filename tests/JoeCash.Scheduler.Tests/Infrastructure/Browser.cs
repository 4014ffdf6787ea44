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

    /// <summary>
    /// Records, from now on, every request the pages of <paramref name="context"/> make and every Content-Security-Policy
    /// violation they report (a <c>securitypolicyviolation</c> event, or Chromium's console line about one).
    /// </summary>
    public static async Task<PageTraffic> RecordAsync(IBrowserContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var traffic = new PageTraffic();
        await context.ExposeFunctionAsync("__reportCspViolation", (string what) => traffic.Add(traffic.Violations, what));
        await context.AddInitScriptAsync("document.addEventListener('securitypolicyviolation', e => window.__reportCspViolation(e.violatedDirective + ' ' + e.blockedURI));");
        context.Request += (_, request) => traffic.Add(traffic.Requests, request.Url);
        context.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                traffic.Add(traffic.Violations, message.Text);
            }
        };
        return traffic;
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

/// <summary>What a browser context asked for (every URL) and which CSP violations its pages reported.</summary>
public sealed class PageTraffic
{
    private readonly Lock _gate = new();

    public List<string> Requests { get; } = [];

    public List<string> Violations { get; } = [];

    /// <summary>The requested URLs whose host and port are not <paramref name="server"/>'s (data: and blob: URLs aside).</summary>
    public IReadOnlyList<string> Elsewhere(Uri server)
    {
        ArgumentNullException.ThrowIfNull(server);
        lock (_gate)
        {
            return [.. Requests.Where(u => !u.StartsWith("data:", StringComparison.Ordinal) && !u.StartsWith("blob:", StringComparison.Ordinal)
                && !(Uri.TryCreate(u, UriKind.Absolute, out var uri) && uri.Host == server.Host && uri.Port == server.Port))];
        }
    }

    internal void Add(List<string> list, string item)
    {
        lock (_gate)
        {
            list.Add(item);
        }
    }
}

/// <summary>Page tests share one browser and run one after another: two cores, one Chromium.</summary>
[CollectionDefinition(nameof(BrowserTests), DisableParallelization = true)]
public sealed class BrowserTests : ICollectionFixture<Browser>;
