using System.Diagnostics;
using JoeCash.Scheduler.Booking;
using JoeCash.Scheduler.Configuration;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Domain.Availability;
using JoeCash.Scheduler.Technicians;
using Microsoft.Data.Sqlite;
using NodaTime;

namespace JoeCash.Scheduler.Benchmarks;

/// <summary>
/// The data of the <c>scale</c> harness: two migrated files with the same 1,000 technicians (Europe/Berlin, varied
/// hours and federal states) and 20,000 shops. The small one holds 10,000 "current" appointments in the four weeks
/// around the measured 14-day window; the big one the same 10,000 plus 990,000 of history over the three years
/// before them (mostly past, about one in twelve cancelled), as a big vendor's file looks after a few years.
/// </summary>
/// <remarks>
/// Deterministic for a given window (fixed seeds). Written with one prepared insert reused in one transaction per
/// file, so the production schema's overlap triggers vouch that no technician and no shop is booked twice at once.
/// The window starts on the second Monday from today, so the slot search, the agenda and booking run on real,
/// future days with the service's own clock.
/// </remarks>
public sealed class ScaleDataset : IAsyncDisposable
{
    public const int TechnicianCount = 1_000;
    public const int ShopCount = 20_000;
    public const int CurrentCount = 10_000;
    public const int HistoryCount = 990_000;
    public const string SearchType = "fault";

    /// <summary>The first shops get a full page of current appointments each, so a shop's history shows the same page in both files.</summary>
    public const int BusyShops = 10;

    /// <summary>The last shops get no current appointment: booking measurements use them, whose tills are free.</summary>
    public const int FreeShops = 1_000;

    private const int CurrentSeed = 20261130;
    private const int HistorySeed = 19991231;
    private const int HistoryYears = 3;

    private static readonly string[] Hours =
    [
        "Mon-Fri 08:00-17:00",
        "Mon-Fri 09:00-18:00",
        "Mon-Fri 08:00-12:00,13:00-17:00",
        "Mon-Thu 08:00-16:00; Fri 08:00-13:00",
        "Mon-Fri 07:30-16:30",
        "Tue-Sat 09:00-18:00",
        "Mon-Wed 08:00-18:00",
        "Mon-Fri 12:00-20:00",
    ];

    private ScaleDataset(TempScheduler small, TempScheduler big, IReadOnlyList<Technician> technicians, Interval window, TimeSpan generation)
    {
        Small = small;
        Big = big;
        Technicians = technicians;
        Window = window;
        Generation = generation;
    }

    /// <summary>10,000 appointments.</summary>
    public TempScheduler Small { get; }

    /// <summary>1,000,000 appointments: the small file's plus the history.</summary>
    public TempScheduler Big { get; }

    public IReadOnlyList<Technician> Technicians { get; }

    /// <summary>The 14-day search window, local midnights in Berlin, starting on a Monday.</summary>
    public Interval Window { get; }

    /// <summary>How long both files took to write.</summary>
    public TimeSpan Generation { get; }

    /// <summary>Bump when the generator changes, so a cached pair made by an older one is not reused.</summary>
    private const string GeneratorVersion = "v3";

    /// <summary>
    /// Both files, generated, or copied from <paramref name="cacheFolder"/> when it holds a pair for the same window
    /// (and then brought up to date by the migrator, as an upgrade would); a generated pair is left there for the next run.
    /// </summary>
    public static async Task<ScaleDataset> CreateAsync(string? cacheFolder)
    {
        var started = Stopwatch.StartNew();
        TempScheduler? small = null;
        TempScheduler? big = null;
        try
        {
            small = await TempScheduler.CreateAsync();
            big = await TempScheduler.CreateAsync();
            var zone = small.Get<Availability>().Options.Zone;
            var typeKeys = small.Get<AppointmentTypeCatalog>().All.Select(t => t.Key).ToArray();
            var states = Enum.GetValues<FederalState>();
            var newTechnicians = Enumerable.Range(0, TechnicianCount).Select(i => new NewTechnician(
                $"Technician {i + 1:0000}",
                $"tech{i + 1:0000}@joecash.test",
                zone,
                states[i % states.Length],
                WeeklyHours.Parse(Hours[i % Hours.Length]).Value,
                // Everyone takes the searched type; some don't do training or third-party hardware.
                i % 5 == 4 ? [.. typeKeys.Where(k => k != "training")] : i % 7 == 6 ? ["fault", "pricelist"] : typeKeys,
                DailyCap: i % 10 == 9 ? 6 : null)).ToArray();
            var (technicians, customers) = await small.SeedAsync(newTechnicians, ShopCount);
            await big.SeedAsync(newTechnicians, ShopCount);
            Console.WriteLine($"  technicians and shops written twice: {started.Elapsed.TotalSeconds:0.0} s");

            var today = small.Get<IClock>().GetCurrentInstant().InZone(zone).Date;
            var windowStart = today.PlusDays(7).With(DateAdjusters.NextOrSame(IsoDayOfWeek.Monday));
            var currentFrom = windowStart.PlusDays(-7);
            var currentUntil = windowStart.PlusDays(21);
            var historyFrom = currentFrom.PlusYears(-HistoryYears);

            var window = new Interval(zone.AtStartOfDay(windowStart).ToInstant(), zone.AtStartOfDay(windowStart.PlusDays(14)).ToInstant());
            var cached = cacheFolder is null ? null : Path.Combine(cacheFolder, $"{windowStart:yyyy-MM-dd}-{GeneratorVersion}");
            if (cached is not null && File.Exists(Path.Combine(cached, "big.db")))
            {
                await RestoreAsync(small, Path.Combine(cached, "small.db"));
                await RestoreAsync(big, Path.Combine(cached, "big.db"));
                Console.WriteLine($"  both files copied from {cached} and migrated: {started.Elapsed.TotalSeconds:0.0} s");
                return new ScaleDataset(small, big, technicians, window, started.Elapsed);
            }

            var generator = new Generator(small, technicians, customers);
            var current = generator.Make(CurrentSeed, currentFrom, currentUntil, CurrentCount, cancelledShare: 0.05, busyShare: 0.03, "current");
            var history = generator.Make(HistorySeed, historyFrom, currentFrom, HistoryCount, cancelledShare: 0.08, busyShare: 0, "history");

            Console.WriteLine($"  appointments generated: {started.Elapsed.TotalSeconds:0.0} s");
            await InsertAsync(small, current);
            await InsertAsync(big, [.. history, .. current]);
            Console.WriteLine($"  appointments written: {started.Elapsed.TotalSeconds:0.0} s");
            var generation = started.Elapsed;
            if (cached is not null)
            {
                Directory.CreateDirectory(cached);
                SqliteConnection.ClearAllPools();
                File.Copy(small.Database.FilePath, Path.Combine(cached, "small.tmp"), overwrite: true);
                File.Copy(big.Database.FilePath, Path.Combine(cached, "big.tmp"), overwrite: true);
                File.Move(Path.Combine(cached, "small.tmp"), Path.Combine(cached, "small.db"), overwrite: true);
                File.Move(Path.Combine(cached, "big.tmp"), Path.Combine(cached, "big.db"), overwrite: true);
            }

            return new ScaleDataset(small, big, technicians, window, generation);
        }
        catch
        {
            if (small is not null)
            {
                await small.DisposeAsync();
            }

            if (big is not null)
            {
                await big.DisposeAsync();
            }

            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Small.DisposeAsync();
        await Big.DisposeAsync();
    }

    /// <summary>The cached file in place of the scheduler's own (no connection may be open), then the migrations it lacks.</summary>
    private static async Task RestoreAsync(TempScheduler scheduler, string cachedFile)
    {
        SqliteConnection.ClearAllPools();
        var path = scheduler.Database.FilePath;
        File.Delete(path + "-wal");
        File.Delete(path + "-shm");
        File.Copy(cachedFile, path, overwrite: true);
        await scheduler.Get<Storage.Migrator>().MigrateAsync();
    }

    /// <summary>One prepared insert, reused for every row, in one transaction; the rows in time order, as they were booked.</summary>
    private static async Task InsertAsync(TempScheduler scheduler, IReadOnlyList<Row> rows)
    {
        // Other connections of the pool would keep the file in WAL mode; the bulk write runs with a rollback
        // journal (which only records the few pages that existed before) and WAL is set again afterwards.
        SqliteConnection.ClearAllPools();
        await using (var connection = (SqliteConnection)await scheduler.Database.OpenAsync())
        {
            await using (var pragma = connection.CreateCommand())
            {
                pragma.CommandText = "PRAGMA journal_mode = DELETE; PRAGMA cache_size = -262144;";
                await pragma.ExecuteNonQueryAsync();
            }

            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = """
                INSERT INTO appointments (uid, technician_id, customer_id, type_key, starts_at, ends_at, blocked_from, blocked_until, status, response,
                                          sequence, rustdesk_id, notes, cost_acknowledged, booked_by, created_at, updated_at, version, responded_at, responded_by)
                VALUES ($uid, $technician, $customer, $type, $starts, $ends, $blockedFrom, $blockedUntil, $status, $response,
                        $sequence, $rustdesk, $notes, $cost, 'dispatch@joecash.test', $created, $updated, $version, $respondedAt, $respondedBy)
                """;
            var names = new[]
            {
                "$uid", "$technician", "$customer", "$type", "$starts", "$ends", "$blockedFrom", "$blockedUntil", "$status", "$response",
                "$sequence", "$rustdesk", "$notes", "$cost", "$created", "$updated", "$version", "$respondedAt", "$respondedBy",
            };
            var p = names.Select(n => insert.Parameters.Add(new SqliteParameter { ParameterName = n })).ToArray();
            insert.Prepare();
            foreach (var row in rows)
            {
                var cancelled = row.Cancelled;
                p[0].Value = row.Uid;
                p[1].Value = row.TechnicianId;
                p[2].Value = row.CustomerId;
                p[3].Value = row.Type;
                p[4].Value = row.Starts;
                p[5].Value = row.Ends;
                p[6].Value = row.BlockedFrom;
                p[7].Value = row.BlockedUntil;
                p[8].Value = cancelled ? "cancelled" : "booked";
                p[9].Value = row.Response;
                p[10].Value = cancelled ? 1 : 0;
                p[11].Value = row.RustDesk is null ? DBNull.Value : row.RustDesk;
                p[12].Value = row.Notes;
                p[13].Value = 0;
                p[14].Value = row.Created;
                p[15].Value = row.Created;
                p[16].Value = cancelled ? 2 : 1;
                p[17].Value = row.Response == "needs-action" ? DBNull.Value : row.Created + 3_600_000;
                p[18].Value = row.Response == "needs-action" ? DBNull.Value : row.RespondedBy;
                await insert.ExecuteNonQueryAsync();
            }

            await transaction.CommitAsync();
            await using (var pragma = connection.CreateCommand())
            {
                pragma.CommandText = "PRAGMA journal_mode = WAL;";
                await pragma.ExecuteNonQueryAsync();
            }
        }

        SqliteConnection.ClearAllPools();
    }

    /// <summary>One appointment as written: UTC milliseconds, as the schema stores them.</summary>
    private sealed record Row(
        string Uid, long TechnicianId, long CustomerId, string Type, long Starts, long Ends, long BlockedFrom, long BlockedUntil,
        bool Cancelled, string Response, string? RustDesk, string Notes, long Created, string RespondedBy);

    /// <summary>Walks every technician's working days on the 15-minute grid and books free starts at random, then thins to the wanted count.</summary>
    private sealed class Generator(TempScheduler scheduler, IReadOnlyList<Technician> technicians, IReadOnlyList<Customer> customers)
    {
        private readonly IHolidayCalendar _holidays = scheduler.Get<IHolidayCalendar>();
        private readonly AppointmentType[] _types = [.. scheduler.Get<AppointmentTypeCatalog>().All];

        /// <summary>Each shop's booked times so far (start, end): a till hosts one session at a time, across both sets.</summary>
        private readonly List<(long Start, long End)>[] _shopBusy = [.. customers.Select(_ => new List<(long, long)>())];

        private static readonly string[] Notes =
        [
            "Bondrucker druckt nicht", "Preisliste Frühjahr einspielen", "Kassenschublade öffnet nicht", "Neue Mitarbeiterin einweisen",
            "EC-Terminal anbinden", "Fehlermeldung beim Tagesabschluss", "Waage zeigt falsches Gewicht", "Kassenserver langsam",
        ];

        public List<Row> Make(int seed, LocalDate from, LocalDate until, int count, double cancelledShare, double busyShare, string prefix)
        {
            var random = new Random(seed);
            // Aim at ~30% more than wanted on the walk, then thin at random (dropping never makes two overlap).
            var positions = 0L;
            foreach (var technician in technicians)
            {
                for (var date = from; date < until; date = date.PlusDays(1))
                {
                    positions += technician.Hours.On(date.DayOfWeek).Sum(w => (w.EndMinuteOfDay - w.StartMinuteOfDay) / 15);
                }
            }

            // A start taken blocks about five more positions of the walk: rate = chance / (1 + 5 chance).
            var rate = 1.3 * count / positions;
            var chance = Math.Min(0.9, rate / (1 - (5 * rate)));
            var made = new List<Row>(count * 14 / 10);
            foreach (var technician in technicians)
            {
                var zone = technician.Zone;
                var types = _types.Where(t => technician.Takes(t.Key)).ToArray();
                var freeFrom = long.MinValue;
                for (var date = from; date < until; date = date.PlusDays(1))
                {
                    if (_holidays.IsHoliday(technician.State, date))
                    {
                        continue;
                    }

                    var onDay = 0;
                    foreach (var window in technician.Hours.On(date.DayOfWeek))
                    {
                        var windowEnd = zone.AtStrictly(window.EndOn(date)).ToInstant().ToUnixTimeMilliseconds();
                        var windowStart = zone.AtStrictly(date.At(window.Start)).ToInstant().ToUnixTimeMilliseconds();
                        for (var start = windowStart; start < windowEnd; start += 15 * 60_000)
                        {
                            if (random.NextDouble() >= chance || (technician.DailyCap is { } cap && onDay >= cap))
                            {
                                continue;
                            }

                            var type = types[random.Next(types.Length)];
                            var end = start + (long)type.Duration.TotalMilliseconds;
                            var blockedFrom = start - (long)type.BufferBefore.TotalMilliseconds;
                            var blockedUntil = end + (long)type.BufferAfter.TotalMilliseconds;
                            if (blockedFrom < freeFrom || end > windowEnd)
                            {
                                continue;
                            }

                            var shop = PickShop(random, start, end, busyShare);
                            if (shop < 0)
                            {
                                continue;
                            }

                            _shopBusy[shop].Add((start, end));
                            freeFrom = blockedUntil;
                            onDay++;
                            var customer = customers[shop];
                            var cancelled = random.NextDouble() < cancelledShare;
                            var answer = random.Next(20);
                            made.Add(new Row(
                                "", technician.Id, customer.Id, type.Key, start, end, blockedFrom, blockedUntil, cancelled,
                                answer < 14 ? "accepted" : answer < 15 ? "declined" : answer < 16 ? "tentative" : "needs-action",
                                customer.RustDeskId?.Value, Notes[random.Next(Notes.Length)], start - (random.Next(1, 28) * 86_400_000L), customer.Emails[0]));
                        }
                    }
                }
            }

            if (made.Count < count)
            {
                throw new InvalidOperationException($"The {prefix} walk made only {made.Count} appointments; it must make at least {count}.");
            }

            random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(made));
            var kept = made.Take(count).OrderBy(r => r.Starts).ThenBy(r => r.TechnicianId).ToList();
            for (var i = 0; i < kept.Count; i++)
            {
                kept[i] = kept[i] with { Uid = $"scale-{prefix}-{i:0000000}@scheduler.joecash.test" };
            }

            return kept;
        }

        /// <summary>A shop whose till is free then (a busy one with probability <paramref name="busyShare"/>), never one of the free ones; -1 if none was found.</summary>
        private int PickShop(Random random, long start, long end, double busyShare)
        {
            for (var attempt = 0; attempt < 20; attempt++)
            {
                // The history is spread over all but the free shops; the current set gives the busy ones a share of their own.
                var shop = busyShare == 0 ? random.Next(ShopCount - FreeShops)
                    : random.NextDouble() < busyShare ? random.Next(BusyShops) : random.Next(BusyShops, ShopCount - FreeShops);
                var busy = _shopBusy[shop];
                var clash = false;
                for (var i = busy.Count - 1; i >= 0; i--)
                {
                    if (busy[i].Start < end && start < busy[i].End)
                    {
                        clash = true;
                        break;
                    }
                }

                if (!clash)
                {
                    return shop;
                }
            }

            return -1;
        }
    }
}
