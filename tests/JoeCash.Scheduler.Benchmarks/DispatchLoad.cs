using System.Diagnostics;
using System.Globalization;
using Dapper;
using JoeCash.Scheduler.Configuration;
using JoeCash.Scheduler.Invitations;
using JoeCash.Scheduler.Mail;
using JoeCash.Scheduler.Storage;
using Microsoft.Extensions.Options;
using MimeKit;

namespace JoeCash.Scheduler.Benchmarks;

/// <summary>
/// Outbox delivery over one SMTP connection per batch to a local smtp-sink that accepts and discards: the whole
/// <see cref="OutboxDispatcher.DispatchDueAsync"/> (claim, render from the stored payload, MailKit, mark sent) against
/// smtp-source sending the same number of messages of the same bytes over one session, interleaved in the same run;
/// beside them, the parts: rendering alone, the SMTP transport alone (pre-rendered bytes), and the re-parse the
/// transport does before sending.
/// </summary>
/// <remarks>
/// The outbox holds <c>count</c> invitations (one recipient each, unique Message-IDs) written with the production
/// statement; the notes field is sized so that one rendered message is about 8 KB. Every round puts them all back to
/// 'pending' (not timed) and the dispatcher sends them again.
/// </remarks>
public static class DispatchLoad
{
    private const int TargetBytes = 8 * 1024;
    private const double TargetPerSecond = 1_500;
    private const int BatchSize = 1_000;

    public static async Task<int> RunAsync(int count, int rounds, int port)
    {
        using var sink = await SmtpSinkProcess.StartAsync(port);
        await using var scheduler = await TempScheduler.CreateAsync(new Dictionary<string, string?>
        {
            ["Mail:Smtp:Host"] = "127.0.0.1",
            ["Mail:Smtp:Port"] = port.ToString(CultureInfo.InvariantCulture),
            ["Mail:Smtp:Security"] = "None",
            ["Mail:BatchSize"] = BatchSize.ToString(CultureInfo.InvariantCulture),
        });
        var composer = scheduler.Get<InvitationComposer>();
        var renderer = scheduler.Get<MailRenderer>();
        var types = scheduler.Get<AppointmentTypeCatalog>();
        var zone = scheduler.Get<IOptions<SchedulerOptions>>().Value.Zone;
        var dispatcher = scheduler.Get<OutboxDispatcher>();
        var transport = scheduler.Get<IMailTransport>();
        var database = scheduler.Database;

        OutboxMessage Compose(int index, string notes) =>
            composer.Compose(InvitationKind.Request, SampleMail.Context(types, zone, index, notes), SampleMail.Created).Single() with { AppointmentId = null };
        int SizeOf(OutboxMessage message) => renderer.Render(message.MessageId, message.Payload).Length;

        var notesLength = Calibrate(length => SizeOf(Compose(0, SampleMail.Notes(length))));
        var notes = SampleMail.Notes(notesLength);
        var baseSize = SizeOf(Compose(0, SampleMail.ShortNotes));

        // The outbox: count invitations in one transaction, with the production statement.
        await using (var connection = await database.OpenAsync())
        {
            await using var transaction = Database.BeginWrite(connection);
            for (var i = 0; i < count; i++)
            {
                await connection.EnqueueAsync(Compose(i, notes), SampleMail.Created, transaction);
            }

            await transaction.CommitAsync();
        }

        // What the dispatcher will read, for the parts measured alone.
        List<(long Id, string MessageId, string Recipient, string Payload)> stored;
        await using (var connection = await database.OpenAsync())
        {
            stored = [.. await connection.QueryAsync<(long, string, string, string)>("SELECT id, message_id, recipient, payload FROM outbox ORDER BY id")];
        }

        var rendered = stored.Select(m => new OutgoingMail(m.Id, m.MessageId, m.Recipient, renderer.Render(m.MessageId, m.Payload))).ToArray();
        var sizes = rendered.Select(m => (double)m.Mime.Length).ToArray();
        var sampleFile = Path.Combine(scheduler.Folder, "sample.eml");
        await File.WriteAllBytesAsync(sampleFile, rendered[0].Mime.ToArray());

        Console.WriteLine($"Dispatch load: SQLite file {database.FilePath}; {sink.Command}");
        Console.WriteLine($"  {count:N0} invitations in the outbox, one recipient each; notes of {notesLength:N0} characters make a rendered message "
            + $"{Stats.F0(sizes.Min())}–{Stats.F0(sizes.Max())} bytes (mean {Stats.F0(sizes.Average())}; with a one-line note it is {baseSize:N0}); "
            + $"Mail:BatchSize {BatchSize}, so {(count + BatchSize - 1) / BatchSize} SMTP connections per dispatcher pass.");
        Console.WriteLine($"  {rounds} rounds, each kind once per round in rotating order; {Environment.ProcessorCount} cores, load average before: {Machine.LoadAverage()}; commit {Repository.Commit()}");

        string? sourceCommand = null;
        var kinds = new (string Name, Func<Task<TimeSpan>> Run)[]
        {
            ("dispatcher: DispatchDueAsync", async () =>
            {
                await ResetAsync(database);
                var before = sink.Messages;
                var started = Stopwatch.GetTimestamp();
                var result = await dispatcher.DispatchDueAsync();
                var elapsed = Stopwatch.GetElapsedTime(started);
                await using var connection = await database.OpenAsync();
                var sent = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM outbox WHERE status = 'sent'");
                if (result.Sent != count || sent != count)
                {
                    throw new InvalidOperationException($"The dispatcher sent {result.Sent} ({sent} marked sent) of {count}: {result}.");
                }

                await sink.WaitForCountAsync(before + count, TimeSpan.FromSeconds(5));
                return elapsed;
            }),
            ("smtp-source, 1 session", async () =>
            {
                var (elapsed, command) = await sink.SourceAsync(count, sampleFile);
                sourceCommand = command;
                return elapsed;
            }),
            ("SMTP transport alone (pre-rendered)", async () =>
            {
                var before = sink.Messages;
                var started = Stopwatch.GetTimestamp();
                await using (var session = await transport.OpenAsync(CancellationToken.None))
                {
                    foreach (var mail in rendered)
                    {
                        await session.SendAsync(mail, CancellationToken.None);
                    }
                }

                var elapsed = Stopwatch.GetElapsedTime(started);
                await sink.WaitForCountAsync(before + count, TimeSpan.FromSeconds(5));
                return elapsed;
            }),
            ("render alone (payload JSON → MIME)", () =>
            {
                var started = Stopwatch.GetTimestamp();
                foreach (var m in stored)
                {
                    renderer.Render(m.MessageId, m.Payload);
                }

                return Task.FromResult(Stopwatch.GetElapsedTime(started));
            }),
            ("re-parse alone (MimeMessage.Load)", () =>
            {
                // What SmtpTransport.SendAsync does with the rendered bytes before MailKit writes them again.
                var started = Stopwatch.GetTimestamp();
                foreach (var mail in rendered)
                {
                    using var stream = new MemoryStream(mail.Mime.ToArray(), writable: false);
                    using var message = MimeMessage.Load(stream);
                }

                return Task.FromResult(Stopwatch.GetElapsedTime(started));
            }),
        };

        // Warm-up (not reported): every kind once on a tenth of the work would complicate the dispatcher; run it whole once.
        foreach (var kind in kinds)
        {
            await kind.Run();
        }

        var seconds = kinds.Select(_ => new List<double>()).ToArray();
        for (var round = 1; round <= rounds; round++)
        {
            for (var j = 0; j < kinds.Length; j++)
            {
                var k = (j + round - 1) % kinds.Length;
                var elapsed = await kinds[k].Run();
                seconds[k].Add(elapsed.TotalSeconds);
                Console.WriteLine($"  round {round}: {kinds[k].Name,-38} {elapsed.TotalSeconds,7:0.000} s  {Stats.F0(count / elapsed.TotalSeconds),8} msg/s");
            }
        }

        Console.WriteLine($"  load average after: {Machine.LoadAverage()}; smtp-sink counted {sink.Messages:N0} messages in all");
        Console.WriteLine();
        Console.WriteLine($"| {count:N0} messages of ~{Stats.F0(sizes.Average())} bytes | median s | median msg/s | µs/msg |");
        Console.WriteLine("| --- | ---: | ---: | ---: |");
        var medians = seconds.Select(Stats.Median).ToArray();
        for (var k = 0; k < kinds.Length; k++)
        {
            Console.WriteLine($"| {kinds[k].Name} | {medians[k]:0.000} | {Stats.F0(count / medians[k])} | {Stats.F1(medians[k] * 1e6 / count)} |");
        }

        var dispatchRate = count / medians[0];
        var sourceRate = count / medians[1];
        var withoutRender = count / (medians[0] - medians[3]);
        Console.WriteLine();
        Console.WriteLine($"  smtp-source command: {sourceCommand}");
        Console.WriteLine($"  dispatcher / smtp-source = {dispatchRate / sourceRate:P0} ({Stats.F0(dispatchRate)} vs {Stats.F0(sourceRate)} msg/s)");
        Console.WriteLine($"  dispatcher without rendering (its time minus render alone): {Stats.F0(withoutRender)} msg/s; "
            + $"transport alone {Stats.F0(count / medians[2])} msg/s, of which the re-parse is {medians[4] / medians[2]:P0}");
        var met = dispatchRate >= TargetPerSecond;
        Console.WriteLine($"  dispatcher {Stats.F0(dispatchRate)} msg/s   target >= {TargetPerSecond:N0}: {(met ? "MET" : "MISSED")}");
        return met ? 0 : 1;
    }

    /// <summary>The notes length (0–8000 characters) whose rendered message comes closest to 8 KB; sizes grow with the length.</summary>
    private static int Calibrate(Func<int, int> sizeOf)
    {
        int low = 0, high = 8_000;
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (sizeOf(middle) < TargetBytes)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low > 0 && Math.Abs(sizeOf(low - 1) - TargetBytes) < Math.Abs(sizeOf(low) - TargetBytes) ? low - 1 : low;
    }

    /// <summary>Every message back to 'pending' and due, as if just written (not timed).</summary>
    private static async Task ResetAsync(Database database)
    {
        await using var connection = await database.OpenAsync();
        await using var transaction = Database.BeginWrite(connection);
        await connection.ExecuteAsync(
            "UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = 0, sent_at = NULL, last_error = NULL", transaction: transaction);
        await transaction.CommitAsync();
        await connection.ExecuteAsync("PRAGMA wal_checkpoint(TRUNCATE);");
    }
}
