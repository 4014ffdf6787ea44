using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using JoeCash.Scheduler.Benchmarks;
using Perfolizer.Horology;

// dotnet run -c Release --project tests/JoeCash.Scheduler.Benchmarks -- slots|booking|invitations|dispatch|reminders|serve-idle|replies|api|feed|scale|all [options]
var verb = args.Length > 0 ? args[0] : "";
var rest = args.Skip(1).ToArray();
try
{
    return verb switch
    {
        "slots" => Verbs.Slots(rest),
        "booking" => await Verbs.BookingAsync(rest),
        "pg-booking" => await Verbs.PostgresBookingAsync(rest),
        "pg-nodes" => await Verbs.TwoNodesAsync(rest),
        "invitations" => await Verbs.InvitationsAsync(rest),
        "dispatch" => await Verbs.DispatchAsync(rest),
        "reminders" => await Verbs.RemindersAsync(rest),
        "serve-idle" => await Verbs.ServeIdleAsync(rest),
        "replies" => await Verbs.RepliesAsync(rest),
        "api" => await Verbs.ApiAsync(rest),
        "feed" => await Verbs.FeedAsync(rest),
        "scale" => await Verbs.ScaleAsync(rest),
        "all" => new[]
        {
            Verbs.Slots([]), await Verbs.BookingAsync([]), await Verbs.InvitationsAsync([]), await Verbs.DispatchAsync([]),
            await Verbs.RemindersAsync([]), await Verbs.ServeIdleAsync([]),
        }.Max(),
        _ => Verbs.Usage(),
    };
}
catch (Exception e) when (e is InvalidOperationException or FormatException)
{
    await Console.Error.WriteLineAsync($"error: {e.Message}");
    return 2;
}

/// <summary>The verbs; exit code 0 when every target is met, 1 when one is missed, 2 when a run is invalid.</summary>
internal static class Verbs
{
    private const double EngineTargetMs = 1;
    private const double ServiceTargetMs = 10;
    private const double NaiveTargetFactor = 10;

    public static int Usage()
    {
        Console.Error.WriteLine("""
            usage: dotnet run -c Release --project tests/JoeCash.Scheduler.Benchmarks -- <verb>
              slots [BenchmarkDotNet options]   slot search: engine in memory, service from SQLite, naive SQL per slot
              pg-booking [--ops N] [--rounds R]  booking on PostgreSQL vs. plain inserts, 1 and 16 clients (JC_PG_CONNECTION; 1600 ops, 3 rounds)
              pg-nodes [--count N] [--rounds R] [--port P]
                                                one outbox on PostgreSQL sent by one serve node vs. two, to smtp-sink (10000, 3 rounds, port 2561)
              booking [--ops N] [--rounds R] [--warmup W]
                                                booking throughput vs. plain inserts (defaults: 2000 ops, 5 rounds, 200 warm-up)
              invitations [--rounds R] [--ical11 DIR] [--compare-only] [BenchmarkDotNet options]
                                                one invitation email (BenchmarkDotNet), then the iCalendar part vs. npm ical-generator
                                                10.2.0 and 11.x (installed under DIR, default /tmp/icalgen11), interleaved (3 rounds);
                                                --compare-only skips BenchmarkDotNet
              dispatch [--count N] [--rounds R] [--port P] [--message reminder|invitation] [--connections C]
                                                outbox dispatcher to smtp-sink over 1 and C connections (the shipped Mail:Connections) vs.
                                                smtp-source (5000, 3 rounds, port 2551, reminders sized to 8 KB; invitations are ~9.8 KB
                                                even without notes)
              reminders [--count N] [--rounds R] [--port P] [--serve-env NAME=VALUE]... [--serve-dll PATH]
                                                N reminders due at once through a real `serve` to smtp-sink vs. smtp-source (10000, 2, 2552);
                                                --serve-dll runs another build of serve (e.g. a ReadyToRun publish, as the systemd unit runs it)
              serve-idle [--runs N] [--web DIR] [--serve-env NAME=VALUE]... [--serve-dll PATH] [--baseline-dll PATH]
                                                `serve` as shipped (published as the systemd unit's header says) vs. an empty
                                                `dotnet new web` (DIR, default /tmp/emptyweb): time to ready, idle RSS (5 runs);
                                                --serve-env adds a variable to serve's environment (e.g. DOTNET_TieredPGO=0);
                                                --serve-dll runs another build of serve instead of publishing;
                                                --baseline-dll adds another build of serve (the "before") to the alternation
              replies [--count N] [--backlog B] [--rounds R] [--gap-ms G] [--no-breakdown] [--serve-env NAME=VALUE]... [--baseline-dll PATH]
                                                the shops' answers read by a real `serve` from Dovecot (tests/env/mail-stack.sh start first;
                                                ports from JC_SMTP_PORT / JC_IMAP_PORT): IDLE latency of N REPLYs G ms apart (100, 150),
                                                then a backlog of B REPLYs vs. MailKit alone fetching them (2000, 2 rounds), then
                                                the reader's calls in-process, timed per phase (unless --no-breakdown);
                                                --baseline-dll also runs another build of serve every backlog round, alternating
              feed [--appointments N] [--renders R]
                                                one technician's calendar feed with N booked appointments in its window: median
                                                render time and bytes (500, 200 renders)
              scale [--iterations N] [--warmup W] [--cache DIR] [--only TEXT]
                                                1,000 technicians, 20,000 shops: 10,000 vs. 1,000,000 appointments, the same questions
                                                on both (slot search for any technician, a day's agenda and day page, a shop's history,
                                                `customer list`, booking): medians within 1.5x, slot search <= 20 ms (100 iterations,
                                                a fifth of them for the slot search, 10 warm-up); --cache keeps the generated pair
                                                in DIR (under /tmp) and reuses it for the same window; --only runs the operations
                                                whose name contains TEXT
              api [--clients C] [--seconds S] [--port P] [--serve-env NAME=VALUE]...
                                                the HTTP API of a real `serve`: C concurrent clients for S s, 3 day reads : 1 booking,
                                                beside the same mix in-process (32, 60, port 2553)
              all                               all of them but replies (it needs the mail stack), with the defaults
            """);
        return 2;
    }

    private const double InvitationsTargetPerSecond = 3_000;

    /// <summary>Short but honest on 2 cores: one process per benchmark, 10 warm-up and 20 measured iterations of ~0.5 s each.</summary>
    private static ManualConfig ShortConfig(TimeUnit unit) => DefaultConfig.Instance
        .AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(10).WithIterationCount(20).WithId("Short"))
        .AddColumn(StatisticColumn.Median, StatisticColumn.P95)
        .AddDiagnoser(MemoryDiagnoser.Default)
        .WithSummaryStyle(SummaryStyle.Default.WithTimeUnit(unit));

    public static int Slots(string[] benchmarkArgs)
    {
        var loadBefore = Machine.LoadAverage();
        var summary = BenchmarkRunner.Run<SlotSearchBenchmarks>(ShortConfig(TimeUnit.Millisecond), benchmarkArgs);

        double? MedianMs(string method) => summary.Reports
            .FirstOrDefault(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name == method)?.ResultStatistics?.Median / 1e6;
        var engine = MedianMs(nameof(SlotSearchBenchmarks.EngineInMemory));
        var service = MedianMs(nameof(SlotSearchBenchmarks.ServiceFromSqlite));
        var naive = MedianMs(nameof(SlotSearchBenchmarks.NaivePerSlotQuery));
        if (engine is null || service is null || naive is null)
        {
            Console.Error.WriteLine("error: a slot benchmark produced no result; see the log above.");
            return 2;
        }

        var factor = naive.Value / service.Value;
        var met = engine <= EngineTargetMs && service <= ServiceTargetMs && factor >= NaiveTargetFactor;
        Console.WriteLine();
        Console.WriteLine($"Slot search medians: 1a engine in memory {Ms(engine.Value)}  (target <= {EngineTargetMs} ms: {Verdict(engine <= EngineTargetMs)})");
        Console.WriteLine($"                     1b service from SQLite {Ms(service.Value)}  (target <= {ServiceTargetMs} ms: {Verdict(service <= ServiceTargetMs)})");
        Console.WriteLine($"                     1c naive SQL per slot {Ms(naive.Value)}  = {factor:0.0}x 1b (expected >= {NaiveTargetFactor}x: {Verdict(factor >= NaiveTargetFactor)})");
        Console.WriteLine($"  {Environment.ProcessorCount} cores, load average before: {loadBefore}, after: {Machine.LoadAverage()}");
        return met ? 0 : 1;
    }

    public static async Task<int> BookingAsync(string[] options)
    {
        return await BookingLoad.RunAsync(Option(options, "--ops", 2_000), Option(options, "--rounds", 5), Option(options, "--warmup", 200));
    }

    public static async Task<int> PostgresBookingAsync(string[] options) =>
        await PostgresBookingLoad.RunAsync(PostgresServer(), Option(options, "--ops", 1_600), Option(options, "--rounds", 3));

    public static async Task<int> TwoNodesAsync(string[] options) =>
        await TwoNodeLoad.RunAsync(PostgresServer(), Option(options, "--count", 10_000), Option(options, "--rounds", 3), Option(options, "--port", 2561));

    private static string PostgresServer() =>
        Environment.GetEnvironmentVariable("JC_PG_CONNECTION")
        ?? throw new InvalidOperationException("JC_PG_CONNECTION is not set: start the server with tests/env/postgres.sh start and export JC_PG_CONNECTION=$(tests/env/postgres.sh url).");

    public static async Task<int> InvitationsAsync(string[] options)
    {
        var rounds = Option(options, "--rounds", 3);
        var ical11 = StringOption(options, "--ical11") ?? "/tmp/icalgen11";
        if (options.Contains("--compare-only"))
        {
            return await IcalComparison.RunAsync(rounds, ical11);
        }

        var loadBefore = Machine.LoadAverage();
        var summary = BenchmarkRunner.Run<InvitationBenchmarks>(ShortConfig(TimeUnit.Microsecond), WithoutOptions(options, "--rounds", "--ical11"));

        double? MedianUs(string method) => summary.Reports
            .FirstOrDefault(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name == method)?.ResultStatistics?.Median / 1e3;
        var whole = MedianUs(nameof(InvitationBenchmarks.ComposeAndRender));
        var calendar = MedianUs(nameof(InvitationBenchmarks.CalendarOnly));
        var render = MedianUs(nameof(InvitationBenchmarks.RenderOnly));
        var templates = MedianUs(nameof(InvitationBenchmarks.TemplatesOnly));
        if (whole is null || calendar is null || render is null || templates is null)
        {
            Console.Error.WriteLine("error: an invitation benchmark produced no result; see the log above.");
            return 2;
        }

        var perSecond = 1e6 / whole.Value;
        var met = perSecond >= InvitationsTargetPerSecond;
        Console.WriteLine();
        Console.WriteLine($"Invitation medians: a compose + render {Us(whole.Value)} = {Stats.F0(perSecond)} messages/s on one core (target >= {InvitationsTargetPerSecond:N0}/s: {Verdict(met)})");
        Console.WriteLine($"                    b iCalendar part {Us(calendar.Value)} ({calendar / whole:P0} of a)");
        Console.WriteLine($"                    c MailRenderer alone {Us(render.Value)} ({render / whole:P0} of a); d its four Fluid templates {Us(templates.Value)}");
        Console.WriteLine($"                    so c - b - d (MimeKit, JSON-free message building, serialization) = {Us(render.Value - calendar.Value - templates.Value)}; a - c (compose) = {Us(whole.Value - render.Value)}");
        Console.WriteLine($"  {Environment.ProcessorCount} cores, load average before: {loadBefore}, after: {Machine.LoadAverage()}; commit {Repository.Commit()}");

        var comparison = await IcalComparison.RunAsync(rounds, ical11);
        return Math.Max(comparison, met ? 0 : 1);
    }

    public static Task<int> DispatchAsync(string[] options) =>
        DispatchLoad.RunAsync(
            Option(options, "--count", 5_000), Option(options, "--rounds", 3), Option(options, "--port", 2551), StringOption(options, "--message") ?? "reminder",
            Option(options, "--connections", new JoeCash.Scheduler.Mail.MailOptions().Connections));

    public static Task<int> RemindersAsync(string[] options) =>
        ReminderLoad.RunAsync(Option(options, "--count", 10_000), Option(options, "--rounds", 3), Option(options, "--port", 2552), ServeEnvironment(options), StringOption(options, "--serve-dll"));

    public static Task<int> ServeIdleAsync(string[] options) =>
        ServeIdle.RunAsync(
            Option(options, "--runs", 5),
            StringOption(options, "--web") ?? "/tmp/emptyweb",
            ServeEnvironment(options),
            StringOption(options, "--serve-dll"),
            StringOption(options, "--baseline-dll"));

    public static Task<int> RepliesAsync(string[] options) =>
        ReplyLoad.RunAsync(
            Option(options, "--count", 100), Option(options, "--backlog", 2_000), Option(options, "--rounds", 2), Option(options, "--gap-ms", 150),
            !options.Contains("--no-breakdown"), ServeEnvironment(options), StringOption(options, "--baseline-dll"));

    public static Task<int> FeedAsync(string[] options) =>
        FeedLoad.RunAsync(Option(options, "--appointments", 500), Option(options, "--renders", 200));

    public static Task<int> ScaleAsync(string[] options) =>
        ScaleLoad.RunAsync(Option(options, "--iterations", 100), Option(options, "--warmup", 10), StringOption(options, "--cache"), StringOption(options, "--only"));

    public static Task<int> ApiAsync(string[] options) =>
        ApiLoad.RunAsync(Option(options, "--clients", 32), Option(options, "--seconds", 60), Option(options, "--port", 2553), ServeEnvironment(options),
            Option(options, "--warmup", 30));

    /// <summary>Every --serve-env NAME=VALUE.</summary>
    private static Dictionary<string, string> ServeEnvironment(string[] options) =>
        options.Select((o, i) => (o, i)).Where(x => x.o == "--serve-env" && x.i + 1 < options.Length)
            .Select(x => options[x.i + 1].Split('=', 2)).ToDictionary(kv => kv[0], kv => kv.Length > 1 ? kv[1] : "");

    private static int Option(string[] options, string name, int fallback)
    {
        var at = Array.IndexOf(options, name);
        return at >= 0 && at + 1 < options.Length ? int.Parse(options[at + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static string? StringOption(string[] options, string name)
    {
        var at = Array.IndexOf(options, name);
        return at >= 0 && at + 1 < options.Length ? options[at + 1] : null;
    }

    /// <summary>The arguments left for BenchmarkDotNet once the harness' own options (each with a value) are taken out.</summary>
    private static string[] WithoutOptions(string[] options, params string[] names)
    {
        var rest = new List<string>();
        for (var i = 0; i < options.Length; i++)
        {
            if (names.Contains(options[i]))
            {
                i++;
                continue;
            }

            rest.Add(options[i]);
        }

        return [.. rest];
    }

    private static string Us(double us) => $"{us.ToString("0.0", CultureInfo.InvariantCulture)} µs";

    private static string Ms(double ms) => $"{ms.ToString("0.000", CultureInfo.InvariantCulture)} ms";

    private static string Verdict(bool met) => met ? "MET" : "MISSED";
}
