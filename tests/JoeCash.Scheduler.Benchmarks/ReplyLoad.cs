using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Dapper;
using JoeCash.Scheduler.Booking;
using JoeCash.Scheduler.Calendars;
using JoeCash.Scheduler.Configuration;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Domain.Availability;
using JoeCash.Scheduler.Mail;
using JoeCash.Scheduler.Replies;
using JoeCash.Scheduler.Technicians;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Smtp;
using MailKit.Search;
using MailKit.Security;
using Microsoft.Data.Sqlite;
using MimeKit;
using NodaTime;
using NodaTime.Text;

namespace JoeCash.Scheduler.Benchmarks;

/// <summary>
/// The shops' calendar answers read from the support mailbox by a real <c>serve</c> (JOECASH_ environment variables,
/// as systemd runs it) over IMAP from the real Postfix → Dovecot stack of <c>tests/env/mail-stack.sh</c>:
/// (1) IDLE latency — one REPLY at a time through Postfix, from the SMTP send returning until the appointment's
/// <c>response</c> column changes; (2) backlog — many REPLYs waiting in the mailbox when serve starts, beside
/// MailKit alone downloading the same messages (the reader's limit).
/// </summary>
/// <remarks>
/// Data: 20 technicians, 1,000 shops (<c>shop{i}@shop.test</c>), appointments booked through <see cref="BookingService"/>
/// (so each has its invitation row in the outbox, which the attendee check reads); those outbox rows are then marked
/// sent with one UPDATE so serve's dispatcher has nothing to do during the measurement. Each answer is what a calendar
/// client sends: multipart/alternative, text/plain + text/calendar; method=REPLY, ACCEPTED, the appointment's UID and
/// SEQUENCE 0, ATTENDEE = From = the shop's address the invitation went to. Backlog rounds reset the answers with one
/// UPDATE and use a fresh support mailbox user (so a fresh cursor) each.
/// </remarks>
public static class ReplyLoad
{
    private const int Technicians = 20;
    private const int Customers = 1_000;
    private const string TypeKey = "fault";
    private const FederalState State = FederalState.HE;
    private const string Password = "secret";
    private const double LatencyTargetSeconds = 2;
    private const double RatioTarget = 0.5;
    private const int FetchBatch = 200;
    private static readonly InstantPattern IcalTime = InstantPattern.CreateWithInvariantCulture("uuuuMMdd'T'HHmmss'Z'");

    private static int SmtpPort { get; } = Port("JC_SMTP_PORT", 2525);

    private static int ImapPort { get; } = Port("JC_IMAP_PORT", 1143);

    public static async Task<int> RunAsync(int count, int backlog, int rounds, int gapMs, bool breakdown, IReadOnlyDictionary<string, string> serveEnvironment, string? baselineDll = null)
    {
        await CheckStackAsync();
        var idleUser = NewSupportAddress();
        await using var scheduler = await TempScheduler.CreateAsync(new Dictionary<string, string?> { ["Mail:From"] = idleUser });
        var database = scheduler.Database;
        var prepared = Stopwatch.StartNew();
        var appointments = await BookAsync(scheduler, count + backlog);
        Console.WriteLine($"Reply load: SQLite file {database.FilePath}; {appointments.Count:N0} appointments booked through BookingService in {prepared.Elapsed.TotalSeconds:0.0} s");
        Console.WriteLine($"  mail stack: SMTP 127.0.0.1:{SmtpPort}, IMAP 127.0.0.1:{ImapPort} (JC_SMTP_PORT / JC_IMAP_PORT); "
            + $"{Environment.ProcessorCount} cores, load average before: {Machine.LoadAverage()}; commit {Repository.Commit()}");

        var idle = appointments.Take(count).ToList();
        var (latencies, stored, idleSeen) = await IdleRoundAsync(scheduler.Get<IClock>(), database.FilePath, scheduler.Folder, idleUser, idle, gapMs, serveEnvironment);
        var p50 = Stats.Median(latencies);
        var p99 = Percentile(latencies, 0.99);

        var waiting = appointments.Skip(count).ToList();
        var results = new List<BacklogResult>();
        var baselines = new List<BacklogResult>();
        var reset = false;
        for (var round = 1; round <= rounds; round++)
        {
            // With a baseline build, both run every round, in alternating order, each on its own copy of the backlog.
            string[] builds = baselineDll is null ? [Repository.CliDll] : round % 2 == 1 ? [Repository.CliDll, baselineDll] : [baselineDll, Repository.CliDll];
            foreach (var dll in builds)
            {
                if (reset)
                {
                    await ResetAsync(database.FilePath);
                }

                reset = true;
                var result = await BacklogRoundAsync(scheduler.Get<IClock>(), round, database.FilePath, scheduler.Folder, waiting, serveEnvironment, dll);
                (dll == Repository.CliDll ? results : baselines).Add(result);
            }
        }

        if (baselines.Count > 0)
        {
            Console.WriteLine($"  baseline {baselineDll} (same rounds, alternating): from reader start {Stats.F0(Stats.Median(baselines.Select(r => r.ServeRate)))} msg/s "
                + $"({Stats.Median(baselines.Select(r => r.ServeRate / r.MailKitRate)):P0} of MailKit alone, {Stats.Median(baselines.Select(r => r.ServeRate / r.MoveRate)):P0} of fetch + MOVE); "
                + $"first batch at {Stats.Median(baselines.Select(r => r.FirstAnswer)):0.00} s; serve's CPU {Stats.Median(baselines.Select(r => r.CpuMicros)):0} µs per message; warm {Stats.F0(Stats.Median(baselines.Select(r => r.SteadyRate)))} msg/s "
                + $"({Stats.Median(baselines.Select(r => r.SteadyRate / r.MoveRate)):P0} of fetch + MOVE)");
        }

        if (breakdown)
        {
            await ResetAsync(database.FilePath);
            await BreakdownAsync(scheduler, waiting);
        }

        Console.WriteLine($"  load average after: {Machine.LoadAverage()}");
        var serveRate = Stats.Median(results.Select(r => r.ServeRate));
        var mailKitRate = Stats.Median(results.Select(r => r.MailKitRate));
        var ratio = Stats.Median(results.Select(r => r.ServeRate / r.MailKitRate));
        Console.WriteLine();
        Console.WriteLine($"| support mailbox (Dovecot over IMAP, real serve) | figure |");
        Console.WriteLine("| --- | ---: |");
        Console.WriteLine($"| IDLE latency, {latencies.Count} REPLYs one at a time: median | {p50 * 1000:0} ms |");
        Console.WriteLine($"| IDLE latency: p99 / max | {p99 * 1000:0} ms / {latencies.Max() * 1000:0} ms |");
        Console.WriteLine($"| of it, Postfix → Dovecot (until STATUS UIDNEXT moved): median | {Stats.Median(stored) * 1000:0} ms |");
        Console.WriteLine($"| a bare MailKit client in IDLE told of the message (EXISTS): median | {Stats.Median(idleSeen) * 1000:0} ms |");
        Console.WriteLine($"| backlog of {backlog:N0}: serve, from reader started to all answered (median of {rounds}) | {Stats.F0(serveRate)} msg/s |");
        Console.WriteLine($"| serve: reader started → first batch committed / → all answered (medians) | {Stats.Median(results.Select(r => r.FirstAnswer)):0.00} s / {Stats.Median(results.Select(r => r.Total)):0.00} s |");
        Console.WriteLine($"| same messages, MailKit alone (SEARCH + BODY.PEEK[] in batches of {FetchBatch}) | {Stats.F0(mailKitRate)} msg/s |");
        Console.WriteLine($"| **serve / MailKit alone** (median of the rounds' ratios) | **{ratio:P0}** |");
        Console.WriteLine($"| serve after its first batch (JIT warm), median | {Stats.F0(Stats.Median(results.Select(r => r.SteadyRate)))} msg/s |");
        Console.WriteLine($"| same messages, MailKit alone fetching and MOVEing them (the floor of a reader that files) | {Stats.F0(Stats.Median(results.Select(r => r.MoveRate)))} msg/s |");
        Console.WriteLine($"| serve warm / MailKit fetch + MOVE (median of the rounds' ratios) | {Stats.Median(results.Select(r => r.SteadyRate / r.MoveRate)):P0} |");
        Console.WriteLine($"| serve's CPU (user + system) from reader start to all answered, per message, median | {Stats.Median(results.Select(r => r.CpuMicros)):0} µs |");
        Console.WriteLine($"| serve from reader start / MailKit fetch + MOVE (median of the rounds' ratios) | {Stats.Median(results.Select(r => r.ServeRate / r.MoveRate)):P0} |");
        Console.WriteLine();
        var latencyMet = p99 <= LatencyTargetSeconds;
        var ratioMet = ratio >= RatioTarget;
        Console.WriteLine($"  IDLE latency p99 {p99:0.000} s   target <= {LatencyTargetSeconds} s: {(latencyMet ? "MET" : "MISSED")}");
        Console.WriteLine($"  backlog serve / MailKit alone {ratio:P0}   target >= {RatioTarget:P0}: {(ratioMet ? "MET" : "MISSED")}");
        return latencyMet && ratioMet ? 0 : 1;
    }

    /// <summary>serve reading <paramref name="user"/>'s INBOX with IDLE; one REPLY per appointment through Postfix, <paramref name="gapMs"/> apart.</summary>
    private static async Task<(List<double> Latencies, List<double> Stored, List<double> IdleSeen)> IdleRoundAsync(
        IClock clock, string databasePath, string folder, string user, IReadOnlyList<Booked> appointments, int gapMs, IReadOnlyDictionary<string, string> serveEnvironment)
    {
        var environment = ServeEnvironment(databasePath, folder, user, serveEnvironment);
        Console.WriteLine($"  serve: dotnet {Repository.CliDll} serve, with {string.Join(' ', environment.Where(e => !e.Key.EndsWith("Password", StringComparison.Ordinal)).Select(e => $"{e.Key}={e.Value}"))}");
        var (serve, toReady) = await ChildProcess.StartAsync(Repository.CliDll, ["serve"], folder, environment, "Reply reader started");
        await using (serve)
        {
            // Let the reader connect, create its folders and enter IDLE.
            await Task.Delay(TimeSpan.FromSeconds(2));
            using var smtp = new SmtpClient();
            await smtp.ConnectAsync("127.0.0.1", SmtpPort, SecureSocketOptions.None);
            await using var poll = new SqliteConnection($"Data Source={databasePath};Mode=ReadOnly;Pooling=False");
            await poll.OpenAsync();
            // A second IMAP session that never selects INBOX: STATUS UIDNEXT tells when Dovecot has stored the message.
            using var watcher = await ImapAsync(user);
            await watcher.Inbox.StatusAsync(StatusItems.UidNext);
            // Every REPLY also goes to a watch mailbox nobody empties, with a MailKit client in IDLE on it: when Dovecot
            // tells an IDLE client about a new message (on the support mailbox itself the reader's MOVE races the notice).
            var watch = NewSupportAddress().Replace("support-", "watch-", StringComparison.Ordinal);
            using var idler = await ImapAsync(watch);
            await idler.Inbox.OpenAsync(FolderAccess.ReadOnly);
            var arrivals = new ConcurrentQueue<long>();
            var known = idler.Inbox.Count;
            idler.Inbox.CountChanged += (_, _) =>
            {
                if (idler.Inbox.Count > known)
                {
                    arrivals.Enqueue(Stopwatch.GetTimestamp());
                }

                known = idler.Inbox.Count;
            };
            using var stopIdle = new CancellationTokenSource();
            var idling = Task.Run(async () =>
            {
                while (!stopIdle.IsCancellationRequested)
                {
                    using var renew = CancellationTokenSource.CreateLinkedTokenSource(stopIdle.Token);
                    renew.CancelAfter(TimeSpan.FromMinutes(5));
                    await idler.IdleAsync(renew.Token);
                }
            });
            var sends = new List<long>(appointments.Count);
            var latencies = new List<double>(appointments.Count);
            var stored = new List<double>(appointments.Count);
            var run = Guid.NewGuid().ToString("N")[..8];
            foreach (var appointment in appointments)
            {
                var message = Reply(appointment, user, $"idle-{run}-{appointment.Id}", clock.GetCurrentInstant());
                var uidNext = watcher.Inbox.UidNext;
                await smtp.SendAsync(message, message.From.Mailboxes.Single(), [new MailboxAddress("", user), new MailboxAddress("", watch)]);
                var sent = Stopwatch.GetTimestamp();
                sends.Add(sent);
                double? storedAt = null;
                while (await poll.ExecuteScalarAsync<string>("SELECT response FROM appointments WHERE id = @Id", new { appointment.Id }) != "accepted")
                {
                    if (storedAt is null)
                    {
                        await watcher.Inbox.StatusAsync(StatusItems.UidNext);
                        if (watcher.Inbox.UidNext != uidNext)
                        {
                            storedAt = Stopwatch.GetElapsedTime(sent).TotalSeconds;
                        }
                    }

                    if (Stopwatch.GetElapsedTime(sent) > TimeSpan.FromSeconds(30))
                    {
                        throw new InvalidOperationException($"Appointment {appointment.Id} showed no answer 30 s after its REPLY was sent; serve's log:\n{Tail(serve.Log)}");
                    }

                    await Task.Delay(5);
                }

                latencies.Add(Stopwatch.GetElapsedTime(sent).TotalSeconds);
                if (storedAt is { } delivery)
                {
                    stored.Add(delivery);
                }

                await Task.Delay(gapMs);
            }

            await smtp.DisconnectAsync(true);
            await stopIdle.CancelAsync();
            await idling;
            // Each IDLE notification belongs to the latest send before it.
            var idleSeen = arrivals.Select(a => (Send: sends.LastOrDefault(x => x <= a), At: a)).Where(x => x.Send != 0)
                .GroupBy(x => x.Send).Select(g => Stopwatch.GetElapsedTime(g.Key, g.Min(x => x.At)).TotalSeconds).ToList();
            var exit = await serve.StopAsync();
            var log = serve.Log;
            Console.WriteLine(
                $"  IDLE: serve ready in {toReady.TotalSeconds:0.00} s; {latencies.Count} REPLYs {gapMs} ms apart, each timed from SMTP send returned (Postfix queued it) "
                + $"to response = 'accepted' (read-only poll every 5 ms): median {Stats.Median(latencies) * 1000:0} ms, p99 {Percentile(latencies, 0.99) * 1000:0} ms, "
                + $"min {latencies.Min() * 1000:0} ms, max {latencies.Max() * 1000:0} ms; "
                + $"of which Postfix → Dovecot (SMTP send returned until STATUS UIDNEXT moved, seen before the answer in {stored.Count} of {latencies.Count}): "
                + $"median {Stats.Median(stored) * 1000:0} ms, p99 {(stored.Count > 0 ? Percentile(stored, 0.99) * 1000 : double.NaN):0} ms; "
                + $"a MailKit client in IDLE on a watch mailbox (copy of each REPLY) was told (EXISTS) after a median {Stats.Median(idleSeen) * 1000:0} ms, "
                + $"p99 {(idleSeen.Count > 0 ? Percentile(idleSeen, 0.99) * 1000 : double.NaN):0} ms ({idleSeen.Count} of {latencies.Count} seen); log: {Count(log, "warn:") + Count(log, "fail:")} warnings/errors; exit code {exit}");
            return (latencies, stored, idleSeen);
        }
    }

    private static async Task<BacklogResult> BacklogRoundAsync(
        IClock clock, int round, string databasePath, string folder, IReadOnlyList<Booked> appointments, IReadOnlyDictionary<string, string> serveEnvironment, string dll)
    {
        var user = NewSupportAddress();
        var tag = Guid.NewGuid().ToString("N")[..8];
        var appendTime = await AppendAsync(user, appointments.Select(a => Reply(a, user, $"backlog-{tag}-{a.Id}", clock.GetCurrentInstant())).ToList());
        var (fetched, bytes, mailKit) = await FetchAllAsync(user);
        if (fetched != appointments.Count)
        {
            throw new InvalidOperationException($"Round {round}: MailKit fetched {fetched} messages, {appointments.Count} were appended.");
        }

        // The floor of any reader that must file what it read (the issue: moved to a processed folder): the
        // same messages, in a mailbox of their own, fetched and MOVEd by MailKit alone, in batches of the same size.
        var moveUser = NewSupportAddress();
        await AppendAsync(moveUser, appointments.Select(a => Reply(a, moveUser, $"move-{tag}-{a.Id}", clock.GetCurrentInstant())).ToList());
        var moveTime = await FetchAndMoveAllAsync(moveUser);

        var first = appointments[0].Id;
        var environment = ServeEnvironment(databasePath, folder, user, serveEnvironment);
        var started = Stopwatch.GetTimestamp();
        var (serve, toReady) = await ChildProcess.StartAsync(dll, ["serve"], folder, environment, "Reply reader started");
        var cpuAtReady = CpuSeconds(serve.Id);
        await using (serve)
        {
            await using var poll = new SqliteConnection($"Data Source={databasePath};Mode=ReadOnly;Pooling=False");
            await poll.OpenAsync();
            TimeSpan? firstAnswer = null;
            while (true)
            {
                var answered = await poll.ExecuteScalarAsync<long>("SELECT count(*) FROM appointments WHERE id >= @first AND response = 'accepted'", new { first });
                if (answered > 0)
                {
                    firstAnswer ??= Stopwatch.GetElapsedTime(started);
                }

                if (answered >= appointments.Count)
                {
                    break;
                }

                if (Stopwatch.GetElapsedTime(started) > TimeSpan.FromMinutes(5))
                {
                    throw new InvalidOperationException($"Round {round}: {answered} of {appointments.Count} answered after 5 minutes; serve's log:\n{Tail(serve.Log)}");
                }

                await Task.Delay(5);
            }

            var total = Stopwatch.GetElapsedTime(started);
            var cpu = CpuSeconds(serve.Id) - cpuAtReady;
            var exit = await serve.StopAsync();
            var outcomes = (await poll.QueryAsync<(string Outcome, long N)>(
                "SELECT outcome, count(*) FROM inbound_messages WHERE source LIKE 'imap:%' AND message_id LIKE @pattern GROUP BY outcome", new { pattern = $"backlog-{tag}-%" }))
                .ToDictionary(r => r.Outcome, r => r.N);
            var log = serve.Log;
            foreach (var line in log.Split('\n').Where(l => l.Contains("Reply batch of", StringComparison.Ordinal) || l.Contains("Reply reader", StringComparison.Ordinal) || l.Contains("warm-up", StringComparison.Ordinal)))
            {
                Console.WriteLine($"    serve: {line.TrimEnd()}");
            }

            var reading = total - toReady;
            var firstBatch = Math.Min(FetchBatch, appointments.Count);
            var steady = (appointments.Count - firstBatch) / (total - firstAnswer!.Value).TotalSeconds;
            var result = new BacklogResult(
                appointments.Count / reading.TotalSeconds, fetched / mailKit.TotalSeconds, (firstAnswer!.Value - toReady).TotalSeconds, reading.TotalSeconds,
                steady, appointments.Count / moveTime.TotalSeconds, cpu / appointments.Count * 1e6);
            Console.WriteLine(
                $"  backlog round {round}{(dll == Repository.CliDll ? "" : " BASELINE")} ({user}): {appointments.Count:N0} REPLYs APPENDed in {appendTime.TotalSeconds:0.00} s; "
                + $"MailKit alone fetched {fetched:N0} ({bytes / 1024.0 / 1024.0:0.0} MiB) in {mailKit.TotalSeconds:0.000} s = {Stats.F0(result.MailKitRate)} msg/s; "
                + $"serve: reader started {toReady.TotalSeconds:0.00} s after Process.Start, first answer at {firstAnswer!.Value.TotalSeconds:0.00} s, all at {total.TotalSeconds:0.00} s "
                + $"= {Stats.F0(result.ServeRate)} msg/s from reader start ({Stats.F0(appointments.Count / total.TotalSeconds)} msg/s from Process.Start); "
                + $"ratio {result.ServeRate / result.MailKitRate:P0}; after the first batch (JIT) {Stats.F0(result.SteadyRate)} msg/s; "
                + $"MailKit alone fetch + MOVE {Stats.F0(result.MoveRate)} msg/s; serve's CPU from reader start to all answered {cpu:0.00} s = {result.CpuMicros:0} µs per message; inbound_messages: {string.Join(", ", outcomes.Select(o => $"{o.Value} {o.Key}"))}; "
                + $"log: {Count(log, "warn:") + Count(log, "fail:")} warnings/errors; exit code {exit}");
            return result;
        }
    }

    /// <summary>
    /// Diagnosis, in this process: the reader's own loop (ImapInbox.NextAsync, InboundReply.From, ReplyProcessor.ProcessAsync,
    /// ImapInbox.FileAsync) over a backlog, each phase timed per batch. The first batch pays this process's JIT.
    /// </summary>
    private static async Task BreakdownAsync(TempScheduler scheduler, IReadOnlyList<Booked> appointments)
    {
        var clock = scheduler.Get<IClock>();
        var user = NewSupportAddress();
        await AppendAsync(user, appointments.Select(a => Reply(a, user, $"breakdown-{Guid.NewGuid():N}-{a.Id}", clock.GetCurrentInstant())).ToList());
        var processor = scheduler.Get<ReplyProcessor>();
        var options = new ImapOptions { Host = "127.0.0.1", Port = ImapPort, Security = SmtpSecurity.None, Username = user, Password = Password };
        await using var inbox = new ImapInbox(options);
        InboxCursor? cursor = null;
        var phases = new List<double[]>();
        var done = 0;
        while (done < appointments.Count)
        {
            var t = Stopwatch.GetTimestamp();
            var batch = await inbox.NextAsync(cursor, options.BatchSize, CancellationToken.None);
            var read = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
            t = Stopwatch.GetTimestamp();
            var now = clock.GetCurrentInstant();
            var replies = batch.Items.Select(i => InboundReply.From(i.Message!, i.Source, now)).ToList();
            var parse = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
            t = Stopwatch.GetTimestamp();
            var results = await processor.ProcessAsync(replies, CancellationToken.None);
            var process = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
            t = Stopwatch.GetTimestamp();
            foreach (var reply in replies)
            {
                _ = ItipReader.Read(reply.Calendars[0]);
            }

            var itip = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
            t = Stopwatch.GetTimestamp();
            await inbox.FileAsync(batch.Items.Zip(results, (i, r) => (i, r.Outcome == ReplyOutcome.Applied ? InboxFolder.Processed : InboxFolder.Review)).ToList(), CancellationToken.None);
            var file = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
            cursor = batch.Cursor;
            done += batch.Items.Count;
            phases.Add([batch.Items.Count, read, parse, process, file, itip]);
        }

        Console.WriteLine($"  breakdown (in this process, the reader's calls, BatchSize {options.BatchSize}; ms per batch: NextAsync = SEARCH (once per backlog) + BODY.PEEK[] + MimeMessage.Load | InboundReply.From | ReplyProcessor.ProcessAsync | FileAsync = MOVE):");
        foreach (var p in phases)
        {
            Console.WriteLine($"    {p[0],4:0} messages: {p[1],7:0.0} | {p[2],6:0.0} | {p[3],7:0.0} | {p[4],6:0.0}   (ItipReader.Read of the same calendars again, alone: {p[5]:0.0})");
        }

        var steady = phases.Skip(1).ToList();
        var messages = steady.Sum(p => p[0]);
        if (messages > 0)
        {
            Console.WriteLine($"    after the first batch, per message: read {steady.Sum(p => p[1]) / messages:0.00} ms, parse {steady.Sum(p => p[2]) / messages:0.00} ms, "
                + $"apply {steady.Sum(p => p[3]) / messages:0.00} ms (of which ItipReader.Read ~{steady.Sum(p => p[5]) / messages:0.00} ms), move {steady.Sum(p => p[4]) / messages:0.00} ms "
                + $"= {Stats.F0(messages / steady.Sum(p => p[1] + p[2] + p[3] + p[4]) * 1000)} msg/s");
        }
    }

    /// <summary>The service's settings for reading <paramref name="user"/>'s INBOX on the stack; the outbox goes to the pickup folder (it is idle).</summary>
    private static Dictionary<string, string> ServeEnvironment(string databasePath, string folder, string user, IReadOnlyDictionary<string, string> extra)
    {
        var environment = new Dictionary<string, string>
        {
            ["JOECASH_Storage__Path"] = databasePath,
            ["JOECASH_Mail__PickupDirectory"] = Path.Combine(folder, "pickup"),
            ["JOECASH_Mail__From"] = user,
            ["JOECASH_Mail__Imap__Host"] = "127.0.0.1",
            ["JOECASH_Mail__Imap__Port"] = ImapPort.ToString(CultureInfo.InvariantCulture),
            ["JOECASH_Mail__Imap__Security"] = "None",
            ["JOECASH_Mail__Imap__Username"] = user,
            ["JOECASH_Mail__Imap__Password"] = Password,
            ["JOECASH_Mail__Imap__Folder"] = "INBOX",
        };
        foreach (var (key, value) in extra)
        {
            environment[key] = value;
        }

        return environment;
    }

    /// <summary>Puts the messages into <paramref name="user"/>'s INBOX with APPEND (MULTIAPPEND where offered), 200 per command.</summary>
    private static async Task<TimeSpan> AppendAsync(string user, List<MimeMessage> messages)
    {
        var started = Stopwatch.GetTimestamp();
        using var client = await ImapAsync(user);
        for (var at = 0; at < messages.Count; at += FetchBatch)
        {
            var requests = messages.Skip(at).Take(FetchBatch).Select(m => (IAppendRequest)new AppendRequest(m)).ToList();
            await client.Inbox.AppendAsync(requests);
        }

        await client.DisconnectAsync(true);
        return Stopwatch.GetElapsedTime(started);
    }

    /// <summary>MailKit alone, the reader's limit: connect, log in, open INBOX, SEARCH ALL, then BODY.PEEK[] of every message in batches of 200, drained.</summary>
    /// <summary>MailKit alone, fetching every message (BODY.PEEK[]) and MOVEing each batch to another folder, as a reader that files must.</summary>
    private static async Task<TimeSpan> FetchAndMoveAllAsync(string user)
    {
        var started = Stopwatch.GetTimestamp();
        using var client = await ImapAsync(user);
        var done = client.GetFolder(client.PersonalNamespaces[0]);
        var target = await done.CreateAsync("Moved-" + Guid.NewGuid().ToString("N")[..6], isMessageFolder: true)
            ?? throw new InvalidOperationException("could not create the target folder");
        await client.Inbox.OpenAsync(FolderAccess.ReadWrite);
        var uids = await client.Inbox.SearchAsync(SearchQuery.All);
        var inbox = (ImapFolder)client.Inbox;
        for (var at = 0; at < uids.Count; at += FetchBatch)
        {
            var batch = uids.Skip(at).Take(FetchBatch).ToList();
            await inbox.GetStreamsAsync(batch, async (_, _, _, stream, token) =>
            {
                using var sink = new MemoryStream();
                await stream.CopyToAsync(sink, token);
            });
            await inbox.MoveToAsync(batch, target);
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        await client.DisconnectAsync(true);
        return elapsed;
    }

    private static async Task<(int Messages, long Bytes, TimeSpan Elapsed)> FetchAllAsync(string user)
    {
        var started = Stopwatch.GetTimestamp();
        using var client = await ImapAsync(user);
        await client.Inbox.OpenAsync(FolderAccess.ReadOnly);
        var uids = await client.Inbox.SearchAsync(SearchQuery.All);
        var messages = 0;
        long bytes = 0;
        var inbox = (ImapFolder)client.Inbox;
        for (var at = 0; at < uids.Count; at += FetchBatch)
        {
            await inbox.GetStreamsAsync(uids.Skip(at).Take(FetchBatch).ToList(), async (_, _, _, stream, token) =>
            {
                using var sink = new MemoryStream();
                await stream.CopyToAsync(sink, token);
                bytes += sink.Length;
                messages++;
            });
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        await client.DisconnectAsync(true);
        return (messages, bytes, elapsed);
    }

    private static async Task<ImapClient> ImapAsync(string user)
    {
        var client = new ImapClient();
        try
        {
            await client.ConnectAsync("127.0.0.1", ImapPort, SecureSocketOptions.None);
            await client.AuthenticateAsync(user, Password);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>The answer a calendar client sends: ACCEPTED, from the invited shop address, to the support mailbox.</summary>
    private static MimeMessage Reply(Booked appointment, string support, string messageId, Instant now)
    {
        var stamp = IcalTime.Format(now);
        var start = IcalTime.Format(Instant.FromUnixTimeMilliseconds(appointment.StartsAt));
        var end = IcalTime.Format(Instant.FromUnixTimeMilliseconds(appointment.EndsAt));
        var calendar = string.Join("\r\n",
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//JoeCash//Reply bench//EN",
            "METHOD:REPLY",
            "BEGIN:VEVENT",
            $"UID:{appointment.Uid}",
            "SEQUENCE:0",
            $"DTSTAMP:{stamp}",
            $"DTSTART:{start}",
            $"DTEND:{end}",
            "SUMMARY:Angenommen: Fernwartung",
            $"ORGANIZER:mailto:{support}",
            $"ATTENDEE;PARTSTAT=ACCEPTED;CN=Shop:mailto:{appointment.Recipient}",
            "END:VEVENT",
            "END:VCALENDAR",
            "");
        var calendarPart = new TextPart("calendar") { Text = calendar };
        calendarPart.ContentType.Parameters.Add("method", "REPLY");
        var message = new MimeMessage
        {
            Subject = "Angenommen: Fernwartung",
            MessageId = $"{messageId}@shop.test",
            Body = new MultipartAlternative { new TextPart("plain") { Text = "Ich nehme den Termin an.\r\n" }, calendarPart },
        };
        message.From.Add(new MailboxAddress("Shop", appointment.Recipient));
        message.To.Add(new MailboxAddress("JoeCash Support", support));
        return message;
    }

    /// <summary>Books <paramref name="count"/> appointments (named technicians, back to back, from two weeks ahead) and marks their invitations sent.</summary>
    private static async Task<IReadOnlyList<Booked>> BookAsync(TempScheduler scheduler, int count)
    {
        var zone = scheduler.Get<Availability>().Options.Zone;
        var holidays = scheduler.Get<IHolidayCalendar>();
        var type = scheduler.Get<AppointmentTypeCatalog>().Find(TypeKey).Value;
        var allTypes = scheduler.Get<AppointmentTypeCatalog>().All.Select(t => t.Key).ToArray();
        var (technicians, _) = await scheduler.SeedAsync(
            Enumerable.Range(1, Technicians).Select(i => new NewTechnician(
                $"Technician {i:00}", $"tech{i:00}@joecash.test", zone, State, WeeklyHours.Parse("Mon-Fri 08:00-17:00").Value, allTypes, DailyCap: null)),
            Customers);
        var booking = scheduler.Get<BookingService>();
        var today = scheduler.Get<IClock>().GetCurrentInstant().InZone(zone).Date;
        using var walk = Walk(today.PlusDays(14), zone, holidays, type).GetEnumerator();
        for (var i = 0; i < count; i++)
        {
            walk.MoveNext();
            var (start, technician) = walk.Current;
            var outcome = await booking.BookAsync(new BookingRequest(
                TempScheduler.CustomerNumber(i % Customers), TypeKey, technicians[technician].Id.ToString(CultureInfo.InvariantCulture), start,
                "Bondrucker druckt keine Belege.", false, "bench"));
            if (!outcome.Succeeded)
            {
                throw new InvalidOperationException($"Booking {i} was refused: {outcome.Refusal!.Message}");
            }
        }

        await using var connection = await scheduler.Database.OpenAsync();
        await connection.ExecuteAsync("UPDATE outbox SET status = 'sent', sent_at = created_at WHERE status = 'pending'");
        var booked = (await connection.QueryAsync<Booked>("""
            SELECT a.id AS Id, a.uid AS Uid, a.starts_at AS StartsAt, a.ends_at AS EndsAt, min(o.recipient) AS Recipient
            FROM appointments a JOIN outbox o ON o.appointment_id = a.id AND o.kind = 'invitation'
            GROUP BY a.id ORDER BY a.id
            """)).ToList();
        return booked.Count == count ? booked : throw new InvalidOperationException($"{booked.Count} appointments with an invitation, {count} booked.");
    }

    private static IEnumerable<(Instant Start, int Technician)> Walk(LocalDate from, DateTimeZone zone, IHolidayCalendar holidays, AppointmentType type)
    {
        var step = type.BufferBefore + type.Duration + type.BufferAfter;
        var dayStart = new LocalTime(8, 0).PlusMinutes((long)type.BufferBefore.TotalMinutes);
        var dayEnd = new LocalTime(17, 0);
        for (var date = from; ; date = date.PlusDays(1))
        {
            if (date.DayOfWeek is IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday || holidays.IsHoliday(State, date))
            {
                continue;
            }

            for (var start = zone.AtStrictly(date.At(dayStart)).ToInstant(); start + type.Duration <= zone.AtStrictly(date.At(dayEnd)).ToInstant(); start += step)
            {
                for (var technician = 0; technician < Technicians; technician++)
                {
                    yield return (start, technician);
                }
            }
        }
    }

    /// <summary>Every answer undone (one UPDATE), for the next backlog round.</summary>
    private static async Task ResetAsync(string databasePath)
    {
        await using var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        await connection.OpenAsync();
        await connection.ExecuteAsync("UPDATE appointments SET response = 'needs-action', responded_at = NULL, responded_by = NULL");
        await connection.ExecuteAsync("PRAGMA wal_checkpoint(TRUNCATE);");
    }

    private static async Task CheckStackAsync()
    {
        try
        {
            using var client = await ImapAsync(NewSupportAddress());
            await client.DisconnectAsync(true);
            using var smtp = new SmtpClient();
            await smtp.ConnectAsync("127.0.0.1", SmtpPort, SecureSocketOptions.None);
            await smtp.DisconnectAsync(true);
        }
        catch (Exception e) when (e is SocketException or IOException or AuthenticationException or ProtocolException)
        {
            throw new InvalidOperationException(
                $"No mail stack on 127.0.0.1 (SMTP {SmtpPort}, IMAP {ImapPort}): start it with tests/env/mail-stack.sh start "
                + $"(same JC_SMTP_PORT / JC_IMAP_PORT as here): {e.Message}", e);
        }
    }

    private static string NewSupportAddress() => $"support-{Guid.NewGuid():N}"[..20] + "@joecash.test";

    private static double Percentile(IReadOnlyList<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
    }

    private static string Tail(string log) => log.Length > 4000 ? log[^4000..] : log;

    private static int Count(string log, string text)
    {
        var n = 0;
        for (var at = log.IndexOf(text, StringComparison.Ordinal); at >= 0; at = log.IndexOf(text, at + text.Length, StringComparison.Ordinal))
        {
            n++;
        }

        return n;
    }

    private static int Port(string variable, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), out var port) ? port : fallback;

    private sealed record BacklogResult(double ServeRate, double MailKitRate, double FirstAnswer, double Total, double SteadyRate, double MoveRate, double CpuMicros);

    /// <summary>User + system CPU time of a process so far (<c>/proc/PID/stat</c>, clock ticks of 10 ms).</summary>
    private static double CpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    private sealed record Booked(long Id, string Uid, long StartsAt, long EndsAt, string Recipient);
}
