using System.Globalization;
using JoeCash.Scheduler.Domain.Availability;
using NodaTime;
using static JoeCash.Scheduler.Domain.Tests.TestData;

namespace JoeCash.Scheduler.Domain.Tests.Availability;

/// <summary>
/// The four Europe/Berlin changes of 2026 and 2027, with a technician who works through the night
/// (Sunday 00:00–06:00) so the gap and the overlap fall inside working hours.
/// </summary>
public sealed class SlotEngineDstTests
{
    private static readonly Technician NightShift = Technician(hours: "Sun 00:00-06:00");

    public static TheoryData<string, int, string, string> SpringForward => new()
    {
        // day, slots, last start before the gap, first start after it (local)
        { "2026-03-29", 17, "01:45", "03:00" },
        { "2027-03-28", 17, "01:45", "03:00" },
    };

    public static TheoryData<string, int> FallBack => new()
    {
        // 24 wall-clock starts 00:00–05:45, the four of 02:xx twice, minus 05:15–05:45 (they would end after 06:00).
        { "2026-10-25", 25 },
        { "2027-10-31", 25 },
    };

    [Theory]
    [MemberData(nameof(SpringForward))]
    public void FindSlots_SpringForward_NoSlotInsideTheGap(string day, int expected, string beforeGap, string afterGap)
    {
        var slots = SlotEngine.FindSlots(Query(Fault, day, 1, Local("2026-01-01T00:00")), [Schedule(NightShift)]);

        var local = slots.Select(s => s.Start.InZone(Berlin)).ToArray();
        Assert.Equal(expected, slots.Count);
        Assert.DoesNotContain(local, l => l.Hour == 2);
        Assert.Contains(local, l => l.ToString("HH:mm", CultureInfo.InvariantCulture) == beforeGap && l.Offset == Offset.FromHours(1));
        Assert.Contains(local, l => l.ToString("HH:mm", CultureInfo.InvariantCulture) == afterGap && l.Offset == Offset.FromHours(2));
        // Durations are elapsed time: 01:45 CET + 1 h ends at 03:45 CEST.
        var acrossTheGap = slots.Single(s => s.Start.InZone(Berlin).ToString("HH:mm", CultureInfo.InvariantCulture) == "01:45");
        Assert.Equal("03:45", acrossTheGap.End.InZone(Berlin).ToString("HH:mm", CultureInfo.InvariantCulture));
        // The last start still ends by 06:00 CEST.
        Assert.Equal("05:00", local[^1].ToString("HH:mm", CultureInfo.InvariantCulture));
    }

    [Theory]
    [MemberData(nameof(FallBack))]
    public void FindSlots_FallBack_RepeatedHourOfferedAtBothOccurrences(string day, int expected)
    {
        var slots = SlotEngine.FindSlots(Query(Fault, day, 1, Local("2026-01-01T00:00")), [Schedule(NightShift)]);

        var local = slots.Select(s => s.Start.InZone(Berlin)).ToArray();
        Assert.Equal(expected, slots.Count);
        Assert.Equal(local.Length, local.Select(l => l.ToInstant()).Distinct().Count());
        // The repeated hour is offered in summer time and again in winter time.
        var twoFifteen = local.Where(l => l.ToString("HH:mm", CultureInfo.InvariantCulture) == "02:15").Select(l => l.Offset).ToArray();
        Assert.Equal([Offset.FromHours(2), Offset.FromHours(1)], twoFifteen);
        // Every slot still ends by 06:00 CET.
        Assert.All(slots, s => Assert.True(s.End <= Local($"{day}T06:00"), $"{s} ends after the window"));
    }

    [Theory]
    [InlineData("2026-03-29T02:30", false)]
    [InlineData("2026-10-25T02:30", true)]
    public void Check_DstDay_StartsOnlyWhereTheWallClockExists(string local, bool exists)
    {
        var zone = Berlin;
        var mapping = zone.MapLocal(WallClock.ParseDate(local[..10], "t").Value.At(new LocalTime(2, 30)));

        Assert.Equal(exists, mapping.Count > 0);
        if (exists)
        {
            var schedule = Schedule(NightShift);
            var query = Query(Fault, local[..10], 1, Local("2026-01-01T00:00"));
            Assert.Null(SlotEngine.Check(query, schedule, mapping.First().ToInstant()));
            Assert.Null(SlotEngine.Check(query, schedule, mapping.Last().ToInstant())); // the second 02:30 is a real instant too
        }
    }
}
