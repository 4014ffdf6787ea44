using System.Diagnostics;
using System.Globalization;
using Dapper;
using JoeCash.Scheduler.Configuration;
using JoeCash.Scheduler.Invitations;
using JoeCash.Scheduler.Mail;
using JoeCash.Scheduler.Reminders;
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
    private const double OneConnectionTarget = 0.6;
    private const double ChosenConnectionsTarget = 1.0;
    private const int BatchSize = 1_000;

    /// <summary>Sends <paramref name="count"/> messages per kind and round to smtp-sink on <paramref name="port"/>; <paramref name="kind"/>
    /// is "invitation" (the heaviest to render; at least ~9.8 KB even without notes) or "reminder" (no calendar: sized to 8 KB by its notes).</summary>
    public static async Task<int> RunAsync(int count, int rounds, int port, string kind, int connections)
    {
        if (kind is not ("invitation" or "reminder"))
        {
            throw new InvalidOperationException($"--message must be invitation or reminder, not '{kind}'.");
        }

        using var sink = await SmtpSinkProcess.StartAsync(port);
        await using var scheduler = await TempScheduler.CreateAsync(new Dictionary<string, string?>
        {
            ["Mail:Smtp:Host"] = "127.0.0.1",
            ["Mail:Smtp:Port"] = port.ToString(CultureInfo.InvariantCulture),
            ["Mail:Smtp:Security"] = "None",
            ["Mail:BatchSize"] = BatchSize.ToString(CultureInfo.InvariantCulture),
        });
        var composer = scheduler.Get<InvitationComposer>();
        var reminders = scheduler.Get<ReminderComposer>();
        var renderer = scheduler.Get<MailRenderer>();
        var types = scheduler.Get<AppointmentTypeCatalog>();
        var zone = scheduler.Get<IOptions<SchedulerOptions>>().Value.Zone;
        var dispatcher = scheduler.Get<OutboxDispatcher>();
        var mailOptions = scheduler.Get<IOptions<MailOptions>>().Value;
        var transport = scheduler.Get<IMailTransport>();
        var database = scheduler.Database;

        OutboxMessage Compose(int index, string? notes)
        {
            var context = SampleMail.Context(types, zone, index, string.IsNullOrEmpty(notes) ? null : notes);
            var message = kind == "invitation"
                ? composer.Compose(InvitationKind.Request, context, SampleMail.Created).Single()
                : reminders.Compose(context, 24 * 60, SampleMail.Created).Single();
            return message with { AppointmentId = null };
        }

        int SizeOf(OutboxMessage message) => MailRenderer.ToBytes(renderer.Render(message.MessageId, message.Payload)).Length;

        var notesLength = Calibrate(length => SizeOf(Compose(0, SampleMail.Notes(length))));
        var notes = SampleMail.Notes(notesLength);
        var baseSize = SizeOf(Compose(0, SampleMail.ShortNotes));

        // The outbox: count messages in one transaction, with the production statement.
        await using (var connection = await database.OpenAsync())
        {
            await using var writing = await Database.BeginWriteAsync(connection).ConfigureAwait(false);
            var transaction = writing.Transaction;
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
            stored = [.. await connection.QueryAsync<(long, string, string, string)>("SELECT o.id, o.message_id, o.recipient, p.payload FROM outbox o JOIN outbox_payloads p ON p.outbox_id = o.id ORDER BY o.id")];
        }

        // As the dispatcher hands them to the transport: rendered, the body encoded once.
        var rendered = stored.Select(m => new OutgoingMail(m.Id, m.MessageId, m.Recipient, renderer.RenderForWire(m.MessageId, m.Payload))).ToArray();
        var sizes = rendered.Select(m => (double)MailRenderer.ToBytes(m.Message).Length).ToArray();
        var sampleFile = Path.Combine(scheduler.Folder, "sample.eml");
        await File.WriteAllBytesAsync(sampleFile, MailRenderer.ToBytes(rendered[0].Message));

        Console.WriteLine($"Dispatch load: SQLite file {database.FilePath}; {sink.Command}");
        Console.WriteLine($"  {count:N0} {kind}s in the outbox, one recipient each; notes of {notesLength:N0} characters make a rendered message "
            + $"{Stats.F0(sizes.Min())}–{Stats.F0(sizes.Max())} bytes (mean {Stats.F0(sizes.Average())}; with a one-line note it is {baseSize:N0}); "
            + $"Mail:BatchSize {BatchSize}, so {(count + BatchSize - 1) / BatchSize} SMTP connections per dispatcher pass.");
        Console.WriteLine($"  {rounds} rounds, each kind once per round in rotating order; {Environment.ProcessorCount} cores, load average before: {Machine.LoadAverage()}; commit {Repository.Commit()}");

        string? sourceCommand = null;
        // The same dispatcher over a transport that accepts everything at once: claim, render, mark sent, no network.
        var nullDispatcher = new OutboxDispatcher(
            database, new JoeCash.Scheduler.Storage.Claimant("benchmark"), new NullTransport(), renderer, scheduler.Get<NodaTime.IClock>(), scheduler.Get<IOptions<MailOptions>>(),
            scheduler.Get<Microsoft.Extensions.Logging.ILogger<OutboxDispatcher>>());
        async Task<TimeSpan> DispatchAsync(OutboxDispatcher which, bool throughSink)
        {
            await ResetAsync(database);
            var before = sink.Messages;
            // With a token that can be cancelled, as serve passes its stopping token: what the send path does with it counts.
            using var running = new CancellationTokenSource();
            var started = Stopwatch.GetTimestamp();
            var result = await which.DispatchDueAsync(running.Token);
            var elapsed = Stopwatch.GetElapsedTime(started);
            await using var connection = await database.OpenAsync();
            var sent = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM outbox WHERE status = 'sent'");
            if (result.Sent != count || sent != count)
            {
                throw new InvalidOperationException($"The dispatcher sent {result.Sent} ({sent} marked sent) of {count}: {result}.");
            }

            if (throughSink)
            {
                await sink.WaitForCountAsync(before + count, TimeSpan.FromSeconds(5));
            }

            return elapsed;
        }

        // The dispatcher reads Mail:Connections at the start of every pass.
        async Task<TimeSpan> OverAsync(int lanes, OutboxDispatcher which, bool throughSink)
        {
            mailOptions.Connections = lanes;
            return await DispatchAsync(which, throughSink);
        }

        var kinds = new (string Name, Func<Task<TimeSpan>> Run)[]
        {
            ("dispatcher: DispatchDueAsync, 1 connection", () => OverAsync(1, dispatcher, throughSink: true)),
            ("dispatcher, null transport", () => OverAsync(1, nullDispatcher, throughSink: false)),
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
                        session.Send(mail, CancellationToken.None);
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
                    MailRenderer.ToBytes(renderer.Render(m.MessageId, m.Payload));
                }

                return Task.FromResult(Stopwatch.GetElapsedTime(started));
            }),
            ("re-parse alone (MimeMessage.Load)", () =>
            {
                // What SmtpTransport.SendAsync does with the rendered bytes before MailKit writes them again.
                var started = Stopwatch.GetTimestamp();
                foreach (var mail in rendered)
                {
                    using var stream = new MemoryStream(MailRenderer.ToBytes(mail.Message), writable: false);
                    using var message = MimeMessage.Load(stream);
                }

                return Task.FromResult(Stopwatch.GetElapsedTime(started));
            }),
            ("render + send, no database", async () =>
            {
                // The dispatcher's loop without the outbox: does rendering between sends cost more than both alone?
                var before = sink.Messages;
                var started = Stopwatch.GetTimestamp();
                await using (var session = await transport.OpenAsync(CancellationToken.None))
                {
                    foreach (var m in stored)
                    {
                        session.Send(new OutgoingMail(m.Id, m.MessageId, m.Recipient, renderer.RenderForWire(m.MessageId, m.Payload)), CancellationToken.None);
                    }
                }

                var elapsed = Stopwatch.GetElapsedTime(started);
                await sink.WaitForCountAsync(before + count, TimeSpan.FromSeconds(5));
                return elapsed;
            }),
            ("re-parse + MimeKit write, no network", () =>
            {
                // The transport's CPU before the wire: parse the stored bytes, write them out again (as MailKit does into DATA).
                var format = FormatOptions.Default.Clone();
                format.NewLineFormat = NewLineFormat.Dos;
                var started = Stopwatch.GetTimestamp();
                foreach (var mail in rendered)
                {
                    using var stream = new MemoryStream(MailRenderer.ToBytes(mail.Message), writable: false);
                    using var message = MimeMessage.Load(stream);
                    message.WriteTo(format, Stream.Null);
                }

                return Task.FromResult(Stopwatch.GetElapsedTime(started));
            }),
            ($"dispatcher: DispatchDueAsync, {connections} connections", () => OverAsync(connections, dispatcher, throughSink: true)),
        };

        // Warm-up (not reported): every kind once, whole.
        foreach (var warm in kinds)
        {
            await warm.Run();
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

        // 0 dispatcher, 1 null-transport dispatcher, 2 smtp-source, 3 transport alone, 4 render alone, 5 re-parse alone,
        // 6 render + send without the database, 7 re-parse + MimeKit write, 8 dispatcher over the chosen connections.
        var dispatchRate = count / medians[0];
        var sourceRate = count / medians[2];
        double PerMessage(double secondsValue) => secondsValue * 1e6 / count;
        Console.WriteLine();
        Console.WriteLine($"  smtp-source command: {sourceCommand}");
        Console.WriteLine($"  dispatcher / smtp-source = {dispatchRate / sourceRate:P0} ({Stats.F0(dispatchRate)} vs {Stats.F0(sourceRate)} msg/s)");
        Console.WriteLine($"  pure send rate, rendering excluded: transport alone (MailKit, pre-rendered bytes) {Stats.F0(count / medians[3])} msg/s; "
            + $"dispatcher minus render alone {Stats.F0(count / (medians[0] - medians[4]))} msg/s");
        Console.WriteLine($"  per message: dispatcher {Stats.F1(PerMessage(medians[0]))} µs = render {Stats.F1(PerMessage(medians[4]))} + database (claim, mark sent) "
            + $"{Stats.F1(PerMessage(medians[1] - medians[4]))} [null transport minus render] + sending {Stats.F1(PerMessage(medians[0] - medians[1]))} "
            + "[dispatcher minus null transport]");
        Console.WriteLine($"  sending alone {Stats.F1(PerMessage(medians[3]))} µs, of which re-parse {Stats.F1(PerMessage(medians[5]))} and re-parse + MimeKit write {Stats.F1(PerMessage(medians[7]))}; "
            + $"render + send without the database {Stats.F1(PerMessage(medians[6]))} µs (render alone + send alone = {Stats.F1(PerMessage(medians[3] + medians[4]))})");
        await DatabaseDiagnosticsAsync(database, count);
        var chosenRate = count / medians[8];
        var oneMet = dispatchRate / sourceRate >= OneConnectionTarget;
        var chosenMet = chosenRate / sourceRate >= ChosenConnectionsTarget;
        Console.WriteLine($"  dispatcher, 1 connection: {Stats.F0(dispatchRate)} msg/s = {dispatchRate / sourceRate:P0} of smtp-source's one session   target >= {OneConnectionTarget:P0}: {(oneMet ? "MET" : "MISSED")}");
        Console.WriteLine($"  dispatcher, {connections} connections: {Stats.F0(chosenRate)} msg/s = {chosenRate / sourceRate:P0} of smtp-source's one session   target >= {ChosenConnectionsTarget:P0}: {(chosenMet ? "MET" : "MISSED")}");
        return oneMet && chosenMet ? 0 : 1;
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

    /// <summary>
    /// The dispatcher's database work alone, as it does it (one claim of a batch, then one autocommit UPDATE per message
    /// on a synchronous=NORMAL connection), and the same marks committed 100 at a time.
    /// </summary>
    private static async Task DatabaseDiagnosticsAsync(Database database, int count)
    {
        var results = new List<string>();
        foreach (var group in new[] { 1, 100 })
        {
            await ResetAsync(database);
            await using var connection = await database.OpenAsync();
            await connection.ExecuteAsync("PRAGMA synchronous = NORMAL;");
            var now = SampleMail.Created + NodaTime.Duration.FromDays(3650);
            var claim = TimeSpan.Zero;
            var mark = TimeSpan.Zero;
            for (var claimed = 0; claimed < count; claimed += BatchSize)
            {
                var started = Stopwatch.GetTimestamp();
                IReadOnlyList<ClaimedMail> batch;
                await using (var writing = await Database.BeginWriteAsync(connection).ConfigureAwait(false))
                {
                    var transaction = writing.Transaction;
                    batch = await connection.ClaimDueAsync("benchmark", now, now + NodaTime.Duration.FromMinutes(5), BatchSize, transaction);
                    await transaction.CommitAsync();
                }

                claim += Stopwatch.GetElapsedTime(started);
                started = Stopwatch.GetTimestamp();
                foreach (var ids in batch.Select(m => m.Id).Chunk(group))
                {
                    if (group == 1)
                    {
                        await connection.MarkSentAsync(ids, now);
                    }
                    else
                    {
                        await using var writing = await Database.BeginWriteAsync(connection).ConfigureAwait(false);
                        var transaction = writing.Transaction;
                        await connection.MarkSentAsync(ids, now, transaction);
                        await transaction.CommitAsync();
                    }
                }

                mark += Stopwatch.GetElapsedTime(started);
            }

            results.Add(group == 1
                ? $"claim {Stats.F1(claim.TotalMicroseconds / count)} µs/msg, MarkSentAsync one by one (autocommit) {Stats.F1(mark.TotalMicroseconds / count)} µs/msg"
                : $"the same marks {group} per transaction {Stats.F1(mark.TotalMicroseconds / count)} µs/msg");
        }

        Console.WriteLine($"  database alone (once, after the rounds): {string.Join("; ", results)}");
    }

    /// <summary>Accepts every message at once: the dispatcher's own cost without the network.</summary>
    private sealed class NullTransport : IMailTransport
    {
        public Task<IMailSession> OpenAsync(CancellationToken cancellationToken) => Task.FromResult<IMailSession>(new Session());

        private sealed class Session : IMailSession
        {
            public void Send(OutgoingMail mail, CancellationToken cancellationToken)
            {
            }

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }

    /// <summary>Every message back to 'pending' and due, as if just written (not timed).</summary>
    private static async Task ResetAsync(Database database)
    {
        await using var connection = await database.OpenAsync();
        await using var writing = await Database.BeginWriteAsync(connection).ConfigureAwait(false);
        var transaction = writing.Transaction;
        await connection.ExecuteAsync(
            "UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = 0, sent_at = NULL, last_error = NULL", transaction: transaction);
        await transaction.CommitAsync();
        await connection.ExecuteAsync("PRAGMA wal_checkpoint(TRUNCATE);");
    }
}
