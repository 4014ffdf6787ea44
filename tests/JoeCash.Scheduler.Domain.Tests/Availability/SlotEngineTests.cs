using System.Globalization;
using JoeCash.Scheduler.Domain.Availability;
using NodaTime;
using NodaTime.Testing;
using static JoeCash.Scheduler.Domain.Tests.TestData;

namespace JoeCash.Scheduler.Domain.Tests.Availability;

public sealed class SlotEngineTests
{
    // Monday 2026-12-07; "now" a week earlier unless a test says otherwise.
    private static readonly Instant LastWeek = Local("2026-11-30T09:00");

    private static List<string> LocalStarts(IEnumerable<Slot> slots, DateTimeZone? zone = null) =>
        [.. slots.Select(s => s.Start.InZone(zone ?? Berlin).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture))];

    [Fact]
    public void FindSlots_OfficeHours_OffersEveryQuarterHourThatFitsTheDay()
    {
        var slots = SlotEngine.FindSlots(Query(Fault, "2026-12-07", 1, LastWeek), [Schedule(Technician())]);

        var starts = LocalStarts(slots);
        Assert.Equal(33, starts.Count); // 08:00 .. 16:00
        Assert.Equal("2026-12-07 08:00", starts[0]);
        Assert.Equal("2026-12-07 16:00", starts[^1]);
        Assert.All(slots, s => Assert.Equal(Duration.FromHours(1), s.End - s.Start));
    }

    [Theory]
    [InlineData("Mon-Fri 08:00-12:00,13:00-17:00", 26, "2026-12-07 11:00", "2026-12-07 12:00")] // lunch break: 11:00 ok, 11:15..12:45 not
    [InlineData("Mon-Fri 08:10-09:20", 1, "2026-12-07 08:15", "2026-12-07 08:30")] // starts round up to the grid
    [InlineData("Tue-Fri 08:00-17:00", 0, null, null)] // not a working day
    public void FindSlots_WorkingHours_FollowTheWeeklyPattern(string hours, int expected, string? present, string? absent)
    {
        var slots = SlotEngine.FindSlots(Query(Fault, "2026-12-07", 1, LastWeek), [Schedule(Technician(hours: hours))]);

        var starts = LocalStarts(slots);
        Assert.Equal(expected, starts.Count);
        if (present is not null)
        {
            Assert.Contains(present, starts);
        }

        if (absent is not null)
        {
            Assert.DoesNotContain(absent, starts);
        }
    }

    [Fact]
    public void FindSlots_ExistingAppointment_KeepsBothBuffersClear()
    {
        // Booked fault 10:00-11:00 blocks 10:00-11:15 (15 min after). A price list needs 15 min before and after.
        var booked = Booked(1, 1, Local("2026-12-07T10:00"), Fault);
        var slots = SlotEngine.FindSlots(Query(PriceList, "2026-12-07", 1, LastWeek), [Schedule(Technician(), booked: [booked])]);

        var starts = LocalStarts(slots);
        Assert.Contains("2026-12-07 08:15", starts);      // block 08:00-10:00 ends where the booking starts
        Assert.DoesNotContain("2026-12-07 08:30", starts); // block would run to 10:15
        Assert.DoesNotContain("2026-12-07 11:15", starts); // its buffer before would overlap 11:00-11:15
        Assert.Contains("2026-12-07 11:30", starts);
    }

    [Theory]
    [InlineData("2026-12-07T09:10", 2, "2026-12-07 11:15")]
    [InlineData("2026-12-07T09:10", 0, "2026-12-07 09:15")]
    [InlineData("2026-12-07T15:30", 2, null)] // nothing left today
    public void FindSlots_MinimumNotice_NothingBeforeNowPlusNotice(string now, int noticeHours, string? first)
    {
        var clock = new FakeClock(Local(now));
        var slots = SlotEngine.FindSlots(Query(Fault, "2026-12-07", 1, clock.GetCurrentInstant(), noticeHours), [Schedule(Technician())]);

        Assert.Equal(first, LocalStarts(slots).FirstOrDefault());
    }

    [Fact]
    public void FindSlots_DailyCapReached_SkipsTheWholeDay()
    {
        var booked = Booked(1, 1, Local("2026-12-07T08:00"), Fault);
        var technician = Technician(cap: 1);

        var slots = SlotEngine.FindSlots(Query(Fault, "2026-12-07", 2, LastWeek), [Schedule(technician, booked: [booked])]);

        Assert.All(LocalStarts(slots), s => Assert.StartsWith("2026-12-08", s, StringComparison.Ordinal));
        Assert.NotEmpty(slots);
    }

    [Fact]
    public void FindSlots_TimeOff_NothingOverlapsIt()
    {
        var off = new Interval(Local("2026-12-07T12:00"), Local("2026-12-07T14:00"));
        var slots = SlotEngine.FindSlots(Query(Fault, "2026-12-07", 1, LastWeek), [Schedule(Technician(), timeOff: [off])]);

        var starts = LocalStarts(slots);
        Assert.Contains("2026-12-07 10:45", starts); // block 10:45-12:00 touches, does not overlap
        Assert.DoesNotContain("2026-12-07 11:00", starts); // fault's 15-min buffer after would reach 12:15
        Assert.DoesNotContain("2026-12-07 13:45", starts);
        Assert.Contains("2026-12-07 14:00", starts);
    }

    [Fact]
    public void FindSlots_Holiday_SkipsTheDayOnlyInThatState()
    {
        var holidays = new FixedHolidays(FederalState.BY, new LocalDate(2026, 12, 7));
        var bavarian = Technician(id: 1, state: FederalState.BY);
        var berliner = Technician(id: 2, state: FederalState.BE);

        var slots = SlotEngine.FindSlots(Query(Fault, "2026-12-07", 1, LastWeek), [Schedule(bavarian, holidays), Schedule(berliner, holidays)]);

        Assert.NotEmpty(slots);
        Assert.All(slots, s => Assert.Equal(2, s.TechnicianId));
    }

    [Fact]
    public void FindSlots_TypeNotTakenOrInactive_OffersNothing()
    {
        var noPriceLists = Technician(id: 1, types: ["fault"]);
        var inactive = Technician(id: 2, active: false);

        Assert.Empty(SlotEngine.FindSlots(Query(PriceList, "2026-12-07", 1, LastWeek), [Schedule(noPriceLists)]));
        Assert.Empty(SlotEngine.FindSlots(Query(Fault, "2026-12-07", 1, LastWeek), [Schedule(inactive)]));
    }

    [Fact]
    public void FindSlots_AnyTechnician_LeastBookedComesFirstAtEachStart()
    {
        var busy = Technician(id: 1);
        var idle = Technician(id: 2);
        // Within a day of every start on the 7th (the load window, SlotEngine.LoadReach).
        var bookings = new[] { Booked(1, 1, Local("2026-12-07T14:00"), Fault), Booked(2, 1, Local("2026-12-07T15:30"), Fault) };

        var slots = SlotEngine.FindSlots(Query(Fault, "2026-12-07", 1, LastWeek), [Schedule(busy, booked: bookings), Schedule(idle)]);

        var atNine = slots.Where(s => s.Start == Local("2026-12-07T09:00")).Select(s => s.TechnicianId).ToArray();
        Assert.Equal([2L, 1L], atNine);
        Assert.Equal(2, slots[0].TechnicianId);
        Assert.True(slots.Zip(slots.Skip(1)).All(p => p.First.Start <= p.Second.Start), "slots are ordered by start");
    }

    [Fact]
    public void FindSlots_ShopAlreadyBooked_LeavesThoseTimesOut()
    {
        var shopBusy = new[] { new Interval(Local("2026-12-07T10:00"), Local("2026-12-07T11:00")) };
        var query = Query(Fault, "2026-12-07", 1, LastWeek) with { ShopBusy = shopBusy };

        var starts = LocalStarts(SlotEngine.FindSlots(query, [Schedule(Technician())]));

        Assert.Contains("2026-12-07 09:00", starts);
        Assert.DoesNotContain("2026-12-07 09:15", starts);
        Assert.DoesNotContain("2026-12-07 10:45", starts);
        Assert.Contains("2026-12-07 11:00", starts);
    }

    [Theory]
    [InlineData("Europe/London", "2026-12-07 09:00", "2026-12-07T09:00:00Z")]
    [InlineData("America/New_York", "2026-12-07 09:00", "2026-12-07T14:00:00Z")]
    [InlineData("Asia/Kolkata", "2026-12-07 09:00", "2026-12-07T03:30:00Z")] // half-hour offset: the grid follows local time
    public void FindSlots_TechnicianInAnotherZone_WorksTheirOwnLocalHours(string zoneId, string firstLocal, string firstUtc)
    {
        var zone = DateTimeZoneProviders.Tzdb[zoneId];
        var technician = Technician(hours: "Mon-Fri 09:00-17:00", zone: zone);

        var slots = SlotEngine.FindSlots(Query(Fault, "2026-12-07", 1, LastWeek, zone: zone), [Schedule(technician)]);

        Assert.Equal(firstLocal, LocalStarts(slots, zone)[0]);
        Assert.Equal(firstUtc, slots[0].Start.ToString());
        Assert.Equal(29, slots.Count); // 09:00 .. 16:00
    }

    [Fact]
    public void RankAt_LoadAroundTheStart_LeastBookedFirstAsFindSlotsShowsIt()
    {
        var busy = Technician(id: 1);
        var idle = Technician(id: 2);
        // Both of technician 1's appointments lie within a day of the start; one of technician 2's lies beyond it.
        var bookings = new[]
        {
            Booked(1, 1, Local("2026-12-07T13:00"), Fault),
            Booked(2, 1, Local("2026-12-08T08:00"), Fault),
            Booked(3, 2, Local("2026-12-07T15:00"), Fault),
            Booked(4, 2, Local("2026-12-09T08:00"), Fault),
        };
        var schedules = new[] { Schedule(busy, booked: bookings), Schedule(idle, booked: bookings) };
        var start = Local("2026-12-07T09:00");

        var ranked = SlotEngine.RankAt(schedules, start).Select(s => s.Technician.Id);
        var shown = SlotEngine.FindSlots(Query(Fault, "2026-12-07", 1, LastWeek), schedules).Where(s => s.Start == start).Select(s => s.TechnicianId);

        Assert.Equal([2L, 1L], ranked);
        Assert.Equal(ranked, shown);
    }

    [Fact]
    public void RankAt_FromCounts_SameOrderAsFromSchedules()
    {
        var technicians = new[] { Technician(id: 3), Technician(id: 1), Technician(id: 2) };
        var bookings = new[]
        {
            Booked(1, 1, Local("2026-12-07T13:00"), Fault),
            Booked(2, 3, Local("2026-12-08T08:00"), Fault),
            Booked(3, 3, Local("2026-12-07T15:00"), Fault),
        };
        var start = Local("2026-12-07T09:00");
        var schedules = technicians.Select(t => Schedule(t, booked: bookings)).ToArray();

        // Technician 2 has nothing booked and is missing from the counts: none.
        var fromCounts = SlotEngine.RankAt(technicians, new Dictionary<long, int> { [1] = 1, [3] = 2 }).Select(t => t.Id);

        Assert.Equal([2L, 1L, 3L], fromCounts);
        Assert.Equal(SlotEngine.RankAt(schedules, start).Select(s => s.Technician.Id), fromCounts);
    }
}
