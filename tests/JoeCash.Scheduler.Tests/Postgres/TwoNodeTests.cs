using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Dapper;
using JoeCash.Scheduler.Tests.Infrastructure;
using JoeCash.Scheduler.Tests.Service;
using JoeCash.Scheduler.Tests.Web.Api;
using Npgsql;
using NodaTime;

namespace JoeCash.Scheduler.Tests.Postgres;

/// <summary>
/// Two real <c>serve</c> processes — two nodes — on one PostgreSQL database: the promises of one node hold for two.
/// </summary>
[Collection(nameof(ServiceProcesses))]
public sealed partial class TwoNodeTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly TempDirectory _a = new();
    private readonly TempDirectory _b = new();
    private TestPostgres _database = null!;

    public async ValueTask InitializeAsync() => _database = await TestPostgres.CreateAsync();

    public async ValueTask DisposeAsync()
    {
        await _database.DisposeAsync();
        _a.Dispose();
        _b.Dispose();
    }

    private Dictionary<string, string> Settings(int smtpPort, params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string>
        {
            ["Storage:Provider"] = "PostgreSQL",
            ["Storage:ConnectionString"] = _database.ConnectionString,
            ["Mail:Smtp:Host"] = "127.0.0.1",
            ["Mail:Smtp:Port"] = smtpPort.ToString(CultureInfo.InvariantCulture),
            ["Mail:Smtp:Security"] = "None",
            ["Reminders:SweepInterval"] = "00:00:01",
        };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        return settings;
    }

    private static Task<ServiceProcess> NodeAsync(TempDirectory folder, string name, Dictionary<string, string> settings, params string[] arguments) =>
        ServiceProcess.StartAsync(folder.FullPath, new Dictionary<string, string>(settings) { ["Storage:NodeName"] = name, ["Mail:PickupDirectory"] = folder.File("pickup") }, arguments);

    private async Task<long> CountAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        return await connection.ExecuteScalarAsync<long>(sql);
    }

    [Fact]
    public async Task ThirtyTwoBookersSplitAcrossBothNodes_OneWinnerEveryRound()
    {
        const int Bookers = 32;
        const int Rounds = 8;
        using var sink = new SmtpSink(2551);
        await sink.StartAsync();
        var settings = Settings(sink.Port);
        await using var a = await NodeAsync(_a, "node-a", settings, "--demo");
        await using var b = await NodeAsync(_b, "node-b", settings);
        await using (var host = await SchedulerHost.StartAsync(new Dictionary<string, string?>(settings.Select(kv => KeyValuePair.Create(kv.Key, (string?)kv.Value)))))
        {
            for (var i = 0; i < Bookers; i++)
            {
                await host.AddCustomerAsync($"R{i:00}");
            }
        }

        var key = await new Infrastructure.Cli(_a).RunWithAsync(Environment(settings), "staff", "api-key", "add", WebServer.Dispatcher, "--name", "race", "--json");
        Assert.True(key.ExitCode == 0, key.ToString());
        var nodes = new[] { await a.WebAddressAsync(), await b.WebAddressAsync() };
        var clients = Enumerable.Range(0, Bookers).Select(i =>
        {
            var client = new HttpClient { BaseAddress = nodes[i % 2], Timeout = TimeSpan.FromSeconds(60) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.Json.GetProperty("key").GetString());
            return client;
        }).ToArray();

        for (var round = 0; round < Rounds; round++)
        {
            var start = Api.At(8 + (round % 4 * 2), weeksAhead: 4 + (round / 4));
            var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var attempts = clients.Select((client, i) => Task.Run(async () =>
            {
                await go.Task;
                using var response = await Api.BookAsync(client, $"R{i:00}", start, technician: "1");
                return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
            })).ToArray();
            go.SetResult();
            var outcomes = await Task.WhenAll(attempts);

            Assert.True(outcomes.Count(o => o.StatusCode == HttpStatusCode.Created) == 1, string.Join("\n", outcomes.Select(o => $"{(int)o.StatusCode} {o.Body}")));
            Assert.All(outcomes.Where(o => o.StatusCode != HttpStatusCode.Created), o =>
            {
                Assert.Equal(HttpStatusCode.Conflict, o.StatusCode);
                Assert.Contains("slot-not-free", o.Body, StringComparison.Ordinal);
            });
        }

        Assert.Equal(Rounds, await CountAsync("SELECT count(*) FROM appointments WHERE customer_id IN (SELECT id FROM customers WHERE number LIKE 'R%') AND status = 'booked'"));
        foreach (var client in clients)
        {
            client.Dispose();
        }
    }

    [Fact]
    public async Task OneNodeKilledHardWhileAThousandRemindersAreDue_TheOtherDeliversEveryOne()
    {
        const int Reminders = 1000;
        using var sink = new SmtpSink(2552);
        await sink.StartAsync();
        var settings = Settings(sink.Port, ("Mail:BatchSize", "50"), ("Mail:ClaimLease", "00:00:10"));
        await DueReminders.BookAsync(settings, Reminders, "shop@two-nodes.test", notBefore: Duration.FromMinutes(30), dueAfter: Duration.FromMinutes(-1), invitationsAlreadySent: true);

        // node-a alone first, its SMTP connections through a relay that stalls once the sink has accepted 150: node-a
        // is then certainly in the middle of the burst, with messages on the wire, when it is killed (a poll of the
        // database raced a node that can send all 1,000 in half a second). node-b starts after the kill, straight to
        // the sink, and must take over node-a's claims.
        using var stall = new SmtpHoldingProxy(sink.Port, holdAfter: 150);
        var throughStall = new Dictionary<string, string>(settings) { ["Mail:Smtp:Port"] = stall.Port.ToString(CultureInfo.InvariantCulture) };
        await using (var a = await NodeAsync(_a, "node-a", throughStall))
        {
            await stall.Held.WaitAsync(TimeSpan.FromSeconds(60));
            // Let node-a write the "sent" marks of what was answered before the stall; nothing more can be answered.
            for (var i = 0; i < 100 && await CountAsync("SELECT count(*) FROM outbox WHERE kind = 'reminder' AND status = 'sent'") == 0; i++)
            {
                await Task.Delay(50);
            }

            a.KillHard();
        }

        var inFlight = await CountAsync("SELECT count(*) FROM outbox WHERE status = 'sending' AND claimed_by = 'node-a/serve'");
        var sentBeforeKill = await CountAsync("SELECT count(*) FROM outbox WHERE kind = 'reminder' AND status = 'sent'");
        output.WriteLine($"node-a killed with {sentBeforeKill} of {Reminders} reminders sent, {stall.AcceptedUpstream} accepted by the sink and {inFlight} claimed by it");
        Assert.InRange(sentBeforeKill, 1, Reminders - 1);
        await using var b = await NodeAsync(_b, "node-b", settings);
        // Done when no reminder waits in either place: the sweep moves them into the outbox a batch at a time, so an
        // outbox with nothing unsent may still have reminders to come.
        for (var i = 0; i < 900 && await CountAsync("""
            SELECT (SELECT count(*) FROM outbox WHERE kind = 'reminder' AND status <> 'sent') + (SELECT count(*) FROM reminders WHERE status = 'pending')
            """) > 0; i++)
        {
            await Task.Delay(100);
        }

        Assert.Equal(Reminders, await CountAsync("SELECT count(*) FROM outbox WHERE kind = 'reminder' AND status = 'sent'"));
        var ids = sink.MessageIds().Where(id => id.StartsWith("reminder-", StringComparison.Ordinal)).ToArray();
        var duplicates = ids.Length - ids.Distinct().Count();
        output.WriteLine($"delivered {ids.Length}, {ids.Distinct().Count()} distinct, {duplicates} duplicate(s); node-b sent {await CountAsync("SELECT count(*) FROM outbox WHERE claimed_by = 'node-b/serve' AND status = 'sent'")}");
        Assert.Equal(Reminders, ids.Distinct().Count());
        Assert.InRange(duplicates, 0, inFlight);
        Assert.False(b.HasExited);
    }

    [Fact]
    public async Task MorningAgenda_FiresOnceForEachTechnician_WithBothNodesUpAndOneRestarted()
    {
        using var sink = new SmtpSink(2553);
        await sink.StartAsync();
        var berlin = DateTimeZoneProviders.Tzdb["Europe/Berlin"];
#pragma warning disable CA1859 // SystemClock's own GetCurrentInstant is banned; the interface is the point.
        IClock clock = SystemClock.Instance;
#pragma warning restore CA1859
        // The agenda minute: the next whole minute at least 75 s away (both nodes up, one restarted before it).
        var fire = clock.GetCurrentInstant().InZone(berlin).LocalDateTime.PlusSeconds(75);
        fire = fire.Date.At(new LocalTime(fire.Hour, fire.Minute)).PlusMinutes(1);
        var settings = Settings(sink.Port, ("Agenda:Hour", fire.Hour.ToString(CultureInfo.InvariantCulture)), ("Agenda:Minute", fire.Minute.ToString(CultureInfo.InvariantCulture)),
            ("Agenda:SendWhenEmpty", "true"), ("Agenda:PlanInterval", "00:00:05"));
        await using (var host = await SchedulerHost.StartAsync(new Dictionary<string, string?>(settings.Select(kv => KeyValuePair.Create(kv.Key, (string?)kv.Value)))))
        {
            foreach (var name in new[] { "Ida Eins", "Ben Zwei", "Cem Drei" })
            {
                await host.AddTechnicianAsync(name, hours: "Mon-Sun 00:00-23:45");
            }
        }

        await using var a = await NodeAsync(_a, "node-a", settings);
        var b = await NodeAsync(_b, "node-b", settings);
        await Task.Delay(TimeSpan.FromSeconds(5));
        var stopped = await b.StopAsync(); // a clean restart before the agenda minute
        Assert.True(stopped == 0, $"node-b exited with {stopped}:\n{b.Log}");
        var bBefore = b.Log;
        await b.DisposeAsync();
        await using var again = await NodeAsync(_b, "node-b", settings);
        var fireAt = berlin.AtLeniently(fire).ToInstant();
        Assert.True(clock.GetCurrentInstant() < fireAt - Duration.FromSeconds(5), "the restart took until the agenda minute; the test cannot tell anything");
        await Task.Delay((fireAt - clock.GetCurrentInstant() + Duration.FromSeconds(20)).ToTimeSpan());

        var queued = Queued().Matches(a.Log + bBefore + again.Log).Select(m => m.Groups[1].Value).ToArray();
        output.WriteLine($"agendas queued: node-a {Queued().Count(a.Log)}, node-b {Queued().Count(bBefore + again.Log)}");
        Assert.Equal(3, queued.Length);
        Assert.Equal(3, queued.Distinct().Count());
        Assert.Equal(3, await CountAsync("SELECT count(*) FROM outbox WHERE kind = 'agenda'"));
    }

    [Fact]
    public async Task TheNodeHoldingTheAgendaTriggerKilledHard_TheOtherFiresIt()
    {
        using var sink = new SmtpSink(2554);
        await sink.StartAsync();
        var berlin = DateTimeZoneProviders.Tzdb["Europe/Berlin"];
#pragma warning disable CA1859 // SystemClock's own GetCurrentInstant is banned; the interface is the point.
        IClock clock = SystemClock.Instance;
#pragma warning restore CA1859
        var fire = clock.GetCurrentInstant().InZone(berlin).LocalDateTime.PlusSeconds(50);
        fire = fire.Date.At(new LocalTime(fire.Hour, fire.Minute)).PlusMinutes(1);
        var fireAt = berlin.AtLeniently(fire).ToInstant();
        var settings = Settings(sink.Port, ("Agenda:Hour", fire.Hour.ToString(CultureInfo.InvariantCulture)), ("Agenda:Minute", fire.Minute.ToString(CultureInfo.InvariantCulture)),
            ("Agenda:SendWhenEmpty", "true"), ("Agenda:PlanInterval", "00:00:05"));
        await using (var host = await SchedulerHost.StartAsync(new Dictionary<string, string?>(settings.Select(kv => KeyValuePair.Create(kv.Key, (string?)kv.Value)))))
        {
            await host.AddTechnicianAsync("Ida Eins", hours: "Mon-Sun 00:00-23:45");
        }

        var nodes = new Dictionary<string, ServiceProcess>
        {
            ["node-a"] = await NodeAsync(_a, "node-a", settings),
            ["node-b"] = await NodeAsync(_b, "node-b", settings),
        };
        try
        {
            // Quartz acquires a trigger up to 30 s before it fires; just before the minute, one node holds it.
            await Task.Delay((fireAt - clock.GetCurrentInstant() - Duration.FromSeconds(2)).ToTimeSpan());
            string? holder = null;
            for (var i = 0; i < 100 && holder is null; i++)
            {
                await using var connection = new NpgsqlConnection(_database.ConnectionString);
                holder = await connection.ExecuteScalarAsync<string?>("SELECT instance_name FROM qrtz_fired_triggers WHERE trigger_group = 'agenda' AND state = 'ACQUIRED'");
                if (holder is null)
                {
                    await Task.Delay(20);
                }
            }

            Assert.NotNull(holder);
            nodes[holder].KillHard();
            var killed = clock.GetCurrentInstant();
            var survivor = nodes.Single(n => n.Key != holder).Value;
            while (!Queued().IsMatch(survivor.Log) && clock.GetCurrentInstant() - killed < Duration.FromSeconds(90))
            {
                await Task.Delay(100);
            }

            var failover = clock.GetCurrentInstant() - killed;
            output.WriteLine($"{holder} held the agenda trigger and was killed {(fireAt - killed).TotalSeconds:0.0} s before it was due; the other node fired it {failover.TotalSeconds:0.0} s after the kill");
            Assert.True(Queued().IsMatch(survivor.Log), $"the surviving node did not fire the agenda within 90 s:\n{survivor.Log}");
            Assert.Equal(1, await CountAsync("SELECT count(*) FROM outbox WHERE kind = 'agenda'"));
        }
        finally
        {
            foreach (var node in nodes.Values)
            {
                await node.DisposeAsync();
            }
        }
    }

    private static Dictionary<string, string> Environment(Dictionary<string, string> settings) =>
        settings.ToDictionary(kv => "JOECASH_" + kv.Key.Replace(":", "__", StringComparison.Ordinal), kv => kv.Value);

    [GeneratedRegex(@"Queued the agenda for technician (\d+) on")]
    private static partial Regex Queued();
}
