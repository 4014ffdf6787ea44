using JoeCash.Scheduler.Domain.Availability;
using NodaTime;
using NodaTime.Text;

namespace JoeCash.Scheduler.Domain.Tests.Availability;

/// <summary>
/// Issue 15: sessions against a shop's opening hours, each expectation worked out by hand. December 2026: the 7th is a
/// Monday. A bakery open from 06:00, a restaurant from 11:00 and closed on Mondays (the sample export's "Di-So"), and a
/// shop with a lunch break.
/// </summary>
public sealed class ShopHoursTests
{
    private static readonly DateTimeZone Berlin = DateTimeZoneProviders.Tzdb["Europe/Berlin"];
    private static readonly WeeklyHours Bakery = WeeklyHours.Parse("Mo-Fr 06:00-18:00; Sa 06:00-12:00").Value;
    private static readonly WeeklyHours Restaurant = WeeklyHours.Parse("Di-So 11:00-22:00").Value;
    private static readonly WeeklyHours LunchBreak = WeeklyHours.Parse("Mo-Fr 09:00-12:30,14:00-18:00").Value;

    public static TheoryData<string, string, int, ShopHoursFit, int, ClosedPart?> Cases => new()
    {
        // shop, local start, minutes → fit, minutes the open shop goes without its till, when closed
        { "bakery", "2026-12-07T05:00", 60, ShopHoursFit.Closed, 0, ClosedPart.BeforeOpening },
        { "bakery", "2026-12-07T05:30", 60, ShopHoursFit.PartlyOpen, 30, null },
        { "bakery", "2026-12-07T10:00", 60, ShopHoursFit.Open, 60, null },
        { "bakery", "2026-12-07T17:45", 60, ShopHoursFit.PartlyOpen, 15, null },
        { "bakery", "2026-12-07T18:00", 60, ShopHoursFit.Closed, 0, ClosedPart.AfterClosing },
        { "bakery", "2026-12-12T12:00", 90, ShopHoursFit.Closed, 0, ClosedPart.AfterClosing },
        { "bakery", "2026-12-13T10:00", 60, ShopHoursFit.Closed, 0, ClosedPart.ClosedDay },
        { "restaurant", "2026-12-07T10:00", 60, ShopHoursFit.Closed, 0, ClosedPart.ClosedDay },
        { "restaurant", "2026-12-08T10:00", 60, ShopHoursFit.Closed, 0, ClosedPart.BeforeOpening },
        { "restaurant", "2026-12-08T10:30", 90, ShopHoursFit.PartlyOpen, 60, null },
        { "restaurant", "2026-12-13T21:30", 60, ShopHoursFit.PartlyOpen, 30, null },
        { "lunch", "2026-12-07T12:30", 90, ShopHoursFit.Closed, 0, ClosedPart.Break },
        { "lunch", "2026-12-07T13:30", 60, ShopHoursFit.PartlyOpen, 30, null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Match_CountsTheMinutesTheOpenShopLosesItsTill(string shop, string start, int minutes, ShopHoursFit fit, int during, ClosedPart? closed)
    {
        var from = Local(start);

        var match = ShopHours.Match(Hours(shop), from, from + Duration.FromMinutes(minutes), Berlin);

        Assert.Equal(new ShopHoursMatch(fit, during, closed), match);
    }

    [Fact]
    public void Match_OnTheSpringChange_MapsOpeningThroughTheZone()
    {
        // 29 March 2026: at 02:00 the clock jumps to 03:00. A shop opening at 03:00 on Sundays; a session from 01:30 CET
        // lasts one real hour and ends at 03:30 CEST, so 30 minutes fall after opening. On the wall clock alone
        // (01:30 + 1 h = 02:30) it would look closed.
        var sundayEarly = WeeklyHours.Parse("So 03:00-12:00").Value;
        var start = Instant.FromUtc(2026, 3, 29, 0, 30);

        var match = ShopHours.Match(sundayEarly, start, start + Duration.FromHours(1), Berlin);

        Assert.Equal(new ShopHoursMatch(ShopHoursFit.PartlyOpen, 30), match);
    }

    [Fact]
    public void Match_OnTheAutumnChange_CountsTheRepeatedHourOnce()
    {
        // 25 October 2026: 03:00 CEST becomes 02:00 CET. A shop open from 02:00 on Sundays opens at the first 02:00
        // (00:00 UTC); a session 00:30–02:30 UTC lies entirely within opening hours: 120 real minutes, not 60.
        var night = WeeklyHours.Parse("So 02:00-10:00").Value;
        var start = Instant.FromUtc(2026, 10, 25, 0, 30);

        var match = ShopHours.Match(night, start, start + Duration.FromHours(2), Berlin);

        Assert.Equal(new ShopHoursMatch(ShopHoursFit.Open, 120), match);
    }

    [Fact]
    public void Rank_ClosedFirst_ThenFewestOpenMinutes_ThenStart_AndOnlyWhileClosedKeepsTheClosed()
    {
        // Sunday 21:45–22:45 loses the till for 15 open minutes: better than Tuesday 10:30 (30), though later.
        string[] given = ["2026-12-08T11:00", "2026-12-13T21:45", "2026-12-08T10:45", "2026-12-07T10:00", "2026-12-08T10:00", "2026-12-08T10:30"];

        var ranked = Rank(given, Restaurant, onlyWhileClosed: false);
        var closed = Rank(given, Restaurant, onlyWhileClosed: true);
        var unknown = Rank(given, null, onlyWhileClosed: false);

        Assert.Equal(["2026-12-07T10:00", "2026-12-08T10:00", "2026-12-13T21:45", "2026-12-08T10:30", "2026-12-08T10:45", "2026-12-08T11:00"], ranked);
        Assert.Equal(["2026-12-07T10:00", "2026-12-08T10:00"], closed);
        Assert.Equal(["2026-12-07T10:00", "2026-12-08T10:00", "2026-12-08T10:30", "2026-12-08T10:45", "2026-12-08T11:00", "2026-12-13T21:45"], unknown);
    }

    [Fact]
    public void Label_SaysWhenInTheShopsLanguage()
    {
        Assert.Equal("vor Öffnung", ShopHours.Label(new(ShopHoursFit.Closed, 0, ClosedPart.BeforeOpening), Language.De));
        Assert.Equal("before opening", ShopHours.Label(new(ShopHoursFit.Closed, 0, ClosedPart.BeforeOpening), Language.En));
        Assert.Equal("nach Ladenschluss", ShopHours.Label(new(ShopHoursFit.Closed, 0, ClosedPart.AfterClosing), Language.De));
        Assert.Equal("Ruhetag – die Filiale ist geschlossen", ShopHours.Label(new(ShopHoursFit.Closed, 0, ClosedPart.ClosedDay), Language.De));
        Assert.Equal("während der Öffnungszeit – die Kasse ist ca. 60 Minuten nicht nutzbar", ShopHours.Label(new(ShopHoursFit.Open, 60), Language.De));
        Assert.Equal("during opening hours — the till cannot be used for about 60 minutes", ShopHours.Label(new(ShopHoursFit.Open, 60), Language.En));
        Assert.Equal("teilweise während der Öffnungszeit – die Kasse ist davon ca. 15 Minuten nicht nutzbar", ShopHours.Label(new(ShopHoursFit.PartlyOpen, 15), Language.De));
    }

    private static string[] Rank(string[] starts, WeeklyHours? hours, bool onlyWhileClosed) =>
        [.. ShopHours.Rank(starts, s => new Interval(Local(s), Local(s) + Duration.FromHours(1)), hours, Berlin, onlyWhileClosed).Select(r => r.Item)];

    private static WeeklyHours Hours(string shop) => shop switch
    {
        "bakery" => Bakery,
        "restaurant" => Restaurant,
        _ => LunchBreak,
    };

    private static Instant Local(string text) =>
        LocalDateTimePattern.GeneralIso.Parse(text + ":00").Value.InZoneStrictly(Berlin).ToInstant();
}
