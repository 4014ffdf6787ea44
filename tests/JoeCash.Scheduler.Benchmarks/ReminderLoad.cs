using System.Diagnostics;
using System.Globalization;
using Dapper;
using JoeCash.Scheduler.Booking;
using JoeCash.Scheduler.Configuration;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Invitations;
using JoeCash.Scheduler.Mail;
using JoeCash.Scheduler.Reminders;
using JoeCash.Scheduler.Storage;
using JoeCash.Scheduler.Technicians;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using NodaTime;

namespace JoeCash.Scheduler.Benchmarks;

/// <summary>
/// Many reminders due at the same instant, through a real <c>serve</c> process (configured by JOECASH_ environment
/// variables, as systemd runs it) to a local smtp-sink: time from their due moment until the outbox shows every
/// reminder sent (accepted by the sink), beside smtp-source sending as many messages of the same size over one session.
/// </summary>
/// <remarks>
/// Data, written straight into a migrated file with the production statements: 20 technicians, 1,000 shops,
/// <c>count</c> booked "fault" appointments from two days ahead on (back to back per technician, never overlapping
/// per technician nor per shop), each with one pending 24-hour reminder, no invitation in the outbox. Once serve is
/// ready, one UPDATE moves every reminder's due time to the same instant 10 s later: in production they were planned
/// days before, and serve queues them up to Reminders:QueueAhead (2 minutes as shipped) before they are due, so the
/// lead must leave the sweep time to do that; a build that queues when due just waits longer. Timing comes from the file itself:
/// the reminders' decided_at (the sweep) and the outbox's sent_at (marked after the server's 250), both from serve's
/// clock. The only settings changed from the shipped configuration are SMTP (127.0.0.1, the sink's port, no TLS) and
/// Reminders:SweepInterval 00:00:01 (the validator's minimum).
/// </remarks>
public static class ReminderLoad
{
    private const int Technicians = 20;
    private const int Customers = 1_000;
    private const double TargetFactor = 2;
    private static readonly Duration Lead = Duration.FromSeconds(10);

    /// <summary>Runs <paramref name="rounds"/> rounds of <paramref name="count"/> reminders to smtp-sink on <paramref name="port"/>;
    /// <paramref name="serveEnvironment"/> adds variables to serve's environment (to try a setting, e.g. JOECASH_Mail__BatchSize=1000);
    /// <paramref name="serveDll"/> runs another build of serve (e.g. an older commit's, or the JIT-only build output) instead of
    /// the repository published as the systemd unit's header says.</summary>
    public static async Task<int> RunAsync(int count, int rounds, int port, IReadOnlyDictionary<string, string> serveEnvironment, string? serveDll = null)
    {
        using var sink = await SmtpSinkProcess.StartAsync(port);
        await using var scheduler = await TempScheduler.CreateAsync();
        // As the systemd unit runs it: published with the command in the unit's header (ReadyToRun).
        var cliDll = serveDll ?? await Repository.PublishAsShippedAsync(Path.Combine(scheduler.Folder, "publish"));
        var clock = scheduler.Get<IClock>();
        var database = scheduler.Database;
        var prepared = Stopwatch.StartNew();
        await PrepareAsync(scheduler, count);
        var sample = await SampleReminderAsync(scheduler);
        var sampleFile = Path.Combine(scheduler.Folder, "reminder.eml");
        await File.WriteAllBytesAsync(sampleFile, sample);

        var environment = new Dictionary<string, string>(serveEnvironment)
        {
            ["JOECASH_Storage__Path"] = database.FilePath,
            ["JOECASH_Mail__PickupDirectory"] = Path.Combine(scheduler.Folder, "pickup"),
            ["JOECASH_Mail__Smtp__Host"] = "127.0.0.1",
            ["JOECASH_Mail__Smtp__Port"] = port.ToString(CultureInfo.InvariantCulture),
            ["JOECASH_Mail__Smtp__Security"] = "None",
            ["JOECASH_Reminders__SweepInterval"] = "00:00:01",
        };
        Console.WriteLine($"Reminder load: {count:N0} reminders due at once; SQLite file {database.FilePath} (prepared in {prepared.Elapsed.TotalSeconds:0.0} s); {sink.Command}");
        Console.WriteLine($"  serve: dotnet {cliDll} serve, with {string.Join(' ', environment.Select(e => $"{e.Key}={e.Value}"))}");
        Console.WriteLine($"  one rendered reminder: {sample.Length:N0} bytes; {rounds} rounds, smtp-source before each and after the last; "
            + $"{Environment.ProcessorCount} cores, load average before: {Machine.LoadAverage()}; commit {Repository.Commit()}");

        string? sourceCommand = null;
        var sourceSeconds = new List<double>();
        async Task SourceAsync(string when)
        {
            var (elapsed, command) = await sink.SourceAsync(count, sampleFile);
            sourceCommand = command;
            sourceSeconds.Add(elapsed.TotalSeconds);
            Console.WriteLine($"  smtp-source {when,-14} {count:N0} in {elapsed.TotalSeconds,7:0.000} s = {Stats.F0(count / elapsed.TotalSeconds),7} msg/s");
        }

        // One serve for every round, as a service runs for weeks: round 1 meets it cold (its hot paths still being
        // compiled, tier by tier), the later rounds warm, like a morning's reminders in a service that has sent mail before.
        var results = new List<RoundResult>();
        var (serve, toReady) = await ChildProcess.StartAsync(cliDll, ["serve"], scheduler.Folder, environment, "Outbox dispatcher started");
        await using (serve)
        {
            Console.WriteLine($"  serve ready in {toReady.TotalSeconds:0.00} s; every round runs in this one process (round 1 cold, the others warm)");
            for (var round = 1; round <= rounds; round++)
            {
                await SourceAsync($"(round {round}):");
                if (round > 1)
                {
                    await ResetAsync(database);
                }

                results.Add(await RunRoundAsync(round, serve, database, clock, sink, count));
            }

            var exit = await serve.StopAsync();
            // The console logger writes "warn: Category[id]" and the message on the next line.
            var lines = serve.Log.Split('\n');
            var warnings = lines.Index().Where(l => l.Item.StartsWith("warn:", StringComparison.Ordinal) || l.Item.StartsWith("fail:", StringComparison.Ordinal))
                .Select(l => $"{l.Item.Trim()} {(l.Index + 1 < lines.Length ? lines[l.Index + 1].Trim() : "")}").ToList();
            Console.WriteLine($"  serve's log: {warnings.Count} warnings/errors{string.Concat(warnings.Take(3).Select(w => $"\n    {w}"))}; exit code {exit}");
        }

        await SourceAsync("(after):");
        var sweepAlone = await SweepAloneAsync(scheduler, count);
        Console.WriteLine($"  sweep alone (in this process, no serve, no dispatcher; median of 3): {count:N0} reminders queued in {sweepAlone:0.000} s = {Stats.F0(count / sweepAlone)} reminders/s");
        Console.WriteLine($"  load average after: {Machine.LoadAverage()}");

        // The judged figure: the warm rounds (all rounds if only one was run).
        var cold = results[0];
        var judged = results.Count > 1 ? results.Skip(1).ToList() : results;
        var total = Stats.Median(judged.Select(r => r.Total.TotalSeconds));
        var source = Stats.Median(sourceSeconds);
        Console.WriteLine();
        Console.WriteLine($"| {count:N0} reminders due at once, {sample.Length:N0}-byte messages (medians of the {judged.Count} warm rounds) | seconds after the due instant | msg/s |");
        Console.WriteLine("| --- | ---: | ---: |");
        Console.WriteLine($"| sweep started (first reminder queued) | {Stats.Median(judged.Select(r => r.SweepStart.TotalSeconds)):0.00} | |");
        Console.WriteLine($"| sweep done (last reminder queued) | {Stats.Median(judged.Select(r => r.SweepEnd.TotalSeconds)):0.00} | {Stats.F0(Stats.Median(judged.Select(r => count / (r.SweepEnd - r.SweepStart).TotalSeconds)))} |");
        Console.WriteLine($"| dispatcher's first claim | {Stats.Median(judged.Select(r => r.FirstClaim.TotalSeconds)):0.00} | |");
        Console.WriteLine($"| first reminder sent | {Stats.Median(judged.Select(r => r.FirstSent.TotalSeconds)):0.00} | |");
        Console.WriteLine($"| sending (first to last sent) | {Stats.Median(judged.Select(r => (r.Total - r.FirstSent).TotalSeconds)):0.00} s long | {Stats.F0(Stats.Median(judged.Select(r => count / (r.Total - r.FirstSent).TotalSeconds)))} |");
        Console.WriteLine($"| **all sent** (last sent_at) | **{total:0.00}** | **{Stats.F0(count / total)}** |");
        Console.WriteLine($"| smtp-source, {count:N0} messages, 1 session | {source:0.00} | {Stats.F0(count / source)} |");
        Console.WriteLine($"| round 1, serve cold: all sent | {cold.Total.TotalSeconds:0.00} = {cold.Total.TotalSeconds / source:0.0}x | {Stats.F0(count / cold.Total.TotalSeconds)} |");
        Console.WriteLine();
        Console.WriteLine($"  smtp-source command: {sourceCommand}");
        Console.WriteLine($"  serve all sent / smtp-source time = {total / source:0.0}x");
        var met = total <= TargetFactor * source;
        Console.WriteLine($"  all {count:N0} sent {total:0.00} s after their due instant = {total / source:0.0}x smtp-source   target <= {TargetFactor}x: {(met ? "MET" : "MISSED")}");
        return met ? 0 : 1;
    }

    private static async Task<RoundResult> RunRoundAsync(int round, ChildProcess serve, Database database, IClock clock, SmtpSinkProcess sink, int count)
    {
        var logFrom = serve.Log.Length;
        var before = sink.Messages;
        var due = clock.GetCurrentInstant() + Lead;
        await using (var connection = await database.OpenAsync())
        {
            var moved = await connection.ExecuteAsync("UPDATE reminders SET due_at = @due WHERE status = 'pending'", new { due });
            if (moved != count)
            {
                throw new InvalidOperationException($"{moved} pending reminders, expected {count}.");
            }
        }

        await PollUntilSentAsync(database.FilePath, count, TimeSpan.FromMinutes(3));
        var polled = clock.GetCurrentInstant() - due;
        await using var file = new SqliteConnection($"Data Source={database.FilePath};Mode=ReadOnly;Pooling=False");
        var (sweepStart, sweepEnd) = await file.QuerySingleAsync<(long, long)>("SELECT min(decided_at), max(decided_at) FROM reminders WHERE status = 'queued'");
        var (sent, firstSent, lastSent) = await file.QuerySingleAsync<(long, long, long)>(
            "SELECT count(*), min(sent_at), max(sent_at) FROM outbox WHERE kind = 'reminder' AND status = 'sent'");
        // A claim sets next_attempt_at to the claim instant + 5 minutes (OutboxDispatcher.ClaimTimeout); marking sent keeps it.
        var (firstClaim, lastClaim) = await file.QuerySingleAsync<(long, long)>(
            "SELECT min(next_attempt_at) - 300000, max(next_attempt_at) - 300000 FROM outbox WHERE kind = 'reminder'");
        var at = due.ToUnixTimeMilliseconds();
        var log = serve.Log[logFrom..];
        var result = new RoundResult(
            TimeSpan.FromMilliseconds(sweepStart - at), TimeSpan.FromMilliseconds(sweepEnd - at),
            TimeSpan.FromMilliseconds(firstClaim - at), TimeSpan.FromMilliseconds(firstSent - at), TimeSpan.FromMilliseconds(lastSent - at));
        var accepted = sink.Messages - before;
        if (sent != count || accepted < count)
        {
            throw new InvalidOperationException($"Round {round}: {sent} reminders marked sent and {accepted} accepted by smtp-sink, expected {count}.");
        }

        Console.WriteLine(
            $"  round {round} ({(round == 1 ? "cold" : "warm")}): after the due instant: sweep {result.SweepStart.TotalSeconds:0.00}–{result.SweepEnd.TotalSeconds:0.00} s, "
            + $"claims {result.FirstClaim.TotalSeconds:0.00}–{TimeSpan.FromMilliseconds(lastClaim - at).TotalSeconds:0.00} s, "
            + $"sent {result.FirstSent.TotalSeconds:0.00}–{result.Total.TotalSeconds:0.00} s (poll saw all at {polled.TotalSeconds:0.00} s) "
            + $"= {Stats.F0(count / result.Total.TotalSeconds)} msg/s overall, {Stats.F0(count / (result.Total - result.FirstSent).TotalSeconds)} msg/s while sending; "
            + $"smtp-sink accepted {accepted:N0}; "
            + $"log: {Count(log, "Reminder sweep:")} sweep batches, {Count(log, "Outbox pass:")} outbox passes, {Count(log, "database busy")} 'database busy', "
            + $"{Count(log, "warn:") + Count(log, "fail:")} warnings/errors");
        // Whether sending speeds up once the sweep is done (the two share the cores and the writer) or stays as slow.
        var perSecond = await file.QueryAsync<(long Second, long Sent)>(
            "SELECT (sent_at - @at) / 1000, count(*) FROM outbox WHERE kind = 'reminder' AND status = 'sent' GROUP BY 1 ORDER BY 1", new { at });
        var queuedPerSecond = (await file.QueryAsync<(long Second, long Queued)>(
            "SELECT (decided_at - @at) / 1000, count(*) FROM reminders WHERE status = 'queued' GROUP BY 1", new { at })).ToDictionary(r => r.Second, r => r.Queued);
        Console.WriteLine("    second after due: queued / sent  " + string.Join("  ", perSecond.Select(r => $"{r.Second}: {queuedPerSecond.GetValueOrDefault(r.Second):N0} / {r.Sent:N0}")));
        return result;
    }

    /// <summary>The sweep by itself: every reminder pending and due now, one <c>ReminderSweep.RunAsync</c> timed; the median of three.</summary>
    private static async Task<double> SweepAloneAsync(TempScheduler scheduler, int count)
    {
        var seconds = new List<double>();
        for (var i = 0; i < 3; i++)
        {
            await ResetAsync(scheduler.Database);
            await using (var connection = await scheduler.Database.OpenAsync())
            {
                await connection.ExecuteAsync("UPDATE reminders SET due_at = @now", new { now = scheduler.Get<IClock>().GetCurrentInstant() });
            }

            var watch = Stopwatch.StartNew();
            var swept = await scheduler.Get<Scheduling.ReminderSweep>().RunAsync();
            seconds.Add(watch.Elapsed.TotalSeconds);
            if (swept.Queued != count)
            {
                throw new InvalidOperationException($"The sweep queued {swept.Queued} reminders, expected {count}.");
            }
        }

        return Stats.Median(seconds);
    }

    /// <summary>Polls a read-only connection every 50 ms; returns the time from the call until every reminder is marked sent.</summary>
    private static async Task<TimeSpan> PollUntilSentAsync(string path, int count, TimeSpan timeout)
    {
        var started = Stopwatch.StartNew();
        await using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        while (await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM outbox WHERE kind = 'reminder' AND status = 'sent'") < count)
        {
            if (started.Elapsed > timeout)
            {
                throw new InvalidOperationException($"Not every reminder was sent within {timeout}.");
            }

            await Task.Delay(50);
        }

        return started.Elapsed;
    }

    private static int Count(string log, string text)
    {
        var n = 0;
        for (var at = log.IndexOf(text, StringComparison.Ordinal); at >= 0; at = log.IndexOf(text, at + text.Length, StringComparison.Ordinal))
        {
            n++;
        }

        return n;
    }

    /// <summary>Technicians, shops, appointments and their reminders (due a day ahead: not yet), in one transaction.</summary>
    private static async Task PrepareAsync(TempScheduler scheduler, int count)
    {
        var zone = scheduler.Get<IOptions<SchedulerOptions>>().Value.Zone;
        var type = scheduler.Get<AppointmentTypeCatalog>().Find("fault").Value;
        var allTypes = scheduler.Get<AppointmentTypeCatalog>().All.Select(t => t.Key).ToArray();
        var (technicians, customers) = await scheduler.SeedAsync(
            Enumerable.Range(1, Technicians).Select(i => new NewTechnician(
                $"Technician {i:00}", $"tech{i:00}@joecash.test", zone, FederalState.BE, WeeklyHours.Parse("Mon-Sun 00:00-23:45").Value, allTypes, DailyCap: null)),
            Customers);
        var now = scheduler.Get<IClock>().GetCurrentInstant();
        var first = Instant.FromUnixTimeSeconds((now + Duration.FromDays(2)).ToUnixTimeSeconds() / 3600 * 3600);
        var step = type.BufferBefore + type.Duration + type.BufferAfter;
        await using var connection = await scheduler.Database.OpenAsync();
        await using var writing = await Database.BeginWriteAsync(connection).ConfigureAwait(false);
        var transaction = writing.Transaction;
        for (var i = 0; i < count; i++)
        {
            var (slot, technician) = Math.DivRem(i, Technicians);
            var customer = customers[((slot * Technicians) + technician) % Customers];
            var start = first + (step * slot) + type.BufferBefore;
            var time = new Interval(start, start + type.Duration);
            var appointment = new Appointment(
                0, $"reminder-bench-{i}@scheduler.joecash.test", technicians[technician].Id, customer.Id, type.Key, time,
                new Interval(time.Start - type.BufferBefore, time.End + type.BufferAfter), AppointmentStatus.Booked, ResponseStatus.NeedsAction,
                0, customer.RustDeskId?.Value, SampleMail.ShortNotes, false, "bench", now, now, 1);
            var id = await connection.InsertAppointmentAsync(appointment, transaction);
            await connection.InsertReminderAsync(id, 0, 24 * 60, now + Duration.FromDays(1), transaction);
        }

        await transaction.CommitAsync();
    }

    /// <summary>One reminder exactly as the sweep composes it and the dispatcher renders it (first appointment).</summary>
    private static async Task<byte[]> SampleReminderAsync(TempScheduler scheduler)
    {
        await using var connection = await scheduler.Database.OpenAsync();
        var appointment = (await connection.GetAppointmentAsync(1))!;
        var context = await scheduler.Get<InvitationOutbox>().ContextAsync(connection, null, appointment);
        var message = scheduler.Get<ReminderComposer>().Compose(context, 24 * 60, scheduler.Get<IClock>().GetCurrentInstant()).Single();
        return MailRenderer.ToBytes(scheduler.Get<MailRenderer>().Render(message.MessageId, message.Payload));
    }

    /// <summary>Every reminder pending again (due a day ahead) and the outbox empty, for the next round.</summary>
    private static async Task ResetAsync(Database database)
    {
        await using var connection = await database.OpenAsync();
        await using var writing = await Database.BeginWriteAsync(connection).ConfigureAwait(false);
        var transaction = writing.Transaction;
        await connection.ExecuteAsync("DELETE FROM outbox_payloads", transaction: transaction);
        await connection.ExecuteAsync("DELETE FROM outbox", transaction: transaction);
        await connection.ExecuteAsync(
            "UPDATE reminders SET status = 'pending', decided_at = NULL, note = NULL, due_at = due_at + 86400000", transaction: transaction);
        await transaction.CommitAsync();
        await connection.ExecuteAsync("PRAGMA wal_checkpoint(TRUNCATE);");
    }

    private sealed record RoundResult(TimeSpan SweepStart, TimeSpan SweepEnd, TimeSpan FirstClaim, TimeSpan FirstSent, TimeSpan Total);
}
