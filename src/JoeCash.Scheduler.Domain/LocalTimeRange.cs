using System.Globalization;
using NodaTime;

namespace JoeCash.Scheduler.Domain;

/// <summary>
/// A span of time as a person reads it on a clock in one zone: the one place that knows when a
/// wall-clock time needs its zone beside it. On a day when the zone's clocks change, "02:30" can mean
/// two instants (autumn) and a range can start in one offset and end in the other (spring), so every
/// time of that day carries its own abbreviation ("02:30 MESZ – 02:30 MEZ, 60 min"); on every other
/// day the times stay plain ("10:00–11:00 Uhr (MEZ)").
/// </summary>
/// <remarks>
/// Abbreviations come from tzdb; in German CET/CEST read MEZ/MESZ. Zones whose tzdb name is only an
/// offset ("-03", "+0530") read as "UTC-3", "UTC+5:30". Elapsed durations, never wall-clock differences.
/// </remarks>
public readonly record struct LocalTimeRange(ZonedDateTime Start, ZonedDateTime End)
{
    public static LocalTimeRange In(Instant start, Instant end, DateTimeZone zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return new(start.InZone(zone), end.InZone(zone));
    }

    public static LocalTimeRange In(Interval time, DateTimeZone zone) => In(time.Start, time.End, zone);

    public DateTimeZone Zone => Start.Zone;

    public Duration Length => End.ToInstant() - Start.ToInstant();

    /// <summary>True when the start's or the end's local day has two offsets: then each time carries its abbreviation.</summary>
    public bool Tagged => ChangesOn(Zone, Start.Date) || ChangesOn(Zone, End.Date);

    /// <summary>The start as a table shows it: "10:00", or "02:30 CEST" on a clock-change day.</summary>
    public string StartText(Language language) => Clock(Start, language, Tagged);

    /// <summary>The end as a table shows it: "11:00", or "02:30 CET" on a clock-change day.</summary>
    public string EndText(Language language) => Clock(End, language, Tagged);

    /// <summary>For tables and agenda lines: "10:00–11:00", or "02:30 CEST – 02:30 CET" on a clock-change day.</summary>
    public string Compact(Language language) =>
        Tagged ? $"{StartText(language)} – {EndText(language)}" : $"{StartText(language)}–{EndText(language)}";

    /// <summary>
    /// For the time line of an email: "10:00–11:00 Uhr (MEZ)" / "10:00–11:00 (CET)", or on a
    /// clock-change day "02:30 MESZ – 02:30 MEZ, 60 min" / "02:30 CEST – 02:30 CET, 60 min".
    /// </summary>
    public string Sentence(Language language) => Tagged
        ? $"{Compact(language)}, {Minutes(Length)}"
        : language == Language.En
            ? $"{Compact(language)} ({Abbreviation(Start, language)})"
            : $"{Compact(language)} Uhr ({Abbreviation(Start, language)})";

    /// <summary>The start alone, as a subject or "previously …" reads it: "10:00 Uhr" / "10:00", or "02:30 MESZ" / "02:30 CEST".</summary>
    public string StartSentence(Language language) => Tagged || language == Language.En
        ? StartText(language)
        : $"{StartText(language)} Uhr";

    /// <summary>"02:30", "02:30 MESZ": one wall-clock time, with its abbreviation when asked.</summary>
    public static string Clock(ZonedDateTime when, Language language, bool tagged)
    {
        var time = when.TimeOfDay.ToString("HH:mm", CultureInfo.InvariantCulture);
        return tagged ? $"{time} {Abbreviation(when, language)}" : time;
    }

    /// <summary>True when <paramref name="zone"/> changes its offset during the local day <paramref name="date"/>.</summary>
    public static bool ChangesOn(DateTimeZone zone, LocalDate date)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var from = zone.AtStartOfDay(date).ToInstant();
        var until = zone.AtStartOfDay(date.PlusDays(1)).ToInstant();
        foreach (var interval in zone.GetZoneIntervals(from, until))
        {
            if (interval.HasStart && interval.Start > from && interval.Start < until)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>"MEZ"/"MESZ" (German) or "CET"/"CEST" for Central Europe, else tzdb's abbreviation, else "UTC+h".</summary>
    public static string Abbreviation(ZonedDateTime when, Language language)
    {
        var interval = when.Zone.GetZoneInterval(when.ToInstant());
        var name = interval.Name;
        return (language, name) switch
        {
            (Language.De, "CET") => "MEZ",
            (Language.De, "CEST") => "MESZ",
            _ when name.Length > 0 && (char.IsAsciiLetter(name[0]) && name.All(char.IsAsciiLetter)) => name,
            _ => "UTC" + interval.WallOffset.ToString("+H:mm", CultureInfo.InvariantCulture).Replace(":00", "", StringComparison.Ordinal),
        };
    }

    private static string Minutes(Duration length) =>
        string.Create(CultureInfo.InvariantCulture, $"{(long)length.TotalMinutes} min");
}
