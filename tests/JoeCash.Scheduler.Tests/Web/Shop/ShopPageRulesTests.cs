using System.Net;
using JoeCash.Scheduler.Tests.Infrastructure;

namespace JoeCash.Scheduler.Tests.Web.Shop;

/// <summary>
/// The page's rules over plain HTTP against the real service: a second submit, two tabs, a late cancellation, a
/// replaced link, a link used for another appointment, unknown links, the rate limit. Each refusal changes nothing.
/// </summary>
public sealed class ShopPageRulesTests : IAsyncLifetime
{
    private WebServer _server = null!;

    // Cancelling and moving on the page close a day before the start: the demo's appointments (tomorrow) are inside it
    // for the late-cancel test, and another test books one further out.
    public async ValueTask InitializeAsync() => _server = await ShopServer.StartAsync(new Dictionary<string, string>
    {
        ["SelfService:CancelNotice"] = "2.00:00:00",
        ["SelfService:RequestsPerMinutePerLink"] = "40",
    });

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task DoubleSubmit_ChangesOnce_AndTheSecondIsToldItWasDone()
    {
        var link = await ShopServer.LinkAsync(_server, ShopServer.Bakery);
        using var client = _server.Client();
        var form = await client.GetPageAsync(link);
        var fields = Fields(form);

        using var first = await client.PostFormAsync(link, link + "?handler=Confirm", fields);
        using var second = await client.PostFormAsync(link, link + "?handler=Confirm", fields);

        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.EndsWith("?done=confirmed", first.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.EndsWith("?done=same", second.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var shown = await _server.Cli.RunAsync("show", "1", "--json");
        Assert.Equal(1, shown.Stdout.Split("\"answered\"").Length - 1);
    }

    [Fact]
    public async Task TwoTabsMovingAtOnce_OneWins_TheOtherIsTold()
    {
        var link = await ShopServer.LinkAsync(_server, ShopServer.Butcher);
        // Moving is closed within two days of the start here: book the butcher again further out.
        var booked = await _server.Cli.RunAsync("book", "--customer", "K10006", "--type", "fault", "--technician", "any", "--at", CliDates.WorkingTuesday().At(9), "--json");
        Assert.True(booked.ExitCode == 0, booked.ToString());
        link = await NewestLinkAsync(ShopServer.Butcher, link);
        using var one = _server.Client();
        using var two = _server.Client();
        var times = await one.GetPageAsync(link + "?times=true");
        var starts = StartValues(times);
        Assert.True(starts.Count >= 2, times);
        var fields = Fields(times);

        var first = one.PostFormAsync(link + "?times=true", link + "?handler=Move", new Dictionary<string, string>(fields) { ["start"] = starts[0] });
        var second = two.PostFormAsync(link + "?times=true", link + "?handler=Move", new Dictionary<string, string>(fields) { ["start"] = starts[1] });
        var answers = await Task.WhenAll(first, second);

        var locations = answers.Select(a => a.Headers.Location?.OriginalString ?? $"{(int)a.StatusCode}").ToArray();
        Assert.Single(locations, l => l.EndsWith("?done=moved", StringComparison.Ordinal));
        Assert.Single(locations, l => l.EndsWith("?done=changed", StringComparison.Ordinal));
        var told = await two.GetPageAsync(locations.Single(l => l.EndsWith("?done=changed", StringComparison.Ordinal)));
        Assert.Contains("Der Termin wurde inzwischen geändert.", told, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CancelPastTheNotice_IsRefusedWithThePhoneNumber_AndChangesNothing()
    {
        var link = await ShopServer.LinkAsync(_server, ShopServer.Bakery);
        using var client = _server.Client();
        var page = await client.GetPageAsync(link);
        Assert.Contains("id=\"too-late\"", page, StringComparison.Ordinal);
        Assert.Contains("href=\"tel:&#x2B;49301234567\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("handler=Cancel", page, StringComparison.Ordinal);
        var before = await ShopServer.SnapshotAsync(_server);

        // A form kept from earlier, or a hand-made request.
        using var late = await client.PostFormAsync(link, link + "?handler=Cancel", Fields(page));

        Assert.EndsWith("?done=late", late.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var shown = await client.GetPageAsync(late.Headers.Location!.OriginalString);
        Assert.Contains("Dafür ist es zu spät. Bitte rufen Sie uns an.", shown, StringComparison.Ordinal);
        Assert.Equal(before, await ShopServer.SnapshotAsync(_server));
    }

    [Fact]
    public async Task AnOldLink_AfterANewOneWasSent_ShowsTheFriendlyPage()
    {
        var old = await ShopServer.LinkAsync(_server, ShopServer.Bakery);
        var renewed = await _server.Cli.RunAsync("new-link", "1", ShopServer.Bakery);
        Assert.True(renewed.ExitCode == 0, renewed.ToString());
        var fresh = await NewestLinkAsync(ShopServer.Bakery, old);
        using var client = _server.Client();

        using var gone = await client.GetAsync(old);
        var html = await gone.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Gone, gone.StatusCode);
        Assert.Contains("Dieser Link gilt nicht mehr", html, StringComparison.Ordinal);
        Assert.Contains("&#x2B;49 30 1234567", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Termin bestätigen", html, StringComparison.Ordinal);
        Assert.Contains("Termin bestätigen", await client.GetPageAsync(fresh), StringComparison.Ordinal);
        var wrongAddress = await _server.Cli.RunAsync("new-link", "1", "fremd@example.test");
        Assert.Equal(2, wrongAddress.ExitCode);
        Assert.Contains("is not an address of customer K10001", wrongAddress.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ALinkUsedWithAnotherAppointmentsId_IsNotFound_AndChangesNothing()
    {
        var bakery = await ShopServer.LinkAsync(_server, ShopServer.Bakery); // appointment 1
        using var client = _server.Client();
        var fields = Fields(await client.GetPageAsync(bakery));
        Assert.Equal("1", fields["appointment"]);
        var before = await ShopServer.SnapshotAsync(_server);

        using var other = await client.PostFormAsync(bakery, bakery + "?handler=Confirm", new Dictionary<string, string>(fields) { ["appointment"] = "3" });

        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.Contains("Diese Terminseite gibt es nicht", await other.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await ShopServer.SnapshotAsync(_server));
    }

    [Theory]
    [InlineData("/s/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("/s/nope")]
    [InlineData("/s/%27%20OR%201%3D1--")]
    public async Task UnknownLinks_AreAFriendly404_WithThePhoneNumber(string path)
    {
        using var client = _server.Client();

        using var response = await client.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Diese Terminseite gibt es nicht", html, StringComparison.Ordinal);
        Assert.Contains("&#x2B;49 30 1234567", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ALink_RequestedTooOften_IsSlowedDown()
    {
        var link = await ShopServer.LinkAsync(_server, ShopServer.Pizzeria);
        using var client = _server.Client();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 45; i++)
        {
            using var response = await client.GetAsync(link);
            statuses.Add(response.StatusCode);
        }

        Assert.Equal(40, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(5, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.DoesNotContain("/s/", _server.Log.Replace("/s/{token}", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    private async Task<string> NewestLinkAsync(string recipient, string old)
    {
        for (var waited = 0; waited < 300; waited++)
        {
            var links = (await ShopServer.EmailsAsync(_server))
                .Where(e => e.Message.To.Mailboxes.Any(m => m.Address == recipient))
                .Select(e => ShopServer.Link(e.Message)).OfType<string>().Select(ShopServer.PathOf).Where(l => l != old).ToArray();
            if (links.Length > 0)
            {
                return links[^1];
            }

            await Task.Delay(100);
        }

        throw new Xunit.Sdk.XunitException($"no new link for {recipient}:\n{_server.Log}");
    }

    private static Dictionary<string, string> Fields(string html) => new()
    {
        ["appointment"] = System.Text.RegularExpressions.Regex.Match(html, "name=\"appointment\" value=\"(\\d+)\"").Groups[1].Value,
        ["version"] = System.Text.RegularExpressions.Regex.Match(html, "name=\"version\" value=\"(\\d+)\"").Groups[1].Value,
    };

    private static List<string> StartValues(string html) =>
        [.. System.Text.RegularExpressions.Regex.Matches(html, "name=\"start\" value=\"(\\d+)\"").Select(m => m.Groups[1].Value)];
}
