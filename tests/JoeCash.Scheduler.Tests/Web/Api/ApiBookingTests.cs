using System.Net;
using JoeCash.Scheduler.Tests.Infrastructure;

namespace JoeCash.Scheduler.Tests.Web.Api;

/// <summary>Booking over HTTP: idempotency keys, If-Match, conflicts with alternatives; and the operator's endpoints.</summary>
public sealed class ApiBookingTests(ApiServer server) : IClassFixture<ApiServer>
{
    [Fact]
    public async Task The_same_idempotency_key_twice_books_once_and_answers_the_same_and_another_body_is_422()
    {
        using var client = server.Client(server.DispatcherKey);
        var key = Guid.NewGuid().ToString();
        using var first = await Api.BookAsync(client, "K10001", Api.At(10, weeksAhead: 6), idempotencyKey: key);
        var firstBody = await first.Content.ReadAsStringAsync();
        Assert.True(first.StatusCode == HttpStatusCode.Created, firstBody);
        using var second = await Api.BookAsync(client, "K10001", Api.At(10, weeksAhead: 6), idempotencyKey: key);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(firstBody, await second.Content.ReadAsStringAsync());
        Assert.Equal(first.Headers.Location, second.Headers.Location);

        var day = await Api.ReadAsync(await client.GetAsync(new Uri($"/api/v1/appointments?technician=1&date={CliDates.WorkingTuesday(6).Text()}", UriKind.Relative)));
        var dayOf2 = await Api.ReadAsync(await client.GetAsync(new Uri($"/api/v1/appointments?technician=2&date={CliDates.WorkingTuesday(6).Text()}", UriKind.Relative)));
        Assert.Equal(1, day.GetProperty("appointments").GetArrayLength() + dayOf2.GetProperty("appointments").GetArrayLength());

        using var other = await Api.BookAsync(client, "K10001", Api.At(12, weeksAhead: 6), idempotencyKey: key);
        await Api.ProblemAsync(other, 422, "idempotency-key-reused");
    }

    [Fact]
    public async Task A_stale_if_match_is_412_naming_the_current_version_and_changes_nothing_and_none_is_428()
    {
        using var client = server.Client(server.DispatcherKey);
        using var booked = await Api.BookAsync(client, "K10004", Api.At(10, weeksAhead: 7));
        Assert.Equal(HttpStatusCode.Created, booked.StatusCode);
        var location = booked.Headers.Location!;
        var before = await (await client.GetAsync(location)).Content.ReadAsStringAsync();

        using var stale = new HttpRequestMessage(HttpMethod.Put, location + "/time") { Content = Api.Json(new { start = Api.At(14, weeksAhead: 7) }) };
        stale.Headers.TryAddWithoutValidation("If-Match", "\"5\"");
        var problem = await Api.ProblemAsync(await client.SendAsync(stale), 412, "version-mismatch");
        Assert.Equal(1, problem.GetProperty("currentVersion").GetInt32());

        using var missing = new HttpRequestMessage(HttpMethod.Delete, location);
        await Api.ProblemAsync(await client.SendAsync(missing), 428, "precondition-required");
        Assert.Equal(before, await (await client.GetAsync(location)).Content.ReadAsStringAsync());

        using var current = new HttpRequestMessage(HttpMethod.Put, location + "/time") { Content = Api.Json(new { start = Api.At(14, weeksAhead: 7) }) };
        current.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        using var moved = await client.SendAsync(current);
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        Assert.Equal("\"2\"", moved.Headers.ETag?.Tag);
    }

    [Fact]
    public async Task A_taken_time_is_409_with_the_nearest_free_alternatives()
    {
        using var client = server.Client(server.DispatcherKey);
        using var first = await Api.BookAsync(client, "K10001", Api.At(10, weeksAhead: 8), technician: "1");
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        using var second = await Api.BookAsync(client, "K10004", Api.At(10, weeksAhead: 8), technician: "1");
        var problem = await Api.ProblemAsync(second, 409, "slot-not-free");
        Assert.NotEmpty(problem.GetProperty("alternatives").EnumerateArray());
        var alternative = problem.GetProperty("alternatives")[0];
        Assert.EndsWith("Z", alternative.GetProperty("start").GetString(), StringComparison.Ordinal);

        // An alternative is booked as listed: its UTC start, its technician.
        using var taken = await Api.BookAsync(client, "K10004", alternative.GetProperty("start").GetString()!,
            technician: alternative.GetProperty("technician").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(HttpStatusCode.Created, taken.StatusCode);
        Assert.Equal(alternative.GetProperty("local").GetString(), (await Api.ReadAsync(taken)).GetProperty("localStart").GetString());
    }

    [Fact]
    public async Task A_billable_type_without_acknowledgment_is_422_with_the_cost_notice()
    {
        using var client = server.Client(server.DispatcherKey);
        using var response = await client.PostAsync(new Uri("/api/v1/appointments", UriKind.Relative),
            Api.Json(new { customer = "K10001", type = "training", start = Api.At(13, weeksAhead: 8) }));
        var problem = await Api.ProblemAsync(response, 422, "cost-not-acknowledged");
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("costNotice").GetString()));
    }

    [Fact]
    public async Task Health_is_anonymous_json_and_metrics_count_the_booking()
    {
        using var anonymous = server.Client();
        using var live = await anonymous.GetAsync(new Uri("/health/live", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        using var ready = await anonymous.GetAsync(new Uri("/health/ready", UriKind.Relative));
        var report = await Api.ReadAsync(ready);
        Assert.True(ready.StatusCode == HttpStatusCode.OK, report.ToString());
        foreach (var check in new[] { "database", "outbox-backlog", "smtp" })
        {
            Assert.Equal("healthy", report.GetProperty("checks").GetProperty(check).GetProperty("status").GetString());
        }

        using var client = server.Client(server.DispatcherKey);
        using var booked = await Api.BookAsync(client, "K10004", Api.At(15, weeksAhead: 9));
        Assert.Equal(HttpStatusCode.Created, booked.StatusCode);
        // The Prometheus exporter caches a scrape for a moment; the booking shows in one within seconds.
        var metrics = "";
        for (var i = 0; i < 30 && !metrics.Contains("joecash_bookings_total", StringComparison.Ordinal); i++)
        {
            await Task.Delay(200);
            metrics = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        }

        Assert.Contains("joecash_bookings_total", metrics, StringComparison.Ordinal);
        Assert.Contains("http_server_request_duration_seconds", metrics, StringComparison.Ordinal);
        Assert.Contains("joecash_outbox_backlog", metrics, StringComparison.Ordinal);
    }
}
