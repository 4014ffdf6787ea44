using JoeCash.Scheduler.Domain.Availability;
using NodaTime;

namespace JoeCash.Scheduler.Domain.Tests;

/// <summary>Builders for the domain tests: technicians, types and appointments with readable defaults.</summary>
internal static class TestData
{
    public static readonly DateTimeZone Berlin = DateTimeZoneProviders.Tzdb["Europe/Berlin"];

    public static AppointmentType Fault { get; } = Type("fault", minutes: 60, before: 0, after: 15);

    public static AppointmentType PriceList { get; } = Type("pricelist", minutes: 90, before: 15, after: 15);

    public static AppointmentType Type(string key, int minutes, int before = 0, int after = 0, bool billable = false) =>
        new(key, key, key, Duration.FromMinutes(minutes), Duration.FromMinutes(before), Duration.FromMinutes(after), billable,
            billable ? "kostet extra" : null, billable ? "costs extra" : null);

    public static Technician Technician(
        long id = 1,
        string hours = "Mon-Fri 08:00-17:00",
        DateTimeZone? zone = null,
        FederalState state = FederalState.BY,
        int? cap = null,
        bool active = true,
        params string[] types) =>
        new(id, $"Tech {id}", $"tech{id}@joecash.test", zone ?? Berlin, state, WeeklyHours.Parse(hours).Value,
            (types.Length == 0 ? ["fault", "pricelist", "training"] : types).ToHashSet(), cap, active);

    public static Instant Local(string text, DateTimeZone? zone = null) =>
        WallClock.Parse(text, zone ?? Berlin, AmbiguityChoice.Earlier, "test").Value;

    public static Appointment Booked(long id, long technicianId, Instant start, AppointmentType type, long customerId = 100) =>
        new(id, $"uid-{id}", technicianId, customerId, type.Key,
            new Interval(start, start + type.Duration),
            new Interval(start - type.BufferBefore, start + type.Duration + type.BufferAfter),
            AppointmentStatus.Booked, ResponseStatus.NeedsAction, 0, null, null, false, "test", start, start, 1);

    public static TechnicianSchedule Schedule(Technician technician, IHolidayCalendar? holidays = null, IEnumerable<Appointment>? booked = null, IEnumerable<Interval>? timeOff = null) =>
        new(technician, holidays ?? NoHolidays.Instance, (booked ?? []).Select(a => a.AsBookedTime()), timeOff ?? []);

    public static SlotQuery Query(AppointmentType type, string fromDay, int days, Instant now, int noticeHours = 2, DateTimeZone? zone = null)
    {
        var z = zone ?? Berlin;
        var from = WallClock.ParseDate(fromDay, "test").Value;
        return new SlotQuery(type, new Interval(z.AtStartOfDay(from).ToInstant(), z.AtStartOfDay(from.PlusDays(days)).ToInstant()), now, Duration.FromHours(noticeHours));
    }

    /// <summary>A calendar with no holidays at all.</summary>
    internal sealed class NoHolidays : IHolidayCalendar
    {
        public static readonly NoHolidays Instance = new();

        public bool IsHoliday(FederalState state, LocalDate day) => false;

        public string? NameOf(FederalState state, LocalDate day) => null;
    }

    /// <summary>A calendar with the given holidays in the given state only.</summary>
    internal sealed class FixedHolidays(FederalState state, params LocalDate[] days) : IHolidayCalendar
    {
        public bool IsHoliday(FederalState s, LocalDate day) => s == state && days.Contains(day);

        public string? NameOf(FederalState s, LocalDate day) => IsHoliday(s, day) ? "Testfeiertag" : null;
    }
}
