using System.Diagnostics;
using System.Net;
using JoeCash.Scheduler.Tests.Infrastructure;
using JoeCash.Scheduler.Tests.Web.Shop;
using Microsoft.Playwright;

namespace JoeCash.Scheduler.Tests.Web.Booking;

/// <summary>
/// The booking page's sign-in: a scanner opening every link of the sign-in email signs nobody in and changes nothing;
/// a link works once and in time; a right and a wrong customer number get the same answer in comparable time; requests
/// are limited per number and per client.
/// </summary>
[Collection(nameof(BrowserTests))]
public sealed class ShopSignInTests(Browser browser)
{
    [Fact]
    public async Task EveryLinkInTheSignInEmail_OpenedByAScanner_ChangesNothing_AndSignsNobodyIn()
    {
        await using var server = await BookingServer.StartAsync();
        using var shop = server.Client();
        Assert.Equal(HttpStatusCode.OK, (await BookingServer.RequestLinkAsync(shop, "K10006", ShopServer.Butcher)).Status);
        var email = await BookingServer.SignInEmailAsync(server, ShopServer.Butcher);
        var urls = ShopServer.Urls(email).Distinct().ToArray();
        var link = BookingServer.SignInLink(email);
        Assert.Contains(link, urls);
        Assert.Contains(urls, u => u.EndsWith("/buchen", StringComparison.Ordinal));
        await Task.Delay(1500); // the dispatcher marks the email sent; then the database stands still
        var before = await ShopServer.SnapshotAsync(server);

        var handler = new HttpClientHandler { AllowAutoRedirect = true, UseCookies = true };
        using (var http = new HttpClient(handler))
        {
            foreach (var url in urls)
            {
                using var get = await http.GetAsync(new Uri(url));
                using var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, new Uri(url)));
                Assert.True(get.StatusCode == HttpStatusCode.OK, $"GET {url}: {(int)get.StatusCode}");
                Assert.NotEqual(HttpStatusCode.InternalServerError, head.StatusCode);
            }

            Assert.DoesNotContain(handler.CookieContainer.GetAllCookies(), c => c.Name == "joecash.shop");
        }

        await using var context = await browser.NewContextAsync(server.Address, Browser.Desktop);
        var page = await context.NewPageAsync();
        foreach (var url in urls)
        {
            await page.GotoAsync(url, new() { WaitUntil = WaitUntilState.NetworkIdle });
            var hrefs = await page.EvaluateAsync<string[]>("[...document.querySelectorAll('a[href]')].map(a => a.href).filter(h => h.startsWith(location.origin))");
            foreach (var href in hrefs.Distinct())
            {
                await page.GotoAsync(href, new() { WaitUntil = WaitUntilState.NetworkIdle });
            }
        }

        Assert.DoesNotContain(await context.CookiesAsync(), c => c.Name == "joecash.shop");
        await page.GotoAsync("/buchen/anliegen");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Anmeldelink schicken" })).ToBeVisibleAsync();
        Assert.Equal(before, await ShopServer.SnapshotAsync(server));

        // The link still works for the shop itself, after all that.
        await page.GotoAsync(link);
        await page.Locator("#confirm-sign-in").ClickAsync();
        await Assertions.Expect(page.Locator("#signed-in")).ToContainTextAsync("K10006");
    }

    [Fact]
    public async Task ASignInLink_UsedTwice_SignsInOnce_AndALateOneNever()
    {
        await using var server = await BookingServer.StartAsync();
        using var shop = server.Client();
        await BookingServer.RequestLinkAsync(shop, "K10006", ShopServer.Butcher);
        var path = ShopServer.PathOf(BookingServer.SignInLink(await BookingServer.SignInEmailAsync(server, ShopServer.Butcher)));

        // Without the form's antiforgery token the button's POST is refused and the link stays unused.
        using (var forged = await shop.Http.PostAsync(new Uri(path, UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>())))
        {
            Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        }

        using (var first = await shop.PostFormAsync(path, path, new Dictionary<string, string>()))
        {
            Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
            Assert.Equal("/buchen/anliegen", first.Headers.Location?.OriginalString);
            var setCookie = Assert.Single(first.Headers.GetValues("Set-Cookie"), c => c.StartsWith("joecash.shop=", StringComparison.Ordinal)).ToLowerInvariant();
            Assert.Contains("path=/buchen", setCookie, StringComparison.Ordinal);
            Assert.Contains("samesite=lax", setCookie, StringComparison.Ordinal);
            Assert.Contains("httponly", setCookie, StringComparison.Ordinal);
            Assert.DoesNotContain("expires=", setCookie, StringComparison.Ordinal); // a browser session's cookie; the ticket inside expires after SessionLifetime
        }

        // The staff pages know nothing of the shop's cookie.
        using (var staff = await shop.GetAsync("/dispatch"))
        {
            Assert.Equal(HttpStatusCode.Redirect, staff.StatusCode);
            var where = staff.Headers.Location is { IsAbsoluteUri: true } absolute ? absolute.PathAndQuery : staff.Headers.Location!.OriginalString;
            Assert.StartsWith("/sign-in", where, StringComparison.Ordinal);
        }

        Assert.Contains("Worum geht es?", await shop.GetPageAsync("/buchen/anliegen"), StringComparison.Ordinal);

        // A second click, a second tab, another browser: the link is used.
        using var other = server.Client();
        var form = await other.GetAsync(path);
        var html = await form.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Gone, form.StatusCode);
        Assert.Contains("schon benutzt", html, StringComparison.Ordinal);
        using var again = await other.PostFormAsync("/buchen", path, new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Gone, again.StatusCode);
        Assert.DoesNotContain(other.Cookies.GetAllCookies(), c => c.Name == "joecash.shop");
        using var intake = await other.GetAsync("/buchen/anliegen");
        Assert.Equal(HttpStatusCode.Redirect, intake.StatusCode);

        // A link whose time ran out (its expiry moved into the past: the service compares with its own clock).
        await BookingServer.RequestLinkAsync(other, "K10006", ShopServer.Butcher);
        var late = ShopServer.PathOf(BookingServer.SignInLink(await BookingServer.SignInEmailAsync(server, ShopServer.Butcher, count: 2)));
        Assert.NotEqual(path, late);
        await BookingServer.ExecuteAsync(server, "UPDATE shop_sign_ins SET expires_at = issued_at WHERE used_at IS NULL AND customer_id IS NOT NULL");
        using var shown = await other.GetAsync(late);
        Assert.Equal(HttpStatusCode.Gone, shown.StatusCode);
        Assert.Contains("abgelaufen", await shown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var posted = await other.PostFormAsync("/buchen", late, new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Gone, posted.StatusCode);
        Assert.DoesNotContain(other.Cookies.GetAllCookies(), c => c.Name == "joecash.shop");
        Assert.Null(await BookingServer.QueryAsync<long?>(server, "SELECT used_at FROM shop_sign_ins WHERE expires_at = issued_at AND customer_id IS NOT NULL"));

        // The session cookie of the first sign-in is the shop's own: HttpOnly, SameSite=Lax, only for /buchen.
        Assert.Equal(HttpStatusCode.NotFound, (await shop.GetAsync("/buchen/anmelden/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")).StatusCode);
        var cookie = Assert.Single(shop.Cookies.GetAllCookies(), c => c.Name == "joecash.shop");
        Assert.True(cookie.HttpOnly);
        Assert.Equal("/buchen", cookie.Path);
    }

    [Fact]
    public async Task ARightAndAWrongCustomerNumber_AreAnsweredAlike_InComparableTime()
    {
        await using var server = await BookingServer.StartAsync(settings: new Dictionary<string, string>
        {
            ["ShopBooking:SignInRequestsPerHourPerNumber"] = "1000",
            ["ShopBooking:SignInRequestsPerMinutePerAddress"] = "1000",
        });
        using var client = server.Client();
        var pairs = new (string Number, string Email, bool Matches)[]
        {
            ("K10006", ShopServer.Butcher, true),
            ("K99999", ShopServer.Butcher, false),            // no such shop
            ("K10001", ShopServer.Butcher, false),            // a shop, but not its address
        };
        // Warm up every path (JIT, connection pool), then alternate so that background work hits each alike.
        foreach (var (number, email, _) in pairs)
        {
            await BookingServer.RequestLinkAsync(client, number, email);
        }

        var times = pairs.ToDictionary(p => p.Number, _ => new List<double>());
        var pages = pairs.ToDictionary(p => p.Number, _ => new HashSet<string>());
        for (var round = 0; round < 12; round++)
        {
            foreach (var (number, email, _) in pairs)
            {
                var token = StaffClient.Token(await client.GetPageAsync("/buchen"));
                using var content = new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["number"] = number, ["email"] = email, ["lang"] = "de", ["__RequestVerificationToken"] = token,
                });
                var watch = Stopwatch.StartNew();
                using var response = await client.Http.PostAsync(new Uri("/buchen", UriKind.Relative), content);
                var html = await response.Content.ReadAsStringAsync();
                watch.Stop();
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                times[number].Add(watch.Elapsed.TotalMilliseconds);
                pages[number].Add(html);
            }
        }

        // Word for word the same page, whichever pair it was.
        var all = pages.Values.SelectMany(p => p).Distinct().ToArray();
        Assert.Single(all);
        Assert.Contains("Wenn die Kundennummer und die E-Mail-Adresse zu einer Filiale passen", all[0], StringComparison.Ordinal);
        // Only the matching pair got emails (13: the warm-up's and the rounds').
        await BookingServer.SignInEmailAsync(server, ShopServer.Butcher, count: 13);
        Assert.Equal(13, await BookingServer.QueryAsync<long>(server, "SELECT count(*) FROM outbox WHERE kind = 'shop-sign-in'"));

        var medians = times.ToDictionary(t => t.Key, t => t.Value.Order().ElementAt(t.Value.Count / 2));
        var report = string.Join(", ", medians.Select(m => $"{m.Key} {m.Value:F1} ms"));
        await File.WriteAllTextAsync(Path.Combine(Browser.ScreenshotDirectory, "booking-sign-in-timing.txt"), report + "\n");
        var spread = medians.Values.Max() - medians.Values.Min();
        // The same work both ways: medians within 20 ms or 50 % of each other (a shared CI machine is noisy).
        Assert.True(spread < Math.Max(20, 0.5 * medians.Values.Max()), "answer times differ: " + report);
    }

    [Fact]
    public async Task SignInRequests_AreLimitedPerCustomerNumber_AndPerClient()
    {
        await using var server = await BookingServer.StartAsync(settings: new Dictionary<string, string>
        {
            ["ShopBooking:SignInRequestsPerHourPerNumber"] = "3",
            ["ShopBooking:SignInRequestsPerMinutePerAddress"] = "8",
        });
        using var client = server.Client();
        // Per number, whether or not it exists: the fourth request for either is refused.
        foreach (var number in new[] { "K10006", "K77777" })
        {
            for (var i = 0; i < 3; i++)
            {
                Assert.Equal(HttpStatusCode.OK, (await BookingServer.RequestLinkAsync(client, number, ShopServer.Butcher)).Status);
            }

            var (status, body) = await BookingServer.RequestLinkAsync(client, number.ToLowerInvariant(), "x@shop.test");
            Assert.Equal(HttpStatusCode.TooManyRequests, status);
            Assert.Contains("Zu viele Anfragen", body, StringComparison.Ordinal);
        }

        // Per client: 8 attempts a minute in all, so the next one for a fresh number is refused too.
        var (refused, _) = await BookingServer.RequestLinkAsync(client, "K10001", ShopServer.Bakery);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused);
        Assert.Equal(3, await BookingServer.QueryAsync<long>(server, "SELECT count(*) FROM outbox WHERE kind = 'shop-sign-in'"));
    }
}
