using JoeCash.Scheduler.Domain.Availability;
using NodaTime;
using static JoeCash.Scheduler.Domain.Tests.TestData;

namespace JoeCash.Scheduler.Domain.Tests.Availability;

/// <summary>
/// <see cref="SlotsPerStart.FirstRanked"/> answers what every face showed of <see cref="SlotsPerStart.All"/>: one slot per
/// start, the first-ranked one. Compared on random schedules (fixed seeds) across zones, clock changes, grids whose steps
/// meet a zone's offset oddly, loads, caps, time off and a busy shop.
/// </summary>
public sealed class SlotEngineFirstRankedTests
{
    private static readonly string[] Zones = ["Europe/Berlin", "Europe/London", "America/New_York", "Asia/Kolkata", "Asia/Kathmandu"];

    private static readonly string[] Hours =
        ["Mon-Fri 08:00-17:00", "Tue-Sat 09:00-18:00", "Mon-Fri 08:00-12:00,13:00-17:00", "Mon-Sun 00:00-24:00", "Mon 10:00-16:30; Wed 10:00-16:30; Sat 08:00-12:00"];

    [Theory]
    [InlineData(1, "2026-12-07", 14, 15)]
    [InlineData(2, "2026-10-22", 7, 15)] // Europe's clocks go back on the 25th, New York's on 1 November
    [InlineData(3, "2027-03-25", 7, 15)] // Europe's clocks go forward on the 28th
    [InlineData(4, "2026-12-07", 7, 20)] // a 20-minute grid: Kolkata's and Kathmandu's starts are off the epoch's 20-minute step
    [InlineData(5, "2026-12-07", 5, 30)]
    [InlineData(6, "2026-10-30", 5, 45)] // New York's clocks go back on 1 November
    public void FindSlots_FirstRanked_IsTheFirstSlotOfEachStartOfAll(int seed, string fromDay, int days, int grid)
    {
        var random = new Random(seed);
        var query = Query(Fault, fromDay, days, Local("2026-01-01T00:00")) with { GridMinutes = grid };
        var schedules = Enumerable.Range(1, 40).Select(id => RandomSchedule(random, id, query.Range)).ToArray();
        var shopBusy = Enumerable.Range(0, 3)
            .Select(_ => query.Range.Start + Duration.FromMinutes(random.Next(days * 24 * 4) * 15))
            .Select(start => new Interval(start, start + Duration.FromMinutes(90)))
            .ToArray();

        foreach (var q in new[] { query, query with { ShopBusy = shopBusy } })
        {
            var all = SlotEngine.FindSlots(q, schedules, SlotsPerStart.All);
            var first = SlotEngine.FindSlots(q, schedules, SlotsPerStart.FirstRanked);

            Assert.True(all.Count > first.Count, "several technicians share starts");
            Assert.Equal(all.DistinctBy(s => s.Start), first);
        }
    }

    [Fact]
    public void FindSlots_FirstRanked_LeastBookedThenLowerIdAtEachStart()
    {
        // Technician 3 is booked within a day of the 9:00 start, so the lower id without load wins; at 14:00 technician 2 is busy.
        var bookings = new[] { Booked(1, 3, Local("2026-12-07T16:00"), Fault), Booked(2, 2, Local("2026-12-07T14:00"), Fault) };
        var schedules = new[] { Schedule(Technician(id: 3), booked: bookings), Schedule(Technician(id: 2), booked: bookings) };

        var slots = SlotEngine.FindSlots(Query(Fault, "2026-12-07", 1, Local("2026-11-30T09:00")), schedules, SlotsPerStart.FirstRanked);

        Assert.Equal(slots.Count, slots.DistinctBy(s => s.Start).Count());
        Assert.Equal(2, slots.Single(s => s.Start == Local("2026-12-07T09:00")).TechnicianId);
        Assert.Equal(3, slots.Single(s => s.Start == Local("2026-12-07T14:00")).TechnicianId);
        Assert.Equal(Local("2026-12-07T10:00"), slots.Single(s => s.Start == Local("2026-12-07T09:00")).End);
    }

    private static TechnicianSchedule RandomSchedule(Random random, long id, Interval range)
    {
        var zone = DateTimeZoneProviders.Tzdb[Zones[random.Next(Zones.Length)]];
        var technician = Technician(id: id, hours: Hours[random.Next(Hours.Length)], zone: zone, cap: random.Next(5) == 0 ? 2 : null);
        var booked = new List<Appointment>();
        var taken = new List<Interval>();
        for (var i = 0; i < random.Next(12); i++)
        {
            var start = range.Start - Duration.FromDays(1) + Duration.FromMinutes(random.Next((int)(range.Duration.TotalMinutes / 15) + 192) * 15);
            var appointment = Booked((id * 100) + i, id, start, Fault);
            if (!taken.Exists(t => t.Start < appointment.Blocked.End && appointment.Blocked.Start < t.End))
            {
                taken.Add(appointment.Blocked);
                booked.Add(appointment);
            }
        }

        var off = random.Next(4) == 0
            ? [new Interval(range.Start + Duration.FromHours(random.Next(48)), range.Start + Duration.FromHours(random.Next(48, 96)))]
            : Array.Empty<Interval>();
        return Schedule(technician, booked: booked, timeOff: off);
    }
}
