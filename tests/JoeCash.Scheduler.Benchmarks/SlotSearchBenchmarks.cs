using BenchmarkDotNet.Attributes;
using JoeCash.Scheduler.Booking;
using JoeCash.Scheduler.Configuration;
using JoeCash.Scheduler.Domain.Availability;

namespace JoeCash.Scheduler.Benchmarks;

/// <summary>
/// "Any technician" slot search over <see cref="SlotDataset"/> (20 technicians, 14 days, 5,000 appointments):
/// the engine on data in memory, the service end to end from the SQLite file, and one SQL query per candidate; the first
/// two both for every free technician of each start (<see cref="SlotsPerStart.All"/>) and for the first-ranked one only
/// (<see cref="SlotsPerStart.FirstRanked"/>, what the faces show).
/// </summary>
/// <remarks>Not sealed: BenchmarkDotNet's generated runner derives from it.</remarks>
public class SlotSearchBenchmarks
{
    private SlotDataset? _data;
    private Availability? _availability;
    private SlotQuery? _query;
    private IReadOnlyList<TechnicianSchedule>? _schedules;
    private IHolidayCalendar? _holidays;
    private System.Data.Common.DbConnection? _naiveConnection;

    /// <summary>Set by <see cref="Setup"/>: the free slots every approach found (they must agree).</summary>
    public int FreeSlots { get; private set; }

    [GlobalSetup]
    public async Task Setup()
    {
        _data = await SlotDataset.CreateAsync();
        _availability = _data.Scheduler.Get<Availability>();
        _holidays = _data.Scheduler.Get<IHolidayCalendar>();
        var type = _data.Scheduler.Get<AppointmentTypeCatalog>().Find(SlotDataset.SearchType).Value;
        _query = _availability.Query(type, _data.Window);
        _schedules = _data.SchedulesInMemory(SlotDataset.SearchType);
        _naiveConnection = await _data.Scheduler.Database.OpenAsync();

        // Once, outside the timing: the three must find exactly the same free (technician, start) pairs.
        var engine = SlotEngine.FindSlots(_query, _schedules, SlotsPerStart.All);
        var service = await FindThroughServiceAsync(SlotsPerStart.All);
        var (naive, queries) = await NaiveSlotSearch.FindSlotsAsync(_naiveConnection, _query, _holidays);
        static string[] Keys(IEnumerable<Slot> slots) => [.. slots.Select(s => $"{s.TechnicianId}@{s.Start}").Order(StringComparer.Ordinal)];
        var engineKeys = Keys(engine);
        if (!engineKeys.SequenceEqual(Keys(service)) || !engineKeys.SequenceEqual(Keys(naive)))
        {
            throw new InvalidOperationException(
                $"The approaches disagree: engine in memory {engine.Count}, service from SQLite {service.Count}, naive per-slot SQL {naive.Count} free slots.");
        }

        // And the first-ranked technician of each start is the first slot of that start in all of them.
        var firstOfEach = engine.DistinctBy(s => s.Start).ToArray();
        var firstRanked = SlotEngine.FindSlots(_query, _schedules, SlotsPerStart.FirstRanked);
        if (!firstOfEach.SequenceEqual(firstRanked) || !firstOfEach.SequenceEqual(await FindThroughServiceAsync(SlotsPerStart.FirstRanked)))
        {
            throw new InvalidOperationException($"The first-ranked search disagrees with the first slot of each start ({firstOfEach.Length} starts).");
        }

        var inWindow = _data.Appointments.Count(a => _data.Window.Contains(a.Start));
        FreeSlots = engine.Count;
        Console.WriteLine(
            $"// Data: {_data.Technicians.Count} technicians, {_data.Appointments.Count} appointments ({inWindow} start inside the window {_data.Window}), "
            + $"type '{type.Key}', {_query.GridMinutes}-minute grid.");
        Console.WriteLine($"// Check: free slots found — engine in memory {engine.Count}, service from SQLite {service.Count}, naive per-slot SQL {naive.Count} (in {queries} queries): identical; "
            + $"{firstRanked.Count} starts, each with its first-ranked technician: identical.");

        // Reach optimized (tier-1) code before BenchmarkDotNet's pilot picks the invocation count: on tier-0 code the
        // engine ran some 20x slower, and the pilot then chose iterations far too short for the optimized code.
        await WarmAsync(() => Task.FromResult(EngineInMemory()));
        await WarmAsync(() => Task.FromResult(EngineFirstRanked()));
        await WarmAsync(ServiceFromSqlite);
        await WarmAsync(ServiceFirstRanked);
        await WarmAsync(NaivePerSlotQuery);
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        if (_naiveConnection is not null)
        {
            await _naiveConnection.DisposeAsync();
        }

        if (_data is not null)
        {
            await _data.DisposeAsync();
        }
    }

    /// <summary>1a: the pure engine over prebuilt schedules, every free technician of each start.</summary>
    [Benchmark(Description = "1a engine, data in memory")]
    public int EngineInMemory() => SlotEngine.FindSlots(_query!, _schedules!, SlotsPerStart.All).Count;

    /// <summary>1a': the same, the first-ranked technician of each start only.</summary>
    [Benchmark(Description = "1a' engine, first-ranked per start")]
    public int EngineFirstRanked() => SlotEngine.FindSlots(_query!, _schedules!, SlotsPerStart.FirstRanked).Count;

    /// <summary>1b: Availability.FindSlotsAsync: open a pooled connection, read technicians, appointments and time off, run the engine; every free technician.</summary>
    [Benchmark(Baseline = true, Description = "1b service from SQLite")]
    public async Task<int> ServiceFromSqlite() => (await FindThroughServiceAsync(SlotsPerStart.All)).Count;

    /// <summary>1b': the same as the faces ask for it: the first-ranked technician of each start.</summary>
    [Benchmark(Description = "1b' service, first-ranked per start")]
    public async Task<int> ServiceFirstRanked() => (await FindThroughServiceAsync(SlotsPerStart.FirstRanked)).Count;

    /// <summary>1c: one EXISTS query per candidate slot, on one open connection.</summary>
    [Benchmark(Description = "1c naive, SQL per slot")]
    public async Task<int> NaivePerSlotQuery() => (await NaiveSlotSearch.FindSlotsAsync(_naiveConnection!, _query!, _holidays!)).Free.Count;

    private static async Task WarmAsync(Func<Task<int>> run)
    {
        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        for (var calls = 0; calls < 3 || elapsed.Elapsed < TimeSpan.FromSeconds(1); calls++)
        {
            await run();
        }
    }

    private async Task<IReadOnlyList<Slot>> FindThroughServiceAsync(SlotsPerStart perStart)
    {
        var result = await _availability!.FindSlotsAsync(SlotDataset.SearchType, "any", _data!.Window, perStart: perStart);
        return result.IsSuccess ? result.Value : throw new InvalidOperationException(result.Error);
    }
}
