using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using JoeCash.Scheduler.Booking;
using JoeCash.Scheduler.Mail;
using JoeCash.Scheduler.Tests.Infrastructure;
using JoeCash.Scheduler.Web;
using JoeCash.Scheduler.Web.Operations;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Testing;
using static JoeCash.Scheduler.Tests.Hardening.Setup;

namespace JoeCash.Scheduler.Tests.Web.Operations;

/// <summary>
/// What <c>/health/ready</c> tells a monitor: mail that waits too long, a mail server that has not accepted anything
/// while mail waits (unhealthy) or on a quiet night (degraded), and a database that cannot be read. The checks with a
/// hand-moved clock, then the real <c>serve</c> answering 200 or 503 with its JSON.
/// </summary>
public sealed class ReadinessTests
{
    private static readonly WebOptions Web = new() { ReadyOutboxMaxAge = TimeSpan.FromMinutes(15), ReadySmtpMaxSilence = TimeSpan.FromHours(1) };

    [Fact]
    public async Task The_checks_follow_the_outbox_the_mail_server_and_the_database_as_time_passes()
    {
        var clock = new FakeClock(Instant.FromUtc(2026, 12, 1, 8, 0));
        using var sink = new SmtpSink(FreePorts.Next());
        await using var host = await SchedulerHost.StartAsync(MailStack.SmtpSettings(sink.Port), clock);
        await host.AddTechnicianAsync("Anna Berger");
        await host.AddCustomerAsync("K1");
        using var reading = new OutboxReading(host.Get<Outbox>(), clock);
        var checks = new Checks(reading, host, clock);

        // A fresh service: nothing waits, nothing sent yet: ready, the mail server merely unproven.
        Assert.Equal((HealthStatus.Healthy, HealthStatus.Healthy, HealthStatus.Degraded), await checks.ReadAsync());

        // A booking queues the invitations; a moment later that is no outage yet.
        await host.Booking.BookAsync(new BookingRequest("K1", "fault", "1", host.NextWorkingDayAt(10), null, false, "test"));
        clock.AdvanceSeconds(30);
        Assert.Equal((HealthStatus.Healthy, HealthStatus.Healthy, HealthStatus.Degraded), await checks.ReadAsync());

        // Two minutes waiting and the mail server never accepted a message: mail does not get out.
        clock.AdvanceMinutes(2);
        var smtp = await checks.SmtpAsync();
        Assert.Equal(HealthStatus.Unhealthy, smtp.Status);
        Assert.Contains("has accepted no message yet", smtp.Description, StringComparison.Ordinal);
        Assert.Equal(HealthStatus.Healthy, (await checks.BacklogAsync()).Status);

        // Older than Web:ReadyOutboxMaxAge (15 min): the backlog check fails and says by how much.
        clock.AdvanceMinutes(14);
        var backlog = await checks.BacklogAsync();
        Assert.Equal(HealthStatus.Unhealthy, backlog.Status);
        Assert.Equal(2, Convert.ToInt64(backlog.Data["waiting"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(990, Convert.ToDouble(backlog.Data["oldestAgeSeconds"], System.Globalization.CultureInfo.InvariantCulture));

        // The mail server takes everything: healthy throughout.
        await sink.StartAsync();
        Assert.Equal(2, (await host.Get<OutboxDispatcher>().DispatchDueAsync()).Sent);
        clock.AdvanceSeconds(2);
        Assert.Equal((HealthStatus.Healthy, HealthStatus.Healthy, HealthStatus.Healthy), await checks.ReadAsync());

        // A quiet night: no mail for two hours and none waiting is degraded, not unhealthy.
        clock.AdvanceHours(2);
        smtp = await checks.SmtpAsync();
        Assert.Equal(HealthStatus.Degraded, smtp.Status);
        Assert.Contains("120 min ago; nothing waits", smtp.Description, StringComparison.Ordinal);

        // The server went silent and mail waits again: unhealthy.
        sink.Stop();
        await host.Booking.BookAsync(new BookingRequest("K1", "fault", "1", host.NextWorkingDayAt(13), null, false, "test"));
        clock.AdvanceMinutes(2);
        smtp = await checks.SmtpAsync();
        Assert.Equal(HealthStatus.Unhealthy, smtp.Status);
        Assert.Contains("122 min ago, and 2 message(s) wait", smtp.Description, StringComparison.Ordinal);

        // The database cannot be read: every check says so.
        await using (var connection = await host.Database.OpenAsync())
        {
            await connection.ExecuteAsync("ALTER TABLE outbox RENAME TO outbox_lost");
        }

        clock.AdvanceSeconds(2);
        Assert.Equal((HealthStatus.Unhealthy, HealthStatus.Unhealthy, HealthStatus.Unhealthy), await checks.ReadAsync());
        Assert.StartsWith("The database cannot be read", (await checks.DatabaseAsync()).Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_answers_200_degraded_while_mail_is_fresh_and_503_once_it_has_waited_too_long()
    {
        await using var server = await WebServer.StartAsync(settings: new Dictionary<string, string>
        {
            ["Mail:Smtp:Host"] = "127.0.0.1",
            ["Mail:Smtp:Port"] = FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Mail:Smtp:Security"] = "None",
            ["Mail:RetryBaseDelay"] = "00:00:01",
        });
        using var client = new HttpClient { BaseAddress = server.Address };

        // The demo's invitations were queued a moment ago and the mail server is down: not yet an outage.
        var (status, report) = await ReadyAsync(client);
        Assert.True(status == HttpStatusCode.OK, report.ToString());
        Assert.Equal("degraded", report.GetProperty("status").GetString());
        Assert.Equal("healthy", Check(report, "database"));
        Assert.Equal("healthy", Check(report, "outbox-backlog"));
        Assert.Equal("degraded", Check(report, "smtp"));

        // Twenty minutes later (the rows made older): the monitor gets 503 and the reason.
        await ExecuteAsync(server.DatabasePath, "UPDATE outbox SET created_at = created_at - 1200000 WHERE status IN ('pending', 'sending')");
        await Task.Delay(1100); // one outbox reading a second
        (status, report) = await ReadyAsync(client);
        Assert.True(status == HttpStatusCode.ServiceUnavailable, report.ToString());
        Assert.Equal("unhealthy", report.GetProperty("status").GetString());
        Assert.Equal("healthy", Check(report, "database"));
        Assert.Equal("unhealthy", Check(report, "outbox-backlog"));
        Assert.Equal("unhealthy", Check(report, "smtp"));
        Assert.Contains("more than 15 min", report.GetProperty("checks").GetProperty("outbox-backlog").GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.True(report.GetProperty("checks").GetProperty("outbox-backlog").GetProperty("data").GetProperty("oldestAgeSeconds").GetDouble() >= 1200);

        // Liveness is not readiness: the process itself is fine.
        using var live = await client.GetAsync(new Uri("/health/live", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    private static async Task<(HttpStatusCode Status, JsonElement Report)> ReadyAsync(HttpClient client)
    {
        using var response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    private static string? Check(JsonElement report, string name) => report.GetProperty("checks").GetProperty(name).GetProperty("status").GetString();

    /// <summary>The three readiness checks as the web host registers them, over one outbox reading.</summary>
    private sealed class Checks(OutboxReading reading, SchedulerHost host, IClock clock)
    {
        private readonly DatabaseCheck _database = new(reading);
        private readonly OutboxBacklogCheck _backlog = new(reading, Options.Create(Web), clock);
        private readonly SmtpCheck _smtp = new(reading, Options.Create(host.Get<IOptions<MailOptions>>().Value), Options.Create(Web), clock);

        public Task<HealthCheckResult> DatabaseAsync() => _database.CheckHealthAsync(new HealthCheckContext());

        public Task<HealthCheckResult> BacklogAsync() => _backlog.CheckHealthAsync(new HealthCheckContext());

        public Task<HealthCheckResult> SmtpAsync() => _smtp.CheckHealthAsync(new HealthCheckContext());

        public async Task<(HealthStatus Database, HealthStatus Backlog, HealthStatus Smtp)> ReadAsync() =>
            ((await DatabaseAsync()).Status, (await BacklogAsync()).Status, (await SmtpAsync()).Status);
    }
}
