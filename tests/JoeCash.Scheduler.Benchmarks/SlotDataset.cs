using JoeCash.Scheduler.Booking;
using JoeCash.Scheduler.Configuration;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Domain.Availability;
using JoeCash.Scheduler.Technicians;
using NodaTime;

namespace JoeCash.Scheduler.Benchmarks;

/// <summary>
/// The data of the slot-search benchmarks: 20 technicians with varied hours, federal states and types,
/// 600 shops, and 5,000 booked appointments spread over 15 weeks around the 14-day search window,
/// written through the production insert (so the schema's overlap triggers vouch for them) into a real file.
/// </summary>
/// <remarks>
/// Deterministic: a fixed seed walks every technician's working days on the 15-minute grid and books
/// at random starts, never overlapping the technician's previous appointment (buffers included) nor the
/// shop's. Generated on a denser-than-needed walk, then thinned at random to exactly 5,000. No time off
/// and no daily caps, so the naive per-slot query needs nothing but the overlap check to agree with the engine.
/// </remarks>
public sealed class SlotDataset : IAsyncDisposable
{
    public const int TechnicianCount = 20;
    public const int CustomerCount = 600;
    public const int AppointmentCount = 5_000;
    public const string SearchType = "fault";
    private const int Seed = 20270215;

    /// <summary>Monday 15 February 2027 to Monday 1 March 2027, local midnights in Berlin: 14 days, 10 working days.</summary>
    private static readonly LocalDate WindowStart = new(2027, 2, 15);
    private static readonly LocalDate SpanStart = new(2027, 1, 4);
    private static readonly LocalDate SpanEnd = new(2027, 4, 19);

    private static readonly string[] Hours =
    [
        "Mon-Fri 08:00-17:00",
        "Mon-Fri 09:00-18:00",
        "Mon-Fri 08:00-12:00,13:00-17:00",
        "Mon-Thu 08:00-16:00; Fri 08:00-13:00",
        "Mon-Fri 07:30-16:30",
        "Tue-Sat 09:00-18:00",
    ];

    private static readonly FederalState[] States =
    [
        FederalState.BY, FederalState.BE, FederalState.NW, FederalState.SN, FederalState.BW,
        FederalState.HE, FederalState.HH, FederalState.NI, FederalState.TH, FederalState.RP,
    ];

    private SlotDataset(TempScheduler scheduler, IReadOnlyList<Technician> technicians, IReadOnlyList<Appointment> appointments, Interval window)
    {
        Scheduler = scheduler;
        Technicians = technicians;
        Appointments = appointments;
        Window = window;
    }

    public TempScheduler Scheduler { get; }

    public IReadOnlyList<Technician> Technicians { get; }

    /// <summary>The appointments as stored, with their ids.</summary>
    public IReadOnlyList<Appointment> Appointments { get; }

    /// <summary>The 14-day search range.</summary>
    public Interval Window { get; }

    public static async Task<SlotDataset> CreateAsync()
    {
        var scheduler = await TempScheduler.CreateAsync();
        try
        {
            var options = scheduler.Get<Availability>().Options;
            var zone = options.Zone;
            var typeKeys = scheduler.Get<AppointmentTypeCatalog>().All.Select(t => t.Key).ToArray();
            var newTechnicians = Enumerable.Range(0, TechnicianCount).Select(i => new NewTechnician(
                $"Technician {i + 1:00}",
                $"tech{i + 1:00}@joecash.test",
                zone,
                States[i % States.Length],
                WeeklyHours.Parse(Hours[i % Hours.Length]).Value,
                // Everyone takes the searched type; some don't do training or third-party hardware.
                i % 5 == 4 ? [.. typeKeys.Where(k => k != "training")] : i % 7 == 6 ? ["fault", "pricelist"] : typeKeys,
                DailyCap: null));
            var (technicians, customers) = await scheduler.SeedAsync(newTechnicians, CustomerCount);

            var generated = Generate(scheduler, technicians, customers);
            var stored = new List<Appointment>(generated.Count);
            await using (var connection = await scheduler.Database.OpenAsync())
            {
                await using var writing = await Storage.Database.BeginWriteAsync(connection).ConfigureAwait(false);
                var transaction = writing.Transaction;
                foreach (var appointment in generated)
                {
                    var id = await connection.InsertAppointmentAsync(appointment, transaction);
                    stored.Add(appointment with { Id = id });
                }

                await transaction.CommitAsync();
            }

            var window = new Interval(
                zone.AtStartOfDay(WindowStart).ToInstant(),
                zone.AtStartOfDay(WindowStart.PlusDays(14)).ToInstant());
            return new SlotDataset(scheduler, technicians, stored, window);
        }
        catch
        {
            await scheduler.DisposeAsync();
            throw;
        }
    }

    /// <summary>What the engine gets when the data is already in memory: one schedule per technician who takes the type.</summary>
    public IReadOnlyList<TechnicianSchedule> SchedulesInMemory(string typeKey)
    {
        var holidays = Scheduler.Get<IHolidayCalendar>();
        var byTechnician = Appointments.Select(a => a.AsBookedTime()).ToLookup(a => a.TechnicianId);
        return [.. Technicians
            .Where(t => t.Active && t.Takes(typeKey))
            .Select(t => new TechnicianSchedule(t, holidays, byTechnician[t.Id], []))];
    }

    public ValueTask DisposeAsync() => Scheduler.DisposeAsync();

    private static List<Appointment> Generate(TempScheduler scheduler, IReadOnlyList<Technician> technicians, IReadOnlyList<Customer> customers)
    {
        var random = new Random(Seed);
        var holidays = scheduler.Get<IHolidayCalendar>();
        var catalog = scheduler.Get<AppointmentTypeCatalog>();
        var now = scheduler.Get<IClock>().GetCurrentInstant();
        var shopBusy = customers.ToDictionary(c => c.Id, _ => new List<Interval>());
        var all = new List<Appointment>();
        foreach (var technician in technicians)
        {
            var types = catalog.All.Where(t => technician.Takes(t.Key)).ToArray();
            var zone = technician.Zone;
            var freeFrom = Instant.MinValue;
            for (var date = SpanStart; date < SpanEnd; date = date.PlusDays(1))
            {
                if (holidays.IsHoliday(technician.State, date))
                {
                    continue;
                }

                foreach (var window in technician.Hours.On(date.DayOfWeek))
                {
                    var windowEnd = zone.AtStrictly(date.At(window.End)).ToInstant();
                    for (var start = zone.AtStrictly(date.At(window.Start)).ToInstant(); start < windowEnd; start += Duration.FromMinutes(15))
                    {
                        // About one start in four is taken when free: some four to five appointments a day, with gaps.
                        if (random.NextDouble() >= 0.25)
                        {
                            continue;
                        }

                        var type = types[random.Next(types.Length)];
                        var time = new Interval(start, start + type.Duration);
                        var blocked = new Interval(start - type.BufferBefore, time.End + type.BufferAfter);
                        if (blocked.Start < freeFrom || time.End > windowEnd)
                        {
                            continue;
                        }

                        var customer = PickCustomer(random, customers, shopBusy, time);
                        shopBusy[customer.Id].Add(time);
                        freeFrom = blocked.End;
                        all.Add(new Appointment(
                            0, $"bench-{all.Count}@scheduler.joecash.test", technician.Id, customer.Id, type.Key, time, blocked,
                            AppointmentStatus.Booked, ResponseStatus.NeedsAction, 0, customer.RustDeskId?.Value, null,
                            type.Billable, "bench", now, now, 1));
                    }
                }
            }
        }

        if (all.Count < AppointmentCount)
        {
            throw new InvalidOperationException($"The generator made only {all.Count} appointments; it must make at least {AppointmentCount}.");
        }

        // Thin at random to exactly the wanted number; dropping appointments never makes two overlap.
        random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(all));
        return [.. all.Take(AppointmentCount).OrderBy(a => a.Start).ThenBy(a => a.TechnicianId)];
    }

    private static Customer PickCustomer(Random random, IReadOnlyList<Customer> customers, Dictionary<long, List<Interval>> shopBusy, Interval time)
    {
        // A shop's till hosts one session at a time (the schema's shop_overlap trigger).
        while (true)
        {
            var customer = customers[random.Next(customers.Count)];
            if (!shopBusy[customer.Id].Any(b => b.Start < time.End && time.Start < b.End))
            {
                return customer;
            }
        }
    }
}
