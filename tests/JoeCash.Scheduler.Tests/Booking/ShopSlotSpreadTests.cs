using JoeCash.Scheduler.Booking;
using JoeCash.Scheduler.Domain.Availability;
using NodaTime;
using NodaTime.Text;

namespace JoeCash.Scheduler.Tests.Booking;

/// <summary>
/// Issue 15: the shop's page offers the best few times of each day, none overlapping, in rank order, instead of every
/// quarter hour of the first two mornings.
/// </summary>
public sealed class ShopSlotSpreadTests
{
    private static readonly DateTimeZone Berlin = DateTimeZoneProviders.Tzdb["Europe/Berlin"];

    [Fact]
    public void Spread_KeepsRankOrder_AtMostPerDay_NoneOverlapping()
    {
        // Ranked as a shop opening at 11:00 would see them: Tuesday's and Wednesday's mornings, then an open time.
        string[] ranked =
        [
            "2026-12-08T08:00", "2026-12-08T08:15", "2026-12-08T08:30", "2026-12-08T08:45", "2026-12-08T09:00", "2026-12-08T09:15",
            "2026-12-08T10:00", "2026-12-08T10:15", "2026-12-09T08:00", "2026-12-09T08:30", "2026-12-09T09:30", "2026-12-08T11:00",
        ];

        var spread = ShopSlotRanking.Spread([.. ranked.Select(Slot)], Berlin, perDay: 3);

        Assert.Equal(
            ["2026-12-08T08:00", "2026-12-08T09:00", "2026-12-08T10:00", "2026-12-09T08:00", "2026-12-09T09:30"],
            spread.Select(s => LocalDateTimePattern.GeneralIso.Format(s.Slot.Start.InZone(Berlin).LocalDateTime)[..16]));
    }

    [Fact]
    public void Spread_OfOnePerDay_IsEachDaysBest()
    {
        string[] ranked = ["2026-12-09T08:00", "2026-12-08T08:00", "2026-12-09T10:00", "2026-12-08T12:00"];

        var spread = ShopSlotRanking.Spread([.. ranked.Select(Slot)], Berlin, perDay: 1);

        Assert.Equal([Slot(ranked[0]).Slot, Slot(ranked[1]).Slot], spread.Select(s => s.Slot));
    }

    private static RankedSlot Slot(string local)
    {
        var start = LocalDateTimePattern.GeneralIso.Parse(local + ":00").Value.InZoneStrictly(Berlin).ToInstant();
        return new RankedSlot(new Slot(start, start + Duration.FromHours(1), 1), ShopHoursFit.Closed, 0, "vor Öffnung");
    }
}
