using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Dapper;
using JoeCash.Scheduler.Booking;
using JoeCash.Scheduler.Configuration;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Domain.Availability;
using JoeCash.Scheduler.Technicians;
using Npgsql;
using NodaTime;

namespace JoeCash.Scheduler.Benchmarks;

/// <summary>
/// Booking on PostgreSQL (the whole <see cref="BookingService.BookAsync"/>, a named technician) beside a raw one-row
/// INSERT into the same <c>appointments</c> table with its exclusion constraints, one transaction each, same
/// durability (<c>synchronous_commit=on</c>), with 1 and with 16 clients. Clients never collide: each has its own
/// technicians and shops, so this measures throughput, not contention (the races are the tests' business).
/// </summary>
public static class PostgresBookingLoad
{
    private const int Technicians = 32;
    private const int Customers = 1_600;
    private const string TypeKey = "fault";
    private const double TargetRatio = 0.7;

    public static async Task<int> RunAsync(string server, int operations, int rounds)
    {
        var name = "bench_" + Guid.NewGuid().ToString("N")[..12];
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.ExecuteAsync($"CREATE DATABASE {name}");
        }

        var connectionString = new NpgsqlConnectionStringBuilder(server) { Database = name, MaxPoolSize = 64 }.ToString();
        try
        {
            return await MeasureAsync(connectionString, name, operations, rounds);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(server);
            await admin.ExecuteAsync($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        }
    }

    private static async Task<int> MeasureAsync(string connectionString, string name, int operations, int rounds)
    {
        await using var scheduler = await TempScheduler.CreateAsync(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "PostgreSQL",
            ["Storage:ConnectionString"] = connectionString,
            ["Scheduler:BookingHorizon"] = "3650.00:00:00",
        });
        var zone = scheduler.Get<Availability>().Options.Zone;
        var holidays = scheduler.Get<IHolidayCalendar>();
        var type = scheduler.Get<AppointmentTypeCatalog>().Find(TypeKey).Value;
        var allTypes = scheduler.Get<AppointmentTypeCatalog>().All.Select(t => t.Key).ToArray();
        var (technicians, customers) = await scheduler.SeedAsync(
            Enumerable.Range(1, Technicians).Select(i => new NewTechnician(
                $"Technician {i:00}", $"tech{i:00}@joecash.test", zone, FederalState.HE, WeeklyHours.Parse("Mon-Fri 08:00-17:00").Value, allTypes, DailyCap: null)),
            Customers);
        var booking = scheduler.Get<BookingService>();
        var clock = scheduler.Get<IClock>();
        Console.WriteLine($"PostgreSQL booking load: database {name}; {Technicians} technicians, {Customers} shops; {rounds} rounds x {operations} operations per kind and client count");
        Console.WriteLine($"  {Environment.ProcessorCount} cores, load average before: {Machine.LoadAverage()}");

        var year = 2027;
        var table = new List<string>();
        var allMet = true;
        foreach (var clients in new[] { 1, 16 })
        {
            // Each client walks its own technicians (index % clients == client) over its own years, one walk per kind.
            var bookWalks = Walks(new LocalDate(year, 1, 4), clients, zone, holidays, type);
            var insertWalks = Walks(new LocalDate(year + 3, 1, 4), clients, zone, holidays, type);
            year += 6;
            var counters = new int[clients];

            Task<BookingOutcome?> Book(int client, int i)
            {
                var (start, technician) = Next(bookWalks[client]);
                return booking.BookAsync(new BookingRequest(
                    TempScheduler.CustomerNumber(Shop(client, i, clients)), TypeKey, technicians[technician].Id.ToString(CultureInfo.InvariantCulture), start,
                    "Bondrucker druckt keine Belege.", false, "bench"))!;
            }

            async Task<BookingOutcome?> Insert(int client, int i)
            {
                var (start, technician) = Next(insertWalks[client]);
                var customer = customers[Shop(client, i, clients)];
                var time = new Interval(start, start + type.Duration);
                var now = clock.GetCurrentInstant();
                var appointment = new Appointment(
                    0, $"{RandomNumberGenerator.GetHexString(32, lowercase: true)}@scheduler.joecash.test", technicians[technician].Id, customer.Id, type.Key,
                    time, new Interval(time.Start - type.BufferBefore, time.End + type.BufferAfter), AppointmentStatus.Booked, ResponseStatus.NeedsAction,
                    0, customer.RustDeskId?.Value, "Bondrucker druckt keine Belege.", false, "bench", now, now, 1);
                await using var connection = await scheduler.Database.OpenAsync();
                await using var transaction = await connection.BeginTransactionAsync();
                await connection.InsertAppointmentAsync(appointment, transaction);
                await transaction.CommitAsync();
                return null;
            }

            await RoundAsync(clients, Math.Max(clients * 10, operations / 10), Book, counters);
            await RoundAsync(clients, Math.Max(clients * 10, operations / 10), Insert, counters);
            var bookRates = new List<double>();
            var insertRates = new List<double>();
            var bookP50 = new List<double>();
            var insertP50 = new List<double>();
            for (var round = 1; round <= rounds; round++)
            {
                var (bookRate, bookMedian) = await RoundAsync(clients, operations, Book, counters);
                var (insertRate, insertMedian) = await RoundAsync(clients, operations, Insert, counters);
                bookRates.Add(bookRate);
                insertRates.Add(insertRate);
                bookP50.Add(bookMedian);
                insertP50.Add(insertMedian);
                Console.WriteLine($"  {clients,2} client(s), round {round}: booking {bookRate,8:N0}/s (p50 {bookMedian:0.000} ms)   plain INSERT {insertRate,8:N0}/s (p50 {insertMedian:0.000} ms)");
            }

            var ratio = Stats.Median(bookRates) / Stats.Median(insertRates);
            var met = ratio >= TargetRatio;
            allMet &= met;
            table.Add($"| {clients,7} | {Stats.Median(bookRates),14:N0} | {Stats.Median(insertRates),18:N0} | {ratio,5:P0} | {(met ? "met" : "MISSED"),6} | "
                + $"{Stats.Median(bookP50),8:0.000} | {Stats.Median(insertP50),8:0.000} |");
        }

        Console.WriteLine($"  load average after: {Machine.LoadAverage()}");
        Console.WriteLine();
        Console.WriteLine($"| clients | booking ops/s | plain INSERT ops/s | ratio | target >= {TargetRatio:P0} | booking p50 ms | INSERT p50 ms |");
        Console.WriteLine("| ------: | -------------: | -----------------: | ----: | -----: | -------: | -------: |");
        table.ForEach(Console.WriteLine);
        return allMet ? 0 : 1;
    }

    /// <summary>A shop of its own for every client (disjoint sets), a different one for each operation.</summary>
    private static int Shop(int client, int i, int clients) => client + (clients * (i % (Customers / clients)));

    private static IEnumerator<(Instant, int)>[] Walks(LocalDate from, int clients, DateTimeZone zone, IHolidayCalendar holidays, AppointmentType type) =>
        [.. Enumerable.Range(0, clients).Select(c => BookingLoad.Walk(from, zone, holidays, type, Technicians).Where(w => w.Technician % clients == c).GetEnumerator())];

    private static (Instant Start, int Technician) Next(IEnumerator<(Instant, int)> walk) =>
        walk.MoveNext() ? walk.Current : throw new InvalidOperationException("The walk ended.");

    /// <summary>
    /// <paramref name="operations"/> in all, split over <paramref name="clients"/> concurrent clients; the rate over the wall
    /// time, and the median operation's time (steadier than the rate when other work shares the machine in bursts).
    /// </summary>
    private static async Task<(double Rate, double P50Ms)> RoundAsync(int clients, int operations, Func<int, int, Task<BookingOutcome?>> run, int[] counters)
    {
        var latencies = new double[operations / clients * clients];
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            for (var i = 0; i < operations / clients; i++)
            {
                var begun = Stopwatch.GetTimestamp();
                var outcome = await run(client, counters[client]++);
                latencies[(client * (operations / clients)) + i] = Stopwatch.GetElapsedTime(begun).TotalMilliseconds;
                if (outcome is { Succeeded: false })
                {
                    throw new InvalidOperationException($"A booking was refused, and every booking must get a free slot: {outcome.Refusal!.Message}");
                }
            }
        })));
        var rate = operations / clients * clients / Stopwatch.GetElapsedTime(started).TotalSeconds;
        return (rate, Stats.Median(latencies));
    }

}
