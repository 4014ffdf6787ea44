using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using JoeCash.Scheduler.Benchmarks;
using Perfolizer.Horology;

// dotnet run -c Release --project tests/JoeCash.Scheduler.Benchmarks -- slots|booking|all [options]
var verb = args.Length > 0 ? args[0] : "";
var rest = args.Skip(1).ToArray();
try
{
    return verb switch
    {
        "slots" => Verbs.Slots(rest),
        "booking" => await Verbs.BookingAsync(rest),
        "all" => Math.Max(Verbs.Slots([]), await Verbs.BookingAsync([])),
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
              booking [--ops N] [--rounds R] [--warmup W]
                                                booking throughput vs. plain inserts (defaults: 2000 ops, 5 rounds, 200 warm-up)
              all                               both, with the defaults
            """);
        return 2;
    }

    public static int Slots(string[] benchmarkArgs)
    {
        // Short but honest on 2 cores: one process per benchmark, 10 warm-up and 20 measured iterations of ~0.5 s each.
        var job = Job.Default.WithLaunchCount(1).WithWarmupCount(10).WithIterationCount(20).WithId("Short");
        var config = DefaultConfig.Instance
            .AddJob(job)
            .AddColumn(StatisticColumn.Median, StatisticColumn.P95)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .WithSummaryStyle(SummaryStyle.Default.WithTimeUnit(TimeUnit.Millisecond));
        var loadBefore = Machine.LoadAverage();
        var summary = BenchmarkRunner.Run<SlotSearchBenchmarks>(config, benchmarkArgs);

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
        int Option(string name, int fallback)
        {
            var at = Array.IndexOf(options, name);
            return at >= 0 && at + 1 < options.Length ? int.Parse(options[at + 1], CultureInfo.InvariantCulture) : fallback;
        }

        return await BookingLoad.RunAsync(Option("--ops", 2_000), Option("--rounds", 5), Option("--warmup", 200));
    }

    private static string Ms(double ms) => $"{ms.ToString("0.000", CultureInfo.InvariantCulture)} ms";

    private static string Verdict(bool met) => met ? "MET" : "MISSED";
}
