using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Domain.Availability;
using JoeCash.Scheduler.Holidays;
using NodaTime;

namespace JoeCash.Scheduler.Tests.Holidays;

public sealed class GermanHolidayCalendarTests
{
    private readonly GermanHolidayCalendar _calendar = new();

    [Theory]
    [InlineData("2026-01-06", FederalState.BY, true)]  // Heilige Drei Könige
    [InlineData("2026-01-06", FederalState.BE, false)]
    [InlineData("2026-03-08", FederalState.BE, true)]  // Internationaler Frauentag, Berlin only
    [InlineData("2026-03-08", FederalState.BY, false)]
    [InlineData("2026-06-04", FederalState.BY, true)]  // Fronleichnam
    [InlineData("2026-06-04", FederalState.BE, false)]
    [InlineData("2026-10-31", FederalState.SN, true)]  // Reformationstag
    [InlineData("2026-10-31", FederalState.NW, false)]
    [InlineData("2026-11-18", FederalState.SN, true)]  // Buß- und Bettag, Saxony only
    [InlineData("2026-12-25", FederalState.HH, true)]
    [InlineData("2027-03-26", FederalState.BE, true)]  // Karfreitag 2027: Easter arithmetic comes from the library
    [InlineData("2026-12-07", FederalState.BY, false)]
    public void IsHoliday_ByFederalState(string day, FederalState state, bool expected)
    {
        var date = WallClock.ParseDate(day, "day").Value;

        Assert.Equal(expected, _calendar.IsHoliday(state, date));
        Assert.Equal(expected, _calendar.NameOf(state, date) is not null);
    }

    [Fact]
    public void FindSlots_CorpusChristi_BavarianTechnicianOffBerlinerWorks()
    {
        var berlin = DateTimeZoneProviders.Tzdb["Europe/Berlin"];
        var hours = WeeklyHours.Parse("Mon-Fri 08:00-17:00").Value;
        var types = new HashSet<string> { "fault" };
        var bavarian = new Technician(1, "Anna", "anna@joecash.test", berlin, FederalState.BY, hours, types, null, true);
        var berliner = new Technician(2, "Jonas", "jonas@joecash.test", berlin, FederalState.BE, hours, types, null, true);
        var type = new AppointmentType("fault", "Störung", "Fault", Duration.FromHours(1), Duration.Zero, Duration.Zero, false, null, null);
        var day = new LocalDate(2026, 6, 4);
        var query = new SlotQuery(type, new Interval(berlin.AtStartOfDay(day).ToInstant(), berlin.AtStartOfDay(day.PlusDays(1)).ToInstant()),
            Instant.FromUtc(2026, 5, 1, 0, 0), Duration.FromHours(2));

        var slots = SlotEngine.FindSlots(query, [new TechnicianSchedule(bavarian, _calendar, [], []), new TechnicianSchedule(berliner, _calendar, [], [])]);
        var problem = SlotEngine.Check(query, new TechnicianSchedule(bavarian, _calendar, [], []), berlin.AtStrictly(day.At(new LocalTime(10, 0))).ToInstant());

        Assert.Equal(33, slots.Count);
        Assert.All(slots, s => Assert.Equal(2, s.TechnicianId));
        Assert.Equal(SlotRejection.Holiday, problem?.Reason);
        Assert.Contains("Fronleichnam", problem!.Message, StringComparison.Ordinal);
    }
}
