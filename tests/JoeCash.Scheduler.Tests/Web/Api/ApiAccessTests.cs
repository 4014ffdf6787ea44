using System.Net;
using JoeCash.Scheduler.Staff;
using JoeCash.Scheduler.Tests.Infrastructure;

namespace JoeCash.Scheduler.Tests.Web.Api;

/// <summary>Who may call what: no session or key is 401 problem+json, a technician reads only their own, changes need a dispatcher and a browser session the antiforgery header.</summary>
public sealed class ApiAccessTests(ApiServer server) : IClassFixture<ApiServer>
{
    [Fact]
    public async Task Every_route_in_the_document_without_a_session_or_key_is_401_problem_json_with_a_bearer_challenge_never_a_redirect()
    {
        // The routes come from the OpenAPI document, so a route added later gets this check without anyone listing it.
        using var client = server.Client();
        var document = await Api.ReadAsync(await client.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative)));
        var routes = document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(operation => (Method: operation.Name.ToUpperInvariant(), Path: path.Name)))
            .Append(("GET", "/api/v1/no-such-route"))
            .ToArray();
        Assert.True(routes.Length >= 15, string.Join("\n", routes));

        foreach (var (method, template) in routes)
        {
            var path = template.Replace("{id}", "1", StringComparison.Ordinal).Replace("{number}", "K10001", StringComparison.Ordinal);
            Assert.DoesNotContain("{", path, StringComparison.Ordinal);
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (method is "POST" or "PUT")
            {
                request.Content = Api.Json(new { });
            }

            using var response = await client.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path} answered {(int)response.StatusCode}");
            await Api.ProblemAsync(response, 401, "unauthenticated");
            Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
        }
    }

    [Fact]
    public async Task An_unknown_or_revoked_key_is_401_too()
    {
        using var client = server.Client("jck_not-a-key-at-all");
        using var response = await client.GetAsync(new Uri("/api/v1/technicians", UriKind.Relative));
        await Api.ProblemAsync(response, 401);
    }

    [Fact]
    public async Task A_key_revoked_from_another_process_stops_working_within_the_keys_cache_time()
    {
        var created = await server.Web.Cli.RunAsync("staff", "api-key", "add", WebServer.Dispatcher, "--name", "revoked soon", "--json");
        Assert.True(created.ExitCode == 0, created.ToString());
        using var client = server.Client(created.Json.GetProperty("key").GetString()!);
        var route = new Uri("/api/v1/technicians", UriKind.Relative);
        using (var before = await client.GetAsync(route))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        // The command line is another process: serve learns of it from the database, within ApiKeyService.CacheFor.
        var revoked = await server.Web.Cli.RunAsync("staff", "api-key", "revoke", WebServer.Dispatcher, created.Json.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(revoked.ExitCode == 0, revoked.ToString());
        var since = System.Diagnostics.Stopwatch.StartNew();
        var limit = ApiKeyService.CacheFor.ToTimeSpan() + TimeSpan.FromSeconds(1);
        HttpStatusCode status;
        do
        {
            using var response = await client.GetAsync(route);
            status = response.StatusCode;
            if (status == HttpStatusCode.OK)
            {
                await Task.Delay(100);
            }
        }
        while (status == HttpStatusCode.OK && since.Elapsed < limit + TimeSpan.FromSeconds(2));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.True(since.Elapsed <= limit, $"the revoked key still worked {since.Elapsed.TotalSeconds:0.0} s after the revocation");
    }

    [Fact]
    public async Task A_technician_reads_their_own_appointment_and_day_but_never_another_technicians()
    {
        using var dispatcher = server.Client(server.DispatcherKey);
        using var anna = server.Client(server.AnnaKey);
        using var jonas = server.Client(server.JonasKey);
        var shops = await Api.ReadAsync(await dispatcher.GetAsync(new Uri("/api/v1/shops", UriKind.Relative)));
        var numbers = shops.GetProperty("shops").EnumerateArray().Select(s => s.GetProperty("number").GetString()!).ToArray();

        using var annas = await Api.BookAsync(dispatcher, numbers[0], Api.At(10, weeksAhead: 4), technician: "1");
        Assert.Equal(HttpStatusCode.Created, annas.StatusCode);
        var annaId = (await Api.ReadAsync(annas)).GetProperty("id").GetInt64();
        using var jonass = await Api.BookAsync(dispatcher, numbers[1], Api.At(10, weeksAhead: 4), technician: "2");
        Assert.Equal(HttpStatusCode.Created, jonass.StatusCode);
        var jonasId = (await Api.ReadAsync(jonass)).GetProperty("id").GetInt64();
        var day = CliDates.WorkingTuesday(4).Text();

        using (var own = await anna.GetAsync(new Uri($"/api/v1/appointments/{annaId}", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, own.StatusCode);
            Assert.Equal("\"1\"", own.Headers.ETag?.Tag);
        }

        using (var foreign = await anna.GetAsync(new Uri($"/api/v1/appointments/{jonasId}", UriKind.Relative)))
        {
            var problem = await Api.ProblemAsync(foreign, 404, "not-found");
            Assert.DoesNotContain("Jonas", problem.ToString(), StringComparison.Ordinal);
        }

        using (var ownDay = await anna.GetAsync(new Uri($"/api/v1/appointments?date={day}", UriKind.Relative)))
        {
            var agenda = await Api.ReadAsync(ownDay);
            Assert.Equal(1, agenda.GetProperty("technician").GetProperty("id").GetInt64());
            Assert.Contains(agenda.GetProperty("appointments").EnumerateArray(), a => a.GetProperty("id").GetInt64() == annaId);
        }

        foreach (var other in new[] { "2", WebServer.Jonas, "999" })
        {
            using var foreignDay = await anna.GetAsync(new Uri($"/api/v1/appointments?technician={Uri.EscapeDataString(other)}&date={day}", UriKind.Relative));
            var problem = await Api.ProblemAsync(foreignDay, 403, "forbidden");
            Assert.False(problem.TryGetProperty("appointments", out _));
            Assert.DoesNotContain("Keller", problem.ToString(), StringComparison.Ordinal);
        }

        using (var otherTechnician = await jonas.GetAsync(new Uri("/api/v1/technicians/1", UriKind.Relative)))
        {
            await Api.ProblemAsync(otherTechnician, 404);
        }

        using (var self = await jonas.GetAsync(new Uri("/api/v1/technicians/2", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, self.StatusCode);
        }
    }

    [Theory]
    [InlineData("GET", "/api/v1/technicians")]
    [InlineData("GET", "/api/v1/shops")]
    [InlineData("GET", "/api/v1/outbox")]
    [InlineData("POST", "/api/v1/appointments")]
    [InlineData("DELETE", "/api/v1/appointments/1")]
    public async Task A_technician_may_not_book_change_or_read_the_dispatchers_lists(string method, string path)
    {
        using var anna = server.Client(server.AnnaKey);
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = method == "POST" ? Api.Json(new { }) : null };
        using var response = await anna.SendAsync(request);
        await Api.ProblemAsync(response, 403, "forbidden");
    }

    [Fact]
    public async Task A_browser_session_needs_the_antiforgery_header_for_changes_and_an_api_key_does_not()
    {
        using var browser = await server.Web.SignedInAsync(WebServer.Dispatcher);
        using var read = await browser.GetAsync("/api/v1/technicians");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);

        var body = new { customer = "K10001", type = "fault", start = "not a time" };
        using (var without = await browser.Http.PostAsync(new Uri("/api/v1/appointments", UriKind.Relative), Api.Json(body)))
        {
            await Api.ProblemAsync(without, 400, "antiforgery");
        }

        var session = await Api.ReadAsync(await browser.GetAsync("/api/v1/session"));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/appointments") { Content = Api.Json(body) };
        request.Headers.Add(session.GetProperty("antiforgeryHeader").GetString()!, session.GetProperty("antiforgeryToken").GetString());
        using (var with = await browser.Http.SendAsync(request))
        {
            // Past the antiforgery check: the booking itself is refused for its start.
            await Api.ProblemAsync(with, 400, "bad-input");
        }

        using var script = server.Client(server.DispatcherKey);
        using var keyed = await script.PostAsync(new Uri("/api/v1/appointments", UriKind.Relative), Api.Json(body));
        var problem = await Api.ProblemAsync(keyed, 400, "bad-input");
        Assert.Contains("start", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
