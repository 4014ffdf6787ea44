using System.Diagnostics;
using System.Globalization;
using Dapper;
using JoeCash.Scheduler.Agenda;
using JoeCash.Scheduler.Booking;
using JoeCash.Scheduler.Configuration;
using JoeCash.Scheduler.Customers;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Domain.Availability;
using NodaTime;

namespace JoeCash.Scheduler.Benchmarks;

/// <summary>
/// Does a big vendor's file (1,000,000 appointments) cost more than a young one (10,000) for the same question?
/// Each operation runs through the production code on both files of <see cref="ScaleDataset"/>, alternating the
/// files (and which goes first) every iteration, after a warm-up; the answers of the two files must agree, since
/// their current appointments are the same.
/// </summary>
public static class ScaleLoad
{
    private const double RatioTarget = 1.5;
    private const double SlotTargetMs = 20;
    private const int HistoryPage = 20;
    private const int ShopPage = 25;

    /// <summary>
    /// One measured operation: its <c>run</c> answers with how to fingerprint what it found (compared between the files),
    /// called once the clock has stopped: hashing 250,000 slots is no part of a slot search.
    /// </summary>
    private sealed record Operation(string Name, int Iterations, Func<TempScheduler, int, Task<Func<string>>> Run, bool SlotSearch = false);

    public static async Task<int> RunAsync(int iterations, int warmup, string? cacheFolder, string? only)
    {
        var loadBefore = Machine.LoadAverage();
        Console.WriteLine($"Scale: generating {ScaleDataset.TechnicianCount:N0} technicians, {ScaleDataset.ShopCount:N0} shops, "
            + $"{ScaleDataset.CurrentCount:N0} vs. {ScaleDataset.CurrentCount + ScaleDataset.HistoryCount:N0} appointments (load average {loadBefore}) ...");
        await using var data = await ScaleDataset.CreateAsync(cacheFolder);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  generated both files in {data.Generation.TotalSeconds:0.0} s: {Size(data.Small)} and {Size(data.Big)}; window from {data.Window.Start.InZone(data.Technicians[0].Zone).Date:yyyy-MM-dd}, 14 days"));

        var zone = data.Technicians[0].Zone;
        var day = data.Window.Start.InZone(zone).Date.PlusDays(1);
        var technician = await BusiestOnAsync(data.Small, day);
        var busyShop = (await data.Small.Get<CustomerService>().FindAsync(TempScheduler.CustomerNumber(0))).Value;
        // Every free technician of each start: the booking below needs a free slot of a different technician each time.
        var slots = (await data.Small.Get<Availability>().SearchAsync(new SlotSearch(ScaleDataset.SearchType, "any", data.Window, PerStart: SlotsPerStart.All))).Value.Slots;
        // One free slot of a different technician per booking, each for a shop whose till is free all along.
        var toBook = slots.DistinctBy(s => s.TechnicianId).ToArray();
        if (toBook.Length < warmup + iterations)
        {
            throw new InvalidOperationException($"only {toBook.Length} technicians have a free slot; booking needs {warmup + iterations}.");
        }

        Operation[] operations =
        [
            new($"slot search: any of {ScaleDataset.TechnicianCount:N0} technicians, '{ScaleDataset.SearchType}', 14 days", Math.Max(10, iterations / 5), async (s, _) =>
            {
                // As the faces ask: each start with the technician a booking for "any" would get; the files must agree on both.
                var found = (await s.Get<Availability>().SearchAsync(new SlotSearch(ScaleDataset.SearchType, "any", data.Window))).Value;
                return () => Fingerprint(found.Slots.Select(x => (x.Start.ToUnixTimeMilliseconds(), x.TechnicianId)));
            }, SlotSearch: true),
            new("agenda: one technician's day (`agenda`, morning email)", iterations, async (s, _) =>
            {
                var agenda = await s.Get<AgendaBuilder>().BuildAsync(technician, day);
                return () => string.Join(',', agenda.Entries.Select(e => e.Appointment.Uid));
            }),
            new("day page: /day of one technician (TechnicianDayService)", iterations, async (s, _) =>
            {
                var days = await s.Get<TechnicianDayService>().DaysAsync(technician.Id, day, DaySpan.Day);
                return () => string.Join(',', days!.Days[0].Entries.Select(e => e.Appointment.Uid)) + $"/{days.Proposals.Count}";
            }),
            new($"shop history: newest {HistoryPage} of a shop", iterations, async (s, _) =>
            {
                var history = await s.Get<AppointmentQueries>().ShopHistoryAsync(busyShop.Id, null, HistoryPage);
                return () => string.Join(',', history.Appointments.Select(a => a.Uid)) + $" {history.HasMore}";
            }),
            new($"`customer list`: first page of {ShopPage}", iterations, async (s, _) =>
            {
                var page = await s.Get<CustomerService>().ListAsync(null, null, ShopPage);
                return () => $"{page.Total} {page.HasMore} " + string.Join(',', page.Customers.Select(c => c.Number));
            }),
            new($"`customer list`: page after K30000", iterations, async (s, _) =>
            {
                var page = await s.Get<CustomerService>().ListAsync("K30000", null, ShopPage);
                return () => $"{page.Total} {page.HasMore} " + string.Join(',', page.Customers.Select(c => c.Number));
            }),
            new("booking: BookAsync of a free slot, named technician", iterations, async (s, i) =>
            {
                var slot = toBook[i];
                var outcome = await s.Get<BookingService>().BookAsync(new BookingRequest(
                    TempScheduler.CustomerNumber(ScaleDataset.ShopCount - 1 - i), ScaleDataset.SearchType, slot.TechnicianId.ToString(CultureInfo.InvariantCulture),
                    slot.Start, "Bondrucker druckt nicht", false, "bench"));
                return () => outcome.Succeeded ? $"booked {outcome.Appointment!.TechnicianId} {outcome.Appointment.Start}" : $"refused: {outcome.Refusal!.Message}";
            }),
        ];

        var rows = new List<(Operation Operation, double SmallMedian, double SmallP90, double BigMedian, double BigP90)>();
        var invalid = new List<string>();
        foreach (var operation in operations.Where(o => only is null || o.Name.Contains(only, StringComparison.OrdinalIgnoreCase)))
        {
            var small = new List<double>(operation.Iterations);
            var big = new List<double>(operation.Iterations);
            for (var i = 0; i < warmup + operation.Iterations; i++)
            {
                // Which file goes first alternates, so neither always finds the caches warmed by the other.
                var first = i % 2 == 0 ? data.Small : data.Big;
                var second = i % 2 == 0 ? data.Big : data.Small;
                var (firstAnswer, firstMs) = await TimeAsync(() => operation.Run(first, i));
                var (secondAnswer, secondMs) = await TimeAsync(() => operation.Run(second, i));
                if (firstAnswer != secondAnswer)
                {
                    invalid.Add($"{operation.Name}, iteration {i}: the files answer differently ({Short(firstAnswer)} vs. {Short(secondAnswer)})");
                }

                if (i >= warmup)
                {
                    (first == data.Small ? small : big).Add(firstMs);
                    (second == data.Small ? small : big).Add(secondMs);
                }
            }

            rows.Add((operation, Stats.Median(small), P90(small), Stats.Median(big), P90(big)));
        }

        Console.WriteLine();
        Console.WriteLine($"| operation | {ScaleDataset.CurrentCount:N0}: median (p90) | {ScaleDataset.CurrentCount + ScaleDataset.HistoryCount:N0}: median (p90) | ratio | target |");
        Console.WriteLine("|---|---:|---:|---:|---|");
        var met = true;
        foreach (var (operation, smallMedian, smallP90, bigMedian, bigP90) in rows)
        {
            var ratio = bigMedian / smallMedian;
            var ok = ratio <= RatioTarget && (!operation.SlotSearch || bigMedian <= SlotTargetMs);
            met &= ok;
            var target = operation.SlotSearch ? $"≤ {RatioTarget}×, ≤ {SlotTargetMs} ms" : $"≤ {RatioTarget}×";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {operation.Name} | {smallMedian:0.000} ms ({smallP90:0.000}) | {bigMedian:0.000} ms ({bigP90:0.000}) | {ratio:0.00}× | {target}: {(ok ? "MET" : "MISSED")} |"));
        }

        Console.WriteLine();
        Console.WriteLine($"  {warmup} warm-up and {iterations} iterations a file ({Math.Max(10, iterations / 5)} for the slot search), alternating files; "
            + $"agenda of {technician.Name} on {day:yyyy-MM-dd}; {slots.Count:N0} free slots in the window at {slots.DistinctBy(s => s.Start).Count():N0} starts");
        Console.WriteLine($"  {Environment.ProcessorCount} cores, load average before: {loadBefore}, after: {Machine.LoadAverage()}; commit {Repository.Commit()}");
        await SlotBreakdownAsync(data.Big, data.Window, Math.Max(10, iterations / 5));
        foreach (var problem in invalid.Take(5))
        {
            Console.Error.WriteLine($"invalid: {problem}");
        }

        return invalid.Count > 0 ? 2 : met ? 0 : 1;
    }

    /// <summary>
    /// Where the slot search's time goes on one file, step by step as <see cref="Availability"/> takes them: the
    /// technicians, their booked times and time off, the schedules built from them, the engine. Medians and minima.
    /// </summary>
    private static async Task SlotBreakdownAsync(TempScheduler scheduler, Interval window, int runs)
    {
        var availability = scheduler.Get<Availability>();
        var holidays = scheduler.Get<IHolidayCalendar>();
        var type = scheduler.Get<AppointmentTypeCatalog>().Find(ScaleDataset.SearchType).Value;
        var steps = new[] { "technicians", "booked times", "time off", "schedules", "engine" };
        var times = steps.Select(_ => new List<double>()).ToArray();
        var widened = new Interval(window.Start - Duration.FromDays(1), window.End + Duration.FromDays(1));
        for (var i = 0; i < runs + 3; i++)
        {
            await using var connection = await scheduler.Database.OpenAsync();
            var at = new long[steps.Length + 1];
            at[0] = Stopwatch.GetTimestamp();
            var candidates = (await Availability.TechniciansForAsync(connection, null, type, "any")).Value;
            at[1] = Stopwatch.GetTimestamp();
            var ids = candidates.Select(t => t.Id).ToArray();
            var booked = await connection.BookedTimesAsync(ids, widened);
            at[2] = Stopwatch.GetTimestamp();
            var timeOff = await connection.TimeOffOfAsync(ids, widened);
            at[3] = Stopwatch.GetTimestamp();
            var byTechnician = booked.ToLookup(a => a.TechnicianId);
            TechnicianSchedule[] schedules = [.. candidates.Select(t => new TechnicianSchedule(t, holidays, byTechnician[t.Id], timeOff[t.Id]))];
            at[4] = Stopwatch.GetTimestamp();
            _ = SlotEngine.FindSlots(availability.Query(type, window), schedules, SlotsPerStart.FirstRanked);
            at[5] = Stopwatch.GetTimestamp();
            if (i >= 3)
            {
                for (var step = 0; step < steps.Length; step++)
                {
                    times[step].Add(Stopwatch.GetElapsedTime(at[step], at[step + 1]).TotalMilliseconds);
                }
            }
        }

        Console.WriteLine("  slot search on the big file, step by step (median / min): " + string.Join(", ", steps.Select((step, i) =>
            string.Create(CultureInfo.InvariantCulture, $"{step} {Stats.Median(times[i]):0.00} / {times[i].Min():0.00} ms"))));
    }

    private static async Task<(string Answer, double Ms)> TimeAsync(Func<Task<Func<string>>> run)
    {
        var started = Stopwatch.GetTimestamp();
        var answer = await run();
        var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        return (answer(), ms);
    }

    /// <summary>The technician with the most booked appointments on <paramref name="day"/> (the same in both files).</summary>
    private static async Task<Technician> BusiestOnAsync(TempScheduler scheduler, LocalDate day)
    {
        await using var connection = await scheduler.Database.OpenAsync();
        var zone = scheduler.Get<Availability>().Options.Zone;
        var id = await connection.ExecuteScalarAsync<long>(
            "SELECT technician_id FROM appointments WHERE status = 'booked' AND starts_at >= @from AND starts_at < @until GROUP BY technician_id ORDER BY count(*) DESC, technician_id LIMIT 1",
            new { from = zone.AtStartOfDay(day).ToInstant().ToUnixTimeMilliseconds(), until = zone.AtStartOfDay(day.PlusDays(1)).ToInstant().ToUnixTimeMilliseconds() });
        return (await Technicians.TechnicianSql.TechnicianByIdAsync(connection, id))!;
    }

    private static string Fingerprint(IEnumerable<(long Start, long Technician)> slots)
    {
        var count = 0;
        var hash = new HashCode();
        foreach (var slot in slots)
        {
            hash.Add(slot);
            count++;
        }

        return $"{count} slots, hash {hash.ToHashCode():x8}";
    }

    private static double P90(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(sorted.Length * 0.9))];
    }

    private static string Size(TempScheduler scheduler) =>
        string.Create(CultureInfo.InvariantCulture, $"{Directory.GetFiles(scheduler.Folder).Sum(f => new FileInfo(f).Length) / 1e6:0} MB");

    private static string Short(string text) => text.Length <= 120 ? text : text[..120] + "…";
}
