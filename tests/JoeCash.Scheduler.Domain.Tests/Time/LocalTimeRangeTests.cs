using NodaTime;
using NodaTime.Text;

namespace JoeCash.Scheduler.Domain.Tests.Time;

/// <summary>
/// Times as people read them, on every clock-change day of 2026–2028 in Berlin and New York and on
/// ordinary days: checked against hand-written strings in German and English.
/// </summary>
public sealed class LocalTimeRangeTests
{
    private static readonly OffsetDateTimePattern Pattern = OffsetDateTimePattern.CreateWithInvariantCulture("uuuu-MM-dd'T'HH:mmo<G>");

    public static TheoryData<string, string, string, string, string> Ranges => new()
    {
        // zone, start with its offset (one hour long), German sentence, English sentence, table form (English)
        { "Europe/Berlin", "2026-12-01T10:00+01:00", "10:00–11:00 Uhr (MEZ)", "10:00–11:00 (CET)", "10:00–11:00" },
        { "Europe/Berlin", "2027-07-01T10:00+02:00", "10:00–11:00 Uhr (MESZ)", "10:00–11:00 (CEST)", "10:00–11:00" },
        // spring: across the gap, the end is in summer time
        { "Europe/Berlin", "2026-03-29T01:30+01:00", "01:30 MEZ – 03:30 MESZ, 60 min", "01:30 CET – 03:30 CEST, 60 min", "01:30 CET – 03:30 CEST" },
        { "Europe/Berlin", "2027-03-28T01:30+01:00", "01:30 MEZ – 03:30 MESZ, 60 min", "01:30 CET – 03:30 CEST, 60 min", "01:30 CET – 03:30 CEST" },
        { "Europe/Berlin", "2028-03-26T01:30+01:00", "01:30 MEZ – 03:30 MESZ, 60 min", "01:30 CET – 03:30 CEST, 60 min", "01:30 CET – 03:30 CEST" },
        { "Europe/Berlin", "2027-03-28T10:00+02:00", "10:00 MESZ – 11:00 MESZ, 60 min", "10:00 CEST – 11:00 CEST, 60 min", "10:00 CEST – 11:00 CEST" },
        // autumn: the earlier and the later 02:30
        { "Europe/Berlin", "2026-10-25T02:30+02:00", "02:30 MESZ – 02:30 MEZ, 60 min", "02:30 CEST – 02:30 CET, 60 min", "02:30 CEST – 02:30 CET" },
        { "Europe/Berlin", "2026-10-25T02:30+01:00", "02:30 MEZ – 03:30 MEZ, 60 min", "02:30 CET – 03:30 CET, 60 min", "02:30 CET – 03:30 CET" },
        { "Europe/Berlin", "2027-10-31T02:30+02:00", "02:30 MESZ – 02:30 MEZ, 60 min", "02:30 CEST – 02:30 CET, 60 min", "02:30 CEST – 02:30 CET" },
        { "Europe/Berlin", "2027-10-31T02:30+01:00", "02:30 MEZ – 03:30 MEZ, 60 min", "02:30 CET – 03:30 CET, 60 min", "02:30 CET – 03:30 CET" },
        { "Europe/Berlin", "2028-10-29T02:30+02:00", "02:30 MESZ – 02:30 MEZ, 60 min", "02:30 CEST – 02:30 CET, 60 min", "02:30 CEST – 02:30 CET" },
        { "Europe/Berlin", "2028-10-29T02:30+01:00", "02:30 MEZ – 03:30 MEZ, 60 min", "02:30 CET – 03:30 CET, 60 min", "02:30 CET – 03:30 CET" },
        // New York changes three weeks earlier in spring, a week later in autumn, at its own 02:00
        { "America/New_York", "2026-12-01T10:00-05:00", "10:00–11:00 Uhr (EST)", "10:00–11:00 (EST)", "10:00–11:00" },
        { "America/New_York", "2026-03-08T01:30-05:00", "01:30 EST – 03:30 EDT, 60 min", "01:30 EST – 03:30 EDT, 60 min", "01:30 EST – 03:30 EDT" },
        { "America/New_York", "2027-03-14T01:30-05:00", "01:30 EST – 03:30 EDT, 60 min", "01:30 EST – 03:30 EDT, 60 min", "01:30 EST – 03:30 EDT" },
        { "America/New_York", "2028-03-12T01:30-05:00", "01:30 EST – 03:30 EDT, 60 min", "01:30 EST – 03:30 EDT, 60 min", "01:30 EST – 03:30 EDT" },
        { "America/New_York", "2026-11-01T01:30-04:00", "01:30 EDT – 01:30 EST, 60 min", "01:30 EDT – 01:30 EST, 60 min", "01:30 EDT – 01:30 EST" },
        { "America/New_York", "2026-11-01T01:30-05:00", "01:30 EST – 02:30 EST, 60 min", "01:30 EST – 02:30 EST, 60 min", "01:30 EST – 02:30 EST" },
        { "America/New_York", "2027-11-07T01:30-04:00", "01:30 EDT – 01:30 EST, 60 min", "01:30 EDT – 01:30 EST, 60 min", "01:30 EDT – 01:30 EST" },
        { "America/New_York", "2027-11-07T01:30-05:00", "01:30 EST – 02:30 EST, 60 min", "01:30 EST – 02:30 EST, 60 min", "01:30 EST – 02:30 EST" },
        { "America/New_York", "2028-11-05T01:30-04:00", "01:30 EDT – 01:30 EST, 60 min", "01:30 EDT – 01:30 EST, 60 min", "01:30 EDT – 01:30 EST" },
        { "America/New_York", "2028-11-05T01:30-05:00", "01:30 EST – 02:30 EST, 60 min", "01:30 EST – 02:30 EST, 60 min", "01:30 EST – 02:30 EST" },
        // A Berlin clock-change day is an ordinary day in New York, and the other way round
        { "America/New_York", "2027-10-31T02:30-04:00", "02:30–03:30 Uhr (EDT)", "02:30–03:30 (EDT)", "02:30–03:30" },
        { "Europe/Berlin", "2027-03-14T02:30+01:00", "02:30–03:30 Uhr (MEZ)", "02:30–03:30 (CET)", "02:30–03:30" },
        // tzdb has only an offset for these zones
        { "America/Sao_Paulo", "2026-12-01T10:00-03:00", "10:00–11:00 Uhr (UTC-3)", "10:00–11:00 (UTC-3)", "10:00–11:00" },
        { "Asia/Kathmandu", "2026-12-01T10:00+05:45", "10:00–11:00 Uhr (UTC+5:45)", "10:00–11:00 (UTC+5:45)", "10:00–11:00" },
    };

    [Theory]
    [MemberData(nameof(Ranges))]
    public void Sentence_AnyDay_EachTimeCarriesItsZoneWhenTheDayHasTwo(string zoneId, string start, string german, string english, string table)
    {
        var range = Range(zoneId, start, minutes: 60);

        Assert.Equal(german, range.Sentence(Language.De));
        Assert.Equal(english, range.Sentence(Language.En));
        Assert.Equal(table, range.Compact(Language.En));
    }

    [Theory]
    [InlineData("Europe/Berlin", "2026-12-01T10:00+01:00", "10:00 Uhr", "10:00")]
    [InlineData("Europe/Berlin", "2027-10-31T02:30+02:00", "02:30 MESZ", "02:30 CEST")]
    [InlineData("Europe/Berlin", "2027-10-31T02:30+01:00", "02:30 MEZ", "02:30 CET")]
    [InlineData("Europe/Berlin", "2027-03-28T01:30+01:00", "01:30 MEZ", "01:30 CET")]
    [InlineData("America/New_York", "2027-11-07T01:30-04:00", "01:30 EDT", "01:30 EDT")]
    [InlineData("America/New_York", "2027-11-07T01:30-05:00", "01:30 EST", "01:30 EST")]
    public void StartSentence_ClockChangeDay_TheTwoOccurrencesDiffer(string zoneId, string start, string german, string english)
    {
        var range = Range(zoneId, start, minutes: 60);

        Assert.Equal(german, range.StartSentence(Language.De));
        Assert.Equal(english, range.StartSentence(Language.En));
    }

    [Fact]
    public void Compact_AgendaOnTheAutumnDay_TwoEntriesThatLookedOverlappingAreTold()
    {
        var first = Range("Europe/Berlin", "2027-10-31T01:45+02:00", minutes: 60); // 01:45–02:45 summer time
        var second = Range("Europe/Berlin", "2027-10-31T02:30+01:00", minutes: 60); // 02:30–03:30 winter time

        Assert.Equal("01:45 MESZ – 02:45 MESZ", first.Compact(Language.De));
        Assert.Equal("02:30 MEZ – 03:30 MEZ", second.Compact(Language.De));
        Assert.True(first.End.ToInstant() < second.Start.ToInstant());
    }

    [Fact]
    public void Tagged_RangeEndingOnTheChangeDay_TaggedToo()
    {
        var range = Range("Europe/Berlin", "2027-10-30T23:30+02:00", minutes: 90); // ends 01:00 on the 31st

        Assert.Equal("23:30 MESZ – 01:00 MESZ, 90 min", range.Sentence(Language.De));
    }

    [Theory]
    [InlineData("Europe/Berlin", "2026-03-29", true)]
    [InlineData("Europe/Berlin", "2026-03-28", false)]
    [InlineData("Europe/Berlin", "2028-10-29", true)]
    [InlineData("America/New_York", "2028-11-05", true)]
    [InlineData("America/New_York", "2028-10-29", false)]
    [InlineData("Asia/Kolkata", "2027-10-31", false)]
    public void ChangesOn_Day_TrueOnlyOnClockChangeDays(string zoneId, string day, bool expected) =>
        Assert.Equal(expected, LocalTimeRange.ChangesOn(DateTimeZoneProviders.Tzdb[zoneId], LocalDatePattern.Iso.Parse(day).Value));

    private static LocalTimeRange Range(string zoneId, string start, int minutes)
    {
        var zone = DateTimeZoneProviders.Tzdb[zoneId];
        var instant = Pattern.Parse(start).Value.ToInstant();
        return LocalTimeRange.In(instant, instant + Duration.FromMinutes(minutes), zone);
    }
}
