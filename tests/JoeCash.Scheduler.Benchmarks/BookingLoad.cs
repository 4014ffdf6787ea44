using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using JoeCash.Scheduler.Booking;
using JoeCash.Scheduler.Configuration;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Domain.Availability;
using JoeCash.Scheduler.Storage;
using JoeCash.Scheduler.Technicians;
using NodaTime;

namespace JoeCash.Scheduler.Benchmarks;

/// <summary>
/// Booking throughput on a real SQLite file with the production settings (WAL, synchronous=FULL, BEGIN IMMEDIATE):
/// the whole <see cref="BookingService.BookAsync"/> ("any technician", and a named one) against a plain
/// one-row-per-transaction INSERT into the same <c>appointments</c> table, interleaved in the same run.
/// </summary>
/// <remarks>
/// One client, one operation at a time: the rate a single writer gets. Every booking asks for a distinct free
/// start: the walks go forward over working days on a grid as wide as a "fault" appointment plus its buffers,
/// twenty bookings per start (one per technician), a different shop for each, so the calendar fills densely
/// (140 appointments per working day) as a busy season would. The three walks are a year apart (2027, 2028,
/// 2029) so they never meet. A refused booking fails the run: a refusal would measure the alternatives search instead.
/// </remarks>
public static class BookingLoad
{
    private const int Technicians = 20;
    private const int Customers = 1_000;
    private const string TypeKey = "fault";
    private const double TargetRatio = 0.6;
    private const FederalState State = FederalState.HE;
    private const int Block = 100;

    public static async Task<int> RunAsync(int operations, int rounds, int warmup)
    {
        // The harness fills the calendar far ahead (a busy season compressed): beyond the default one-year horizon.
        await using var scheduler = await TempScheduler.CreateAsync(new Dictionary<string, string?> { ["Scheduler:BookingHorizon"] = "3650.00:00:00" });
        var zone = scheduler.Get<Availability>().Options.Zone;
        var holidays = scheduler.Get<IHolidayCalendar>();
        var type = scheduler.Get<AppointmentTypeCatalog>().Find(TypeKey).Value;
        var allTypes = scheduler.Get<AppointmentTypeCatalog>().All.Select(t => t.Key).ToArray();
        var (technicians, customers) = await scheduler.SeedAsync(
            Enumerable.Range(1, Technicians).Select(i => new NewTechnician(
                $"Technician {i:00}", $"tech{i:00}@joecash.test", zone, State, WeeklyHours.Parse("Mon-Fri 08:00-17:00").Value, allTypes, DailyCap: null)),
            Customers);
        var booking = scheduler.Get<BookingService>();
        var database = scheduler.Database;

        Console.WriteLine($"Booking load: SQLite file {database.FilePath}");
        Console.WriteLine($"  {Technicians} technicians, {Customers} shops, type '{type.Key}' ({type.Duration.TotalMinutes} min + buffers); "
            + $"{rounds} rounds x {operations} operations per kind, interleaved in blocks of {Block}, after {warmup} warm-up operations per kind; one client.");
        Console.WriteLine($"  {Environment.ProcessorCount} cores, load average before: {Machine.LoadAverage()}");

        var anyWalk = Walk(new LocalDate(2027, 1, 4), zone, holidays, type).GetEnumerator();
        var namedWalk = Walk(new LocalDate(2028, 1, 3), zone, holidays, type).GetEnumerator();
        var insertWalk = Walk(new LocalDate(2029, 1, 1), zone, holidays, type).GetEnumerator();

        var kinds = new[]
        {
            new Kind("booking, any technician", async (i, _) =>
            {
                var (start, _) = Next(anyWalk);
                return await booking.BookAsync(new BookingRequest(
                    TempScheduler.CustomerNumber(i % Customers), TypeKey, "any", start, "Bondrucker druckt keine Belege.", false, "bench"));
            }),
            new Kind("booking, named technician", async (i, _) =>
            {
                var (start, technician) = Next(namedWalk);
                return await booking.BookAsync(new BookingRequest(
                    TempScheduler.CustomerNumber(i % Customers), TypeKey, technicians[technician].Id.ToString(CultureInfo.InvariantCulture), start,
                    "Bondrucker druckt keine Belege.", false, "bench"));
            }),
            new Kind("plain INSERT, 1 row/transaction", async (i, connection) =>
            {
                var (start, technician) = Next(insertWalk);
                var customer = customers[i % Customers];
                var time = new Interval(start, start + type.Duration);
                var now = Now(scheduler);
                var appointment = new Appointment(
                    0, $"{RandomNumberGenerator.GetHexString(32, lowercase: true)}@scheduler.joecash.test", technicians[technician].Id, customer.Id, type.Key,
                    time, new Interval(time.Start - type.BufferBefore, time.End + type.BufferAfter), AppointmentStatus.Booked, ResponseStatus.NeedsAction,
                    0, customer.RustDeskId?.Value, "Bondrucker druckt keine Belege.", false, "bench", now, now, 1);
                await using var writing = await Database.BeginWriteAsync(connection).ConfigureAwait(false);
                var transaction = writing.Transaction;
                await connection.InsertAppointmentAsync(appointment, transaction);
                await transaction.CommitAsync();
                return null;
            }),
        };

        var counters = new int[kinds.Length];
        await RunRoundAsync(kinds, database, warmup, counters);
        var results = kinds.Select(_ => new List<RoundResult>()).ToArray();
        for (var round = 1; round <= rounds; round++)
        {
            var result = await RunRoundAsync(kinds, database, operations, counters);
            for (var k = 0; k < kinds.Length; k++)
            {
                results[k].Add(result[k]);
                Console.WriteLine($"  round {round}: {kinds[k].Name,-34} {result[k].OpsPerSecond,8:N0} ops/s   p50 {result[k].P50Ms:0.000} ms   p99 {result[k].P99Ms:0.000} ms   CPU {result[k].CpuUs,6:N0} µs/op");
            }
        }

        await VerifyAsync(database, counters);
        Console.WriteLine($"  load average after: {Machine.LoadAverage()}");

        Console.WriteLine();
        Console.WriteLine($"| {"operation",-34} | median ops/s | median p50 ms | median p99 ms | median CPU µs/op |");
        Console.WriteLine($"| {new string('-', 34)} | -----------: | ------------: | ------------: | ---------------: |");
        var medians = new double[kinds.Length];
        for (var k = 0; k < kinds.Length; k++)
        {
            medians[k] = Median(results[k].Select(r => r.OpsPerSecond));
            Console.WriteLine($"| {kinds[k].Name,-34} | {medians[k],12:N0} | {Median(results[k].Select(r => r.P50Ms)),13:0.000} | {Median(results[k].Select(r => r.P99Ms)),13:0.000} | {Median(results[k].Select(r => r.CpuUs)),16:N0} |");
        }

        Console.WriteLine();
        var anyRatio = medians[0] / medians[2];
        var namedRatio = medians[1] / medians[2];
        var met = anyRatio >= TargetRatio;
        Console.WriteLine($"  {kinds[0].Name} / plain INSERT = {anyRatio:P0}   target >= {TargetRatio:P0}: {(met ? "MET" : "MISSED")}");
        Console.WriteLine($"  {kinds[1].Name} / plain INSERT = {namedRatio:P0}");
        return met ? 0 : 1;
    }

    /// <summary>Free starts on working days from <paramref name="from"/>, twenty at a time (one per technician), back to back with buffers.</summary>
    internal static IEnumerable<(Instant Start, int Technician)> Walk(LocalDate from, DateTimeZone zone, IHolidayCalendar holidays, AppointmentType type, int technicians = Technicians)
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
                for (var technician = 0; technician < technicians; technician++)
                {
                    yield return (start, technician);
                }
            }
        }
    }

    private static (Instant Start, int Technician) Next(IEnumerator<(Instant, int)> walk) =>
        walk.MoveNext() ? walk.Current : throw new InvalidOperationException("The walk ended.");

    private static Instant Now(TempScheduler scheduler) => scheduler.Get<IClock>().GetCurrentInstant();

    /// <summary>
    /// <paramref name="operations"/> of each kind, interleaved in blocks of <see cref="Block"/> so that every kind sees the
    /// same file size, WAL state and background load; each kind's rate is its operations over the time of its own blocks.
    /// </summary>
    private static async Task<RoundResult[]> RunRoundAsync(Kind[] kinds, Database database, int operations, int[] counters)
    {
        await using var connection = await database.OpenAsync();
        var elapsed = new TimeSpan[kinds.Length];
        var cpu = new TimeSpan[kinds.Length];
        using var process = Process.GetCurrentProcess();
        var latencies = kinds.Select(_ => new double[operations]).ToArray();
        for (var done = 0; done < operations; done += Block)
        {
            var count = Math.Min(Block, operations - done);
            for (var k = 0; k < kinds.Length; k++)
            {
                process.Refresh();
                var cpuBefore = process.TotalProcessorTime;
                var block = Stopwatch.GetTimestamp();
                for (var i = done; i < done + count; i++)
                {
                    var started = Stopwatch.GetTimestamp();
                    var outcome = await kinds[k].Run(counters[k]++, connection);
                    latencies[k][i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    if (outcome is { Succeeded: false })
                    {
                        throw new InvalidOperationException(
                            $"{kinds[k].Name}: a booking was refused, and every booking must get a free slot: {outcome.Refusal!.Message}");
                    }
                }

                elapsed[k] += Stopwatch.GetElapsedTime(block);
                process.Refresh();
                cpu[k] += process.TotalProcessorTime - cpuBefore;
            }
        }

        return [.. kinds.Select((_, k) =>
        {
            Array.Sort(latencies[k]);
            return new RoundResult(
                operations / elapsed[k].TotalSeconds, Percentile(latencies[k], 0.50), Percentile(latencies[k], 0.99), cpu[k].TotalMicroseconds / operations);
        })];
    }

    /// <summary>Every operation must have left exactly one appointment, and every booking one audit line.</summary>
    private static async Task VerifyAsync(Database database, int[] counters)
    {
        await using var connection = await database.OpenAsync();
        var appointments = await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, "SELECT count(*) FROM appointments WHERE status = 'booked'");
        var audits = await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, "SELECT count(*) FROM appointment_audit WHERE action = 'booked'");
        var expectedAppointments = counters.Sum();
        var expectedAudits = counters[0] + counters[1];
        if (appointments != expectedAppointments || audits != expectedAudits)
        {
            throw new InvalidOperationException(
                $"Expected {expectedAppointments} appointments and {expectedAudits} audit lines, found {appointments} and {audits}.");
        }

        Console.WriteLine($"  Verified: {appointments} appointments and {audits} 'booked' audit lines in the file, 0 refusals.");
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>One kind of operation: gets its sequence number and the round's open connection (only the plain loop uses it; BookAsync opens its own).</summary>
    private sealed record Kind(string Name, Func<int, System.Data.Common.DbConnection, Task<BookingOutcome?>> Run);

    /// <summary>
    /// A kind's round: its rate, latencies, and the process's CPU time (all threads, user + system) over its blocks per
    /// operation, which a shared machine disturbs least and an fsync does not hide.
    /// </summary>
    private sealed record RoundResult(double OpsPerSecond, double P50Ms, double P99Ms, double CpuUs);
}
