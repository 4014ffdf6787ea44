using System.Net;
using Dapper;
using JoeCash.Scheduler.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace JoeCash.Scheduler.Tests.Web.Day;

/// <summary>
/// Issue 16's routes: anonymous is sent to sign in; a technician reaches only their own appointment's outcome (404
/// otherwise, and nothing is written); a post without the antiforgery token gets 400 and writes nothing; the billing
/// download is a POST for dispatchers only.
/// </summary>
public sealed class OutcomeAccessTests : IAsyncLifetime
{
    private WebServer _server = null!;
    private long _annas;

    public async ValueTask InitializeAsync()
    {
        _server = await WebServer.StartAsync();
        var anna = await DayServer.TechnicianIdAsync(_server, WebServer.Anna);
        _annas = (await DayServer.BookAsync(_server, "K10001", "fault", anna, CliDates.WorkingTuesday().At(10))).GetProperty("id").GetInt64();
        // Yesterday 05:00 in Berlin, before anyone's hours (booking refuses the past; the file is changed directly).
        var start = NodaTime.DateTimeZoneProviders.Tzdb["Europe/Berlin"].AtStrictly(CliDates.Today.PlusDays(-1).At(new NodaTime.LocalTime(5, 0))).ToInstant().ToUnixTimeMilliseconds();
        await using var connection = new SqliteConnection($"Data Source={_server.DatabasePath};Pooling=False");
        await connection.ExecuteAsync("PRAGMA busy_timeout = 5000");
        await connection.ExecuteAsync("UPDATE appointments SET starts_at = @start, ends_at = @end, blocked_from = @start, blocked_until = @end WHERE id = @id",
            new { id = _annas, start, end = start + (30 * 60 * 1000) });
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private async Task<(long Outcomes, long Exports)> CountsAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={_server.DatabasePath};Mode=ReadOnly;Pooling=False");
        return (await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM appointment_outcomes"), await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM billing_exports"));
    }

    [Fact]
    public async Task Anonymous_IsSentToSignIn()
    {
        using var client = _server.Client();
        foreach (var route in new[] { $"/day/outcome/{_annas}", "/dispatch/billing" })
        {
            using var response = await client.GetAsync(route);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            var location = response.Headers.Location!;
            Assert.StartsWith("/sign-in?ReturnUrl=", location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AnotherTechnician_Gets404_AndWritesNothing_TheOwnerRecords()
    {
        using var jonas = await _server.SignedInAsync(WebServer.Jonas);
        using var seen = await jonas.GetAsync($"/day/outcome/{_annas}");
        Assert.Equal(HttpStatusCode.NotFound, seen.StatusCode);
        using var posted = await jonas.PostFormAsync("/account", $"/day/outcome/{_annas}", new Dictionary<string, string> { ["kind"] = "no-show" });
        Assert.Equal(HttpStatusCode.NotFound, posted.StatusCode);
        using var billing = await jonas.GetAsync("/dispatch/billing");
        Assert.Equal(HttpStatusCode.Redirect, billing.StatusCode);
        Assert.Equal((0L, 0L), await CountsAsync());

        using var anna = await _server.SignedInAsync(WebServer.Anna);
        using var done = await anna.PostFormAsync($"/day/outcome/{_annas}", $"/day/outcome/{_annas}", new Dictionary<string, string> { ["kind"] = "done", ["minutes"] = "25" });
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        Assert.Equal(1L, (await CountsAsync()).Outcomes);
    }

    [Fact]
    public async Task APost_WithoutTheAntiforgeryToken_Is400_AndWritesNothing()
    {
        using var anna = await _server.SignedInAsync(WebServer.Anna);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["kind"] = "done" });
        using var outcome = await anna.Http.PostAsync(new Uri($"/day/outcome/{_annas}", UriKind.Relative), form);
        Assert.Equal(HttpStatusCode.BadRequest, outcome.StatusCode);

        using var dispatcher = await _server.SignedInAsync(WebServer.Dispatcher);
        using var month = new FormUrlEncodedContent(new Dictionary<string, string> { ["month"] = "2026-10" });
        using var export = await dispatcher.Http.PostAsync(new Uri("/dispatch/billing?handler=Csv", UriKind.Relative), month);
        Assert.Equal(HttpStatusCode.BadRequest, export.StatusCode);
        Assert.Equal((0L, 0L), await CountsAsync());
    }

    [Fact]
    public async Task ABadMonth_IsRefusedOnThePage_AndLeavesNoAuditLine()
    {
        using var dispatcher = await _server.SignedInAsync(WebServer.Dispatcher);
        using var response = await dispatcher.PostFormAsync("/dispatch/billing", "/dispatch/billing?handler=Csv", new Dictionary<string, string> { ["month"] = "2026-13" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("is not a month such as 2026-12", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal((0L, 0L), await CountsAsync());
    }
}
