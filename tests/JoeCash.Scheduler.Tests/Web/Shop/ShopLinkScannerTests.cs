using System.Net;
using JoeCash.Scheduler.Tests.Infrastructure;
using Microsoft.Playwright;

namespace JoeCash.Scheduler.Tests.Web.Shop;

/// <summary>
/// A mail security scanner (Safe Links, Mimecast, Proofpoint, a shop's antivirus) opens every link in every email the
/// service sends, with GET, with HEAD, and in a headless browser that runs the page's scripts, follows redirects and
/// opens the links it finds there. Afterwards the database holds exactly what it held before.
/// </summary>
[Collection(nameof(BrowserTests))]
public sealed class ShopLinkScannerTests(Browser browser) : IAsyncLifetime
{
    private WebServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await ShopServer.StartAsync();

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task EveryLinkInEveryEmail_OpenedByAScanner_ChangesNothing()
    {
        // The demo's invitations (shops and technicians), then an update and a cancellation, so every kind is there.
        await ShopServer.EmailsAsync(_server, 10);
        var moved = await _server.Cli.RunAsync("reschedule", "1", "--version", "1", "--at", CliDates.WorkingTuesday().At(10));
        Assert.True(moved.ExitCode == 0, moved.ToString());
        var cancelled = await _server.Cli.RunAsync("cancel", "2", "--version", "1", "--reason", "Filiale geschlossen");
        Assert.True(cancelled.ExitCode == 0, cancelled.ToString());
        await ShopServer.EmailAsync(_server, "update.1.", ShopServer.Bakery);
        await ShopServer.EmailAsync(_server, "cancellation.1.", "marie.hoffmann@friseur.shop.test");
        var emails = await ShopServer.EmailsAsync(_server, 14);
        var urls = emails.SelectMany(e => ShopServer.Urls(e.Message)).Distinct().ToArray();
        var ours = urls.Where(u => new Uri(u).Authority == _server.Address.Authority).ToArray();
        Assert.True(ours.Count(u => u.Contains("/s/", StringComparison.Ordinal)) == 5, "expected one personal link per demo shop:\n" + string.Join("\n", urls));
        await Task.Delay(1500); // let the dispatcher mark everything sent before the snapshot
        var before = await ShopServer.SnapshotAsync(_server);

        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = true, UseCookies = true });
        var seen = new List<string>();
        foreach (var url in ours)
        {
            using var get = await http.GetAsync(new Uri(url));
            using var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, new Uri(url)));
            seen.Add($"GET {(int)get.StatusCode} HEAD {(int)head.StatusCode} {Redact(url)}");
            Assert.NotEqual(HttpStatusCode.InternalServerError, get.StatusCode);
        }

        await using var context = await browser.NewContextAsync(_server.Address, Browser.Desktop);
        var page = await context.NewPageAsync();
        foreach (var url in ours)
        {
            await page.GotoAsync(url, new() { WaitUntil = WaitUntilState.NetworkIdle });
            // Detonation: open every link on the page too (the page's own GET links: other times, cancel…).
            var hrefs = await page.EvaluateAsync<string[]>("[...document.querySelectorAll('a[href]')].map(a => a.href).filter(h => h.startsWith(location.origin))");
            foreach (var href in hrefs.Distinct())
            {
                await page.GotoAsync(href, new() { WaitUntil = WaitUntilState.NetworkIdle });
                seen.Add($"browser {Redact(href)}");
            }
        }

        Assert.Equal(before, await ShopServer.SnapshotAsync(_server));
        Assert.Contains(seen, s => s.Contains("?times=true", StringComparison.Ordinal));
        Assert.Contains(seen, s => s.Contains("?cancel=true", StringComparison.Ordinal));
        await File.WriteAllLinesAsync(Path.Combine(Browser.ScreenshotDirectory, "scanner-requests.txt"), seen);
    }

    private static string Redact(string url) => System.Text.RegularExpressions.Regex.Replace(url, "/s/[A-Za-z0-9_-]{8}[A-Za-z0-9_-]+", "/s/…");
}
