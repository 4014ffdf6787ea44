using System.Net;

namespace JoeCash.Scheduler.Tests.Web.Api;

/// <summary>Issue 11: a script changes a technician as <c>technician edit</c> does; stranded bookings are a 409 that lists them.</summary>
public sealed class ApiTechnicianEditTests(ApiServer server) : IClassFixture<ApiServer>
{
    private static HttpRequestMessage Patch(string path, object body) => new(HttpMethod.Patch, path) { Content = Api.Json(body) };

    [Fact]
    public async Task A_dispatcher_changes_a_technician_and_a_deactivation_over_a_booking_is_409_until_kept()
    {
        using var client = server.Client(server.DispatcherKey);
        using var anna = server.Client(server.AnnaKey);
        await Api.ProblemAsync(await anna.SendAsync(Patch("/api/v1/technicians/3", new { name = "Lea" })), 403);
        await Api.ProblemAsync(await client.SendAsync(Patch("/api/v1/technicians/99", new { name = "Nobody" })), 404, "not-found");

        using var longer = await client.SendAsync(Patch("/api/v1/technicians/3", new { hours = "Mo-Fr 07:00-18:00", clearDailyCap = true }));
        var changed = await Api.ReadAsync(longer);
        Assert.Equal(HttpStatusCode.OK, longer.StatusCode);
        Assert.Equal("Mon-Fri 07:00-18:00", changed.GetProperty("hours").GetString());
        Assert.Equal("lea.schmitt@joecash.test", changed.GetProperty("email").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, changed.GetProperty("dailyCap").ValueKind);

        var bad = await Api.ProblemAsync(await client.SendAsync(Patch("/api/v1/technicians/3", new { hours = "werktags" })), 400, "bad-input");
        Assert.Contains("working hours", bad.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var before = await (await client.GetAsync(new Uri("/api/v1/technicians/3", UriKind.Relative))).Content.ReadAsStringAsync();
        Assert.Equal(changed.ToString(), System.Text.Json.JsonDocument.Parse(before).RootElement.ToString());

        using var booked = await Api.BookAsync(client, "K10006", Api.At(10, weeksAhead: 9), technician: "3");
        Assert.Equal(HttpStatusCode.Created, booked.StatusCode);
        var id = (await Api.ReadAsync(booked)).GetProperty("id").GetInt64();

        var refused = await Api.ProblemAsync(await client.SendAsync(Patch("/api/v1/technicians/3", new { active = false })), 409, "appointments-would-not-fit");
        var misfit = refused.GetProperty("misfits").EnumerateArray().Single(m => m.GetProperty("id").GetInt64() == id);
        Assert.Equal("technician-inactive", misfit.GetProperty("code").GetString());
        Assert.Equal("K10006", misfit.GetProperty("shop").GetString());
        Assert.True((await Api.ReadAsync(await client.GetAsync(new Uri("/api/v1/technicians/3", UriKind.Relative)))).GetProperty("active").GetBoolean());

        // If-Match: the version read; a stale one is 412 and changes nothing.
        using var read = await client.GetAsync(new Uri("/api/v1/technicians/3", UriKind.Relative));
        var etag = read.Headers.ETag!.Tag;
        using var stale = Patch("/api/v1/technicians/3?keep=true", new { active = false });
        stale.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        await Api.ProblemAsync(await client.SendAsync(stale), 412, "version-mismatch");
        using var current = Patch("/api/v1/technicians/3?keep=true", new { active = false });
        current.Headers.TryAddWithoutValidation("If-Match", etag);
        using var kept = await client.SendAsync(current);
        Assert.Equal(HttpStatusCode.OK, kept.StatusCode);
        Assert.NotEqual(etag, kept.Headers.ETag!.Tag);
        Assert.False((await Api.ReadAsync(kept)).GetProperty("active").GetBoolean());
        var appointment = await Api.ReadAsync(await client.GetAsync(booked.Headers.Location));
        Assert.Equal("booked", appointment.GetProperty("appointment").GetProperty("status").GetString());
    }
}
