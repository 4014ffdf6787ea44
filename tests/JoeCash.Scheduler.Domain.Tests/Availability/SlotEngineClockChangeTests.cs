using System.Globalization;
using JoeCash.Scheduler.Domain.Availability;
using NodaTime;
using static JoeCash.Scheduler.Domain.Tests.TestData;

namespace JoeCash.Scheduler.Domain.Tests.Availability;

/// <summary>
/// Every clock change of 2026–2028 in Europe/Berlin and in America/New_York (which changes on other
/// dates and at another hour), with a technician who works around the clock: the repeated hour is
/// offered twice (once per offset), the skipped hour never.
/// </summary>
public sealed class SlotEngineClockChangeTests
{
    public static TheoryData<string, string, int, string[], string[]> Days => new()
    {
        // zone, day, starts (one-hour type, 00:00–24:00: hours of the day × 4 − 3),
        // wall-clock starts that must not exist (the gap), wall-clock starts offered twice (the overlap)
        { "Europe/Berlin", "2026-03-29", 89, ["02:00", "02:15", "02:30", "02:45"], [] },
        { "Europe/Berlin", "2027-03-28", 89, ["02:00", "02:15", "02:30", "02:45"], [] },
        { "Europe/Berlin", "2028-03-26", 89, ["02:00", "02:15", "02:30", "02:45"], [] },
        { "Europe/Berlin", "2026-10-25", 97, [], ["02:00", "02:15", "02:30", "02:45"] },
        { "Europe/Berlin", "2027-10-31", 97, [], ["02:00", "02:15", "02:30", "02:45"] },
        { "Europe/Berlin", "2028-10-29", 97, [], ["02:00", "02:15", "02:30", "02:45"] },
        { "Europe/Berlin", "2027-10-30", 93, [], [] },
        { "America/New_York", "2026-03-08", 89, ["02:00", "02:15", "02:30", "02:45"], [] },
        { "America/New_York", "2027-03-14", 89, ["02:00", "02:15", "02:30", "02:45"], [] },
        { "America/New_York", "2028-03-12", 89, ["02:00", "02:15", "02:30", "02:45"], [] },
        { "America/New_York", "2026-11-01", 97, [], ["01:00", "01:15", "01:30", "01:45"] },
        { "America/New_York", "2027-11-07", 97, [], ["01:00", "01:15", "01:30", "01:45"] },
        { "America/New_York", "2028-11-05", 97, [], ["01:00", "01:15", "01:30", "01:45"] },
        { "America/New_York", "2027-10-31", 93, [], [] },
    };

    [Theory]
    [MemberData(nameof(Days))]
    public void FindSlots_ClockChangeDay_OverlapOfferedTwiceGapNever(string zoneId, string day, int expected, string[] gap, string[] twice)
    {
        var zone = DateTimeZoneProviders.Tzdb[zoneId];
        var technician = Technician(hours: "Mon-Sun 00:00-24:00", zone: zone);

        var slots = SlotEngine.FindSlots(Query(Fault, day, 1, Local("2026-01-01T00:00"), zone: zone), [Schedule(technician)]);

        var local = slots.Select(s => s.Start.InZone(zone)).ToArray();
        var clock = local.Select(l => l.ToString("HH:mm", CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(expected, slots.Count);
        Assert.Equal(slots.Count, slots.Select(s => s.Start).Distinct().Count());
        Assert.All(gap, g => Assert.DoesNotContain(g, clock));
        foreach (var time in twice)
        {
            var both = local.Where(l => l.ToString("HH:mm", CultureInfo.InvariantCulture) == time).ToArray();
            Assert.Equal(2, both.Length);
            Assert.Equal(Duration.FromHours(1), both[1].ToInstant() - both[0].ToInstant());
            Assert.True(both[0].Offset > both[1].Offset, $"{time}: the first is summer time, the second winter time");
        }

        // Every wall-clock time not in the overlap appears exactly once; all are on the grid.
        Assert.All(clock.GroupBy(c => c), g => Assert.Equal(twice.Contains(g.Key) ? 2 : 1, g.Count()));
        Assert.All(local, l => Assert.Equal(0, l.Minute % 15));
        Assert.Equal("00:00", clock[0]);
        Assert.Equal("23:00", clock[^1]);
    }

    [Fact]
    public void FindSlots_Issue8NightTechnician2028_96StartsIncludingTheSecondTwoOClockHour()
    {
        var technician = Technician(hours: "Mon-Sun 00:00-23:59");

        var slots = SlotEngine.FindSlots(Query(Fault, "2028-10-29", 1, Local("2026-01-01T00:00")), [Schedule(technician)]);

        Assert.Equal(96, slots.Count);
        var secondHour = slots.Where(s => s.Start >= Instant.FromUtc(2028, 10, 29, 1, 0) && s.Start <= Instant.FromUtc(2028, 10, 29, 1, 45)).ToArray();
        Assert.Equal(4, secondHour.Length);
        Assert.All(secondHour, s => Assert.Equal(Offset.FromHours(1), s.Start.InZone(Berlin).Offset));
    }

    [Fact]
    public void Check_SecondOccurrenceBusy_FirstStillFree()
    {
        var technician = Technician(hours: "Sun 00:00-06:00");
        var second = WallClock.Parse("2027-10-31T02:30", Berlin, AmbiguityChoice.Later, "t").Value;
        var first = WallClock.Parse("2027-10-31T02:30", Berlin, AmbiguityChoice.Earlier, "t").Value;
        var schedule = Schedule(technician, booked: [Booked(1, 1, second, Type("fault", 15))]);
        var query = Query(Type("fault", 15), "2027-10-31", 1, Local("2026-01-01T00:00"));

        Assert.Null(SlotEngine.Check(query, schedule, first));
        Assert.Equal(SlotRejection.TechnicianBusy, SlotEngine.Check(query, schedule, second)!.Reason);
        var slots = SlotEngine.FindSlots(query, [schedule]);
        Assert.Contains(slots, s => s.Start == first);
        Assert.DoesNotContain(slots, s => s.Start == second);
    }
}
