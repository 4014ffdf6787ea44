using System.Net;
using JoeCash.Scheduler.Tests.Infrastructure;

namespace JoeCash.Scheduler.Tests.Web;

/// <summary>The technician's calendar subscription over HTTP: the URL the verb prints works, 304 on a known ETag, rotation and wrong tokens 404.</summary>
public sealed class FeedEndpointTests : IAsyncLifetime
{
    private WebServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await WebServer.StartAsync();

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private async Task<Uri> FeedUrlAsync(string technician)
    {
        var result = await _server.Cli.RunWithAsync(
            new Dictionary<string, string> { ["JOECASH_Web__PublicBaseUrl"] = _server.Address.ToString() }, "technician", "feed", technician, "--rotate", "--json");
        Assert.True(result.ExitCode == 0, result.ToString());
        return new Uri(result.Json.GetProperty("url").GetString()!);
    }

    [Fact]
    public async Task A_calendar_app_subscribes_without_a_session_gets_304_when_nothing_changed_and_404_after_rotation()
    {
        var url = await FeedUrlAsync(WebServer.Anna);
        using var calendar = new HttpClient();
        using var first = await calendar.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("text/calendar", first.Content.Headers.ContentType?.MediaType);
        var body = await first.Content.ReadAsStringAsync();
        Assert.StartsWith("BEGIN:VCALENDAR", body, StringComparison.Ordinal);
        Assert.Contains("BEGIN:VEVENT", body, StringComparison.Ordinal);
        Assert.Contains("BEGIN:VTIMEZONE", body, StringComparison.Ordinal);
        var etag = first.Headers.ETag!;
        Assert.False(etag.IsWeak);
        Assert.Equal("no-referrer", first.Headers.GetValues("Referrer-Policy").Single());

        using var again = new HttpRequestMessage(HttpMethod.Get, url);
        again.Headers.IfNoneMatch.Add(etag);
        using var notModified = await calendar.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);

        var rotated = await FeedUrlAsync(WebServer.Anna);
        Assert.NotEqual(url, rotated);
        using var old = await calendar.GetAsync(url);
        Assert.Equal(HttpStatusCode.NotFound, old.StatusCode);
        using var current = await calendar.GetAsync(rotated);
        Assert.Equal(HttpStatusCode.OK, current.StatusCode);
    }

    [Theory]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("short")]
    [InlineData("..%2F..%2Fetc%2Fpasswd")]
    public async Task A_wrong_token_finds_nothing(string token)
    {
        using var calendar = new HttpClient { BaseAddress = _server.Address };
        using var response = await calendar.GetAsync(new Uri($"/feed/{token}.ics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.NotEqual("text/calendar", response.Content.Headers.ContentType?.MediaType);
    }
}
