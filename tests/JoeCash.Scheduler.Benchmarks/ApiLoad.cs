using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Dapper;
using JoeCash.Scheduler.Agenda;
using JoeCash.Scheduler.Booking;
using JoeCash.Scheduler.Configuration;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Domain.Availability;
using JoeCash.Scheduler.Mail;
using JoeCash.Scheduler.Staff;
using JoeCash.Scheduler.Technicians;
using NodaTime;
using NodaTime.Text;

namespace JoeCash.Scheduler.Benchmarks;

/// <summary>
/// The HTTP API under load: <c>clients</c> concurrent HTTP clients for <c>seconds</c> against a real <c>serve</c>
/// (the Release build), each request a technician's day (<c>GET /api/v1/appointments?technician=&amp;date=</c>) or a
/// booking of a distinct free slot (<c>POST /api/v1/appointments</c>, a named technician), three reads to one booking.
/// Beside it, in the same run and on the same file, the same mix with the same number of concurrent callers calling
/// <see cref="AgendaBuilder"/> and <see cref="BookingService"/> in-process (no HTTP, serve not running).
/// </summary>
/// <remarks>
/// Data: 20 technicians (Mon–Fri 08:00–17:00), 1,000 shops, and 10 working days in January 2035 filled densely
/// (one booking per technician and grid start: 140 a day) for the day reads. The in-process run books from January
/// 2027 on and the API run goes on where it stopped (one walk), so they never meet however fast either is: with a
/// year apart, a fast in-process run reached the API's first slots and the API's bookings were refused as taken. Afterwards the file is checked: no two booked
/// appointments of one technician overlap, and there are as many as the successful bookings.
/// </remarks>
public static class ApiLoad
{
    private const int Technicians = 20;
    private const int Customers = 1_000;
    private const string TypeKey = "fault";
    private const FederalState State = FederalState.HE;
    private const double DayReadP99TargetMs = 20;
    private const double BookingRatioTarget = 0.8;

    /// <summary>Runs both; <paramref name="warmupSeconds"/> (not measured, before each run) 0 means a tenth of the run, at least 3 s.</summary>
    public static async Task<int> RunAsync(int clients, int seconds, int port, IReadOnlyDictionary<string, string> serveEnvironment, int warmupSeconds = 0)
    {
        var warmup = TimeSpan.FromSeconds(warmupSeconds > 0 ? warmupSeconds : Math.Max(3, seconds / 10.0));
        await using var scheduler = await TempScheduler.CreateAsync(new Dictionary<string, string?> { ["Scheduler:BookingHorizon"] = "3650.00:00:00" });
        var zone = scheduler.Get<Availability>().Options.Zone;
        var holidays = scheduler.Get<IHolidayCalendar>();
        var type = scheduler.Get<AppointmentTypeCatalog>().Find(TypeKey).Value;
        var allTypes = scheduler.Get<AppointmentTypeCatalog>().All.Select(t => t.Key).ToArray();
        var (technicians, _) = await scheduler.SeedAsync(
            Enumerable.Range(1, Technicians).Select(i => new NewTechnician(
                $"Technician {i:00}", $"tech{i:00}@joecash.test", zone, State, WeeklyHours.Parse("Mon-Fri 08:00-17:00").Value, allTypes, DailyCap: null)),
            Customers);
        var booking = scheduler.Get<BookingService>();
        var readDays = await FillReadDaysAsync(booking, technicians, zone, holidays, type);
        var secret = await KeyAsync(scheduler);

        Console.WriteLine($"API load: SQLite file {scheduler.Database.FilePath}");
        Console.WriteLine($"  {Technicians} technicians, {Customers} shops, {readDays.Count} days of 140 appointments for the day reads; "
            + $"{clients} concurrent callers for {seconds} s per run after {warmup.TotalSeconds:0} s of warm-up, 3 day reads : 1 booking of a distinct slot ('{TypeKey}', named technician).");
        Console.WriteLine($"  {Environment.ProcessorCount} cores, load average before: {Machine.LoadAverage()}; commit {Repository.Commit()}");

        // In-process first (serve not running), the same calls the endpoints make, with the outbox dispatcher sending
        // the invitations the bookings queue into the pickup folder as serve does: both runs pay for their bookings' mail.
        // Each run starts with an empty outbox (the read days' invitations are sent before, untimed; so is what the
        // in-process run left queued), so neither sends the other's mail.
        var agenda = scheduler.Get<AgendaBuilder>();
        var walk = new SlotWalk(BookingLoad.Walk(new LocalDate(2027, 1, 4), zone, holidays, type, Technicians));
        await DrainOutboxAsync(scheduler);
        RunResult inProcess;
        using (var mail = new CancellationTokenSource())
        {
            var sending = SendMailAsync(scheduler, mail.Token);
            inProcess = await RunAsync("in-process", clients, seconds, warmup, readDays, technicians,
                async (technician, day) => (await agenda.BuildAsync(technicians[technician], day)).Entries.Count >= 0,
                async i =>
                {
                    var (start, technician) = walk.Next();
                    var outcome = await booking.BookAsync(new BookingRequest(
                        TempScheduler.CustomerNumber(i % Customers), TypeKey, technicians[technician].Id.ToString(CultureInfo.InvariantCulture), start, null, false, "bench"));
                    return outcome.Succeeded;
                });
            await mail.CancelAsync();
            await sending;
        }

        await DrainOutboxAsync(scheduler);
        var folder = Path.GetDirectoryName(scheduler.Database.FilePath)!;
        var environment = new Dictionary<string, string>(serveEnvironment)
        {
            ["JOECASH_Storage__Path"] = scheduler.Database.FilePath,
            ["JOECASH_Mail__PickupDirectory"] = Path.Combine(scheduler.Folder, "pickup"),
            ["JOECASH_Web__Urls"] = $"http://127.0.0.1:{port}",
            ["JOECASH_Scheduler__BookingHorizon"] = "3650.00:00:00",
            ["JOECASH_Logging__LogLevel__JoeCash.Scheduler.Web.Requests"] = "Warning",
            ["JOECASH_Logging__LogLevel__JoeCash.Scheduler.Booking"] = "Warning",
        };
        var (serve, _) = await ChildProcess.StartAsync(Repository.CliDll, ["serve"], folder, environment, "Web pages at");
        // For a profiler to attach to (perf record -p PID) while the API run goes.
        Console.WriteLine($"  serve PID {serve.Id}");
        RunResult overHttp;
        await using (serve)
        {
            using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = clients, PooledConnectionLifetime = TimeSpan.FromMinutes(10) };
            using var http = new HttpClient(handler) { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
            overHttp = await RunAsync("API", clients, seconds, warmup, readDays, technicians,
                async (technician, day) =>
                {
                    using var response = await http.GetAsync(new Uri(
                        $"/api/v1/appointments?technician={technicians[technician].Id}&date={LocalDatePattern.Iso.Format(day)}", UriKind.Relative));
                    await response.Content.ReadAsByteArrayAsync();
                    return response.StatusCode == HttpStatusCode.OK;
                },
                async i =>
                {
                    var (start, technician) = walk.Next();
                    using var response = await http.PostAsJsonAsync(new Uri("/api/v1/appointments", UriKind.Relative), new
                    {
                        customer = TempScheduler.CustomerNumber(i % Customers),
                        type = TypeKey,
                        technician = technicians[technician].Id.ToString(CultureInfo.InvariantCulture),
                        start = InstantPattern.ExtendedIso.Format(start), // a UTC instant, as /slots lists them
                    });
                    await response.Content.ReadAsByteArrayAsync();
                    return response.StatusCode == HttpStatusCode.Created;
                });
            await serve.StopAsync();
        }

        var overlaps = await VerifyAsync(scheduler, readDays.Count * 140 + inProcess.Bookings.Ok + inProcess.WarmupBookings + overHttp.Bookings.Ok + overHttp.WarmupBookings);
        Console.WriteLine($"  load average after: {Machine.LoadAverage()}");
        Console.WriteLine();
        Console.WriteLine($"| {clients} callers, {seconds} s | requests/s | day reads/s | day read p50 / p99 ms | bookings/s | booking p50 / p99 ms | errors |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var run in new[] { overHttp, inProcess })
        {
            Console.WriteLine($"| {run.Name} | {Stats.F0(run.PerSecond(run.Reads.Count + run.Bookings.Count))} | {Stats.F0(run.PerSecond(run.Reads.Count))} | "
                + $"{Stats.F2(run.Reads.P(0.5))} / {Stats.F2(run.Reads.P(0.99))} | {Stats.F0(run.PerSecond(run.Bookings.Count))} | "
                + $"{Stats.F2(run.Bookings.P(0.5))} / {Stats.F2(run.Bookings.P(0.99))} | {run.Reads.Errors + run.Bookings.Errors} |");
        }

        var ratio = overHttp.PerSecond(overHttp.Bookings.Ok) / inProcess.PerSecond(inProcess.Bookings.Ok);
        var readMet = overHttp.Reads.P(0.99) <= DayReadP99TargetMs;
        var ratioMet = ratio >= BookingRatioTarget;
        Console.WriteLine();
        Console.WriteLine($"  API day read p99 {Stats.F2(overHttp.Reads.P(0.99))} ms   target <= {DayReadP99TargetMs} ms: {(readMet ? "MET" : "MISSED")}");
        Console.WriteLine($"  API bookings / in-process bookings = {ratio:P0}   target >= {BookingRatioTarget:P0}: {(ratioMet ? "MET" : "MISSED")}");
        Console.WriteLine($"  double bookings (overlapping booked appointments of one technician): {overlaps}");
        return overlaps > 0 || overHttp.Reads.Errors + overHttp.Bookings.Errors > 0 ? 2 : readMet && ratioMet ? 0 : 1;
    }

    /// <summary>Sends what the outbox holds, as serve's dispatcher does: a pass when a booking rings, else every 50 ms.</summary>
    private static async Task SendMailAsync(TempScheduler scheduler, CancellationToken stop)
    {
        var dispatcher = scheduler.Get<OutboxDispatcher>();
        var signal = scheduler.Get<OutboxSignal>();
        try
        {
            while (!stop.IsCancellationRequested)
            {
                if ((await dispatcher.DispatchDueAsync(stop)).Claimed == 0)
                {
                    await signal.WaitAsync(TimeSpan.FromMilliseconds(50), stop);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The run is over; what is left is sent by DrainOutboxAsync, untimed.
        }
    }

    /// <summary>Sends everything the outbox holds, untimed, so the next run starts with none of it.</summary>
    private static async Task DrainOutboxAsync(TempScheduler scheduler)
    {
        var dispatcher = scheduler.Get<OutboxDispatcher>();
        while ((await dispatcher.DispatchDueAsync()).Claimed > 0)
        {
        }
    }

    /// <summary>Fills 10 working days of January 2035 (140 appointments each) for the day reads; returns the days.</summary>
    private static async Task<IReadOnlyList<LocalDate>> FillReadDaysAsync(
        BookingService booking, IReadOnlyList<Technician> technicians, DateTimeZone zone, IHolidayCalendar holidays, AppointmentType type)
    {
        var days = new List<LocalDate>();
        var i = 0;
        foreach (var (start, technician) in BookingLoad.Walk(new LocalDate(2035, 1, 8), zone, holidays, type, Technicians))
        {
            var day = start.InZone(zone).Date;
            if (!days.Contains(day))
            {
                if (days.Count == 10)
                {
                    break;
                }

                days.Add(day);
            }

            var outcome = await booking.BookAsync(new BookingRequest(
                TempScheduler.CustomerNumber(i++ % Customers), TypeKey, technicians[technician].Id.ToString(CultureInfo.InvariantCulture), start, null, false, "bench"));
            if (!outcome.Succeeded)
            {
                throw new InvalidOperationException($"Filling the read days: {outcome.Refusal!.Message}");
            }
        }

        return days;
    }

    private static async Task<string> KeyAsync(TempScheduler scheduler)
    {
        var created = await scheduler.Get<StaffService>().AddAsync(new StaffForm("bench@joecash.test", "Bench", "dispatcher", null, "bench password 12345"), "bench");
        if (!created.IsSuccess)
        {
            throw new InvalidOperationException(created.Error);
        }

        return (await scheduler.Get<ApiKeyService>().CreateAsync("bench@joecash.test", "bench", "bench")).Value.Secret;
    }

    /// <summary><paramref name="clients"/> callers for <paramref name="seconds"/>: every fourth call of each caller books, the others read a day.</summary>
    private static async Task<RunResult> RunAsync(
        string name, int clients, int seconds, TimeSpan warmup, IReadOnlyList<LocalDate> days, IReadOnlyList<Technician> technicians,
        Func<int, LocalDate, Task<bool>> read, Func<int, Task<bool>> book)
    {
        var reads = new Kind();
        var bookings = new Kind();
        var sequence = 0;
        var warmedUp = 0;
        var begun = Stopwatch.GetTimestamp();
        // A warm-up (JIT, connection pools, SQLite page cache), not measured.
        var end = warmup + TimeSpan.FromSeconds(seconds);
        await Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            for (var n = 0; Stopwatch.GetElapsedTime(begun) < end; n++)
            {
                var i = Interlocked.Increment(ref sequence);
                var booking = n % 4 == 3;
                var started = Stopwatch.GetTimestamp();
                bool ok;
                try
                {
                    ok = booking ? await book(i) : await read(i % technicians.Count, days[(i / technicians.Count) % days.Count]);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException)
                {
                    ok = false;
                }

                if (Stopwatch.GetElapsedTime(begun) < warmup)
                {
                    Interlocked.Add(ref warmedUp, booking && ok ? 1 : 0);
                }
                else
                {
                    (booking ? bookings : reads).Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds, ok);
                }
            }
        })));
        var result = new RunResult(name, (Stopwatch.GetElapsedTime(begun) - warmup).TotalSeconds, reads, bookings, warmedUp);
        Console.WriteLine($"  {name,-10}: {reads.Count} day reads ({reads.Errors} errors), {bookings.Count} bookings ({bookings.Errors} errors) in {result.Seconds:0.0} s");
        return result;
    }

    /// <summary>Overlapping booked appointments of one technician (0 expected), and the count of booked appointments.</summary>
    private static async Task<long> VerifyAsync(TempScheduler scheduler, long expected)
    {
        await using var connection = await scheduler.Database.OpenAsync();
        var overlaps = await connection.ExecuteScalarAsync<long>("""
            SELECT count(*) FROM appointments a JOIN appointments b
              ON a.technician_id = b.technician_id AND a.id < b.id AND a.status = 'booked' AND b.status = 'booked'
             AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at
            """);
        var booked = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM appointments WHERE status = 'booked'");
        Console.WriteLine($"  Verified: {booked} booked appointments in the file (expected {expected}), {overlaps} overlapping pairs.");
        return booked == expected ? overlaps : Math.Max(1, overlaps);
    }

    /// <summary>Hands out the walk's slots to concurrent callers, each once.</summary>
    private sealed class SlotWalk(IEnumerable<(Instant Start, int Technician)> walk)
    {
        private readonly IEnumerator<(Instant, int)> _walk = walk.GetEnumerator();

        public (Instant Start, int Technician) Next()
        {
            lock (_walk)
            {
                return _walk.MoveNext() ? _walk.Current : throw new InvalidOperationException("The walk ended.");
            }
        }
    }

    /// <summary>Latencies and errors of one kind of call.</summary>
    private sealed class Kind
    {
        private readonly ConcurrentBag<double> _latencies = [];
        private int _errors;

        public int Count => _latencies.Count;

        public int Errors => _errors;

        public int Ok => Count - Errors;

        public void Add(double ms, bool ok)
        {
            _latencies.Add(ms);
            if (!ok)
            {
                Interlocked.Increment(ref _errors);
            }
        }

        public double P(double p)
        {
            var sorted = _latencies.Order().ToArray();
            return sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
        }
    }

    private sealed record RunResult(string Name, double Seconds, Kind Reads, Kind Bookings, int WarmupBookings)
    {
        public double PerSecond(int count) => count / Seconds;
    }
}
