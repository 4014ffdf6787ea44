using System.Diagnostics;
using System.Globalization;
using Dapper;
using JoeCash.Scheduler.Configuration;
using JoeCash.Scheduler.Mail;
using JoeCash.Scheduler.Reminders;
using Microsoft.Extensions.Options;
using Npgsql;

namespace JoeCash.Scheduler.Benchmarks;

/// <summary>
/// One outbox on PostgreSQL, delivered to smtp-sink by one <c>serve</c> node and by two, interleaved round by round:
/// the nodes start with nothing due and wait; the outbox's messages are then made due at once, and the clock runs
/// until every one is marked sent. The sink counts deliveries, so a message sent by both nodes would show.
/// </summary>
public static class TwoNodeLoad
{
    public static async Task<int> RunAsync(string server, int count, int rounds, int port)
    {
        var name = "nodes_" + Guid.NewGuid().ToString("N")[..12];
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.ExecuteAsync($"CREATE DATABASE {name}");
        }

        var connectionString = new NpgsqlConnectionStringBuilder(server) { Database = name }.ToString();
        try
        {
            return await MeasureAsync(connectionString, name, count, rounds, port);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(server);
            await admin.ExecuteAsync($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        }
    }

    private static async Task<int> MeasureAsync(string connectionString, string name, int count, int rounds, int port)
    {
        using var sink = await SmtpSinkProcess.StartAsync(port);
        var settings = new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "PostgreSQL",
            ["Storage:ConnectionString"] = connectionString,
            ["Mail:Smtp:Host"] = "127.0.0.1",
            ["Mail:Smtp:Port"] = port.ToString(CultureInfo.InvariantCulture),
            ["Mail:Smtp:Security"] = "None",
            ["Scheduler:TechnicianInvitations"] = "false",
        };
        await using (var scheduler = await TempScheduler.CreateAsync(settings))
        {
            var types = scheduler.Get<AppointmentTypeCatalog>();
            var zone = scheduler.Get<IOptions<SchedulerOptions>>().Value.Zone;
            var reminders = scheduler.Get<ReminderComposer>();
            await using var connection = await scheduler.Database.OpenAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            for (var i = 0; i < count; i++)
            {
                var message = reminders.Compose(SampleMail.Context(types, zone, i), 24 * 60, SampleMail.Created).Single() with { AppointmentId = null };
                await connection.EnqueueAsync(message, SampleMail.Created, transaction);
            }

            await connection.ExecuteAsync("UPDATE outbox SET status = 'sent'", transaction: transaction);
            await transaction.CommitAsync();
        }

        Console.WriteLine($"Two-node dispatch: database {name}; {count:N0} reminders in one outbox; {sink.Command}; {rounds} rounds of one node and of two, alternating");
        Console.WriteLine($"  {Environment.ProcessorCount} cores (both nodes, PostgreSQL and smtp-sink share them), load average before: {Machine.LoadAverage()}");
        var one = new List<double>();
        var two = new List<double>();
        for (var round = 1; round <= rounds; round++)
        {
            foreach (var nodes in round % 2 == 1 ? new[] { 1, 2 } : [2, 1])
            {
                var (rate, delivered) = await RoundAsync(connectionString, settings, nodes, count, sink);
                (nodes == 1 ? one : two).Add(rate);
                Console.WriteLine($"  round {round}, {nodes} node(s): {rate,7:N0} messages/s, {delivered:N0} delivered for {count:N0} due");
            }
        }

        var ratio = Stats.Median(two) / Stats.Median(one);
        Console.WriteLine($"  load average after: {Machine.LoadAverage()}");
        Console.WriteLine();
        Console.WriteLine("| nodes | median messages/s |");
        Console.WriteLine("| ----: | ----------------: |");
        Console.WriteLine($"|     1 | {Stats.Median(one),17:N0} |");
        Console.WriteLine($"|     2 | {Stats.Median(two),17:N0} |");
        Console.WriteLine($"  two nodes / one node = {ratio:0.00}x");
        return 0;
    }

    private static async Task<(double Rate, long Delivered)> RoundAsync(string connectionString, Dictionary<string, string?> settings, int nodes, int count, SmtpSinkProcess sink)
    {
        var folders = Enumerable.Range(0, nodes).Select(_ => Directory.CreateTempSubdirectory("joecash-node-").FullName).ToArray();
        var processes = new List<ChildProcess>();
        try
        {
            for (var n = 0; n < nodes; n++)
            {
                var environment = settings.ToDictionary(kv => "JOECASH_" + kv.Key.Replace(":", "__", StringComparison.Ordinal), kv => kv.Value!);
                environment["JOECASH_Storage__NodeName"] = $"node-{n + 1}";
                environment["JOECASH_Web__Enabled"] = "false";
                environment["JOECASH_Mail__PickupDirectory"] = Path.Combine(folders[n], "pickup");
                environment["JOECASH_Mail__RepliesDirectory"] = Path.Combine(folders[n], "replies");
                var (process, _) = await ChildProcess.StartAsync(Repository.CliDll, ["serve"], folders[n], environment, "Outbox dispatcher started");
                processes.Add(process);
            }

            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            var before = sink.Messages;
            var started = Stopwatch.GetTimestamp();
            await connection.ExecuteAsync("UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = 0, claimed_by = NULL, sent_at = NULL");
            while (await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM outbox WHERE status = 'sent'") < count)
            {
                if (Stopwatch.GetElapsedTime(started) > TimeSpan.FromMinutes(5))
                {
                    var states = await connection.QueryAsync<(string, string?, long)>("SELECT status, claimed_by, count(*) FROM outbox GROUP BY status, claimed_by");
                    throw new InvalidOperationException(
                        $"{nodes} node(s) did not send {count} messages within 5 minutes: {string.Join(", ", states.Select(s => $"{s.Item1}/{s.Item2}: {s.Item3}"))}\n"
                        + string.Join("\n", processes.Select(p => string.Join("\n", p.Log.Split('\n').TakeLast(15)))));
                }

                await Task.Delay(20);
            }

            var elapsed = Stopwatch.GetElapsedTime(started);
            await Task.Delay(500);
            return (count / elapsed.TotalSeconds, sink.Messages - before);
        }
        finally
        {
            foreach (var process in processes)
            {
                await process.DisposeAsync();
            }

            foreach (var folder in folders)
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

}
