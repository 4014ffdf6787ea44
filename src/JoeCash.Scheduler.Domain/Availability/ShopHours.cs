using NodaTime;

namespace JoeCash.Scheduler.Domain.Availability;

/// <summary>How a session lies against the shop's opening hours: the till is unusable for the whole session.</summary>
public enum ShopHoursFit
{
    /// <summary>Entirely while the shop is closed: nobody needs the till.</summary>
    Closed,

    /// <summary>Partly while the shop is open.</summary>
    PartlyOpen,

    /// <summary>Entirely while the shop is open.</summary>
    Open,

    /// <summary>The shop's opening hours are not on file (or not readable): no ranking.</summary>
    Unknown,
}

/// <summary>When, for a session entirely outside opening hours, the shop is closed.</summary>
public enum ClosedPart
{
    /// <summary>The shop does not open on that day.</summary>
    ClosedDay,

    /// <summary>The session ends before the day's first opening.</summary>
    BeforeOpening,

    /// <summary>The session starts after the day's last closing.</summary>
    AfterClosing,

    /// <summary>Between two opening windows of the day (a lunch break).</summary>
    Break,
}

/// <summary>One session against the shop's opening hours: how it fits, and for how many minutes the open shop loses its till.</summary>
public readonly record struct ShopHoursMatch(ShopHoursFit Fit, int MinutesDuringOpening, ClosedPart? Closed = null);

/// <summary>
/// Ranks sessions by how little they disturb the shop's business. The till cannot be used during a session, so the
/// best time is one when the shop is closed; after that, the fewer minutes of the session fall into opening hours,
/// the quieter it is (the product has no sales-by-hour figures: the minutes the open shop goes without its till are
/// the measure). Opening hours are wall-clock times in the shop's zone, so every instant is mapped through that zone:
/// on a clock-change day "08:00" is still 08:00 on the shop's clock.
/// </summary>
public static class ShopHours
{
    /// <summary>
    /// A shop's opening hours as its export writes them: "Mo-Fr 08:00-18:00; Sa 08:00-13:00", a line per part
    /// (a cell with line breaks) read like "; ".
    /// </summary>
    public static Result<WeeklyHours> Parse(string? text, string field = "opening hours") =>
        WeeklyHours.Parse(text?.ReplaceLineEndings(";"), field);

    /// <summary>How the session from <paramref name="start"/> to <paramref name="end"/> fits <paramref name="hours"/> (null: not on file).</summary>
    public static ShopHoursMatch Match(WeeklyHours? hours, Instant start, Instant end, DateTimeZone zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        if (hours is null)
        {
            return new ShopHoursMatch(ShopHoursFit.Unknown, 0);
        }

        var session = end - start;
        var open = Duration.Zero;
        var firstDay = start.InZone(zone).Date;
        // A window of the day before can reach past midnight only as 24:00, but the day before is cheap to include.
        for (var day = firstDay.PlusDays(-1); day <= end.InZone(zone).Date; day = day.PlusDays(1))
        {
            foreach (var window in hours.On(day.DayOfWeek))
            {
                var (from, to) = Bounds(window, day, zone);
                var overlap = Instant.Min(end, to) - Instant.Max(start, from);
                if (overlap > Duration.Zero)
                {
                    open += overlap;
                }
            }
        }

        var minutes = (int)Math.Ceiling(open.TotalMinutes);
        if (open == Duration.Zero)
        {
            return new ShopHoursMatch(ShopHoursFit.Closed, 0, ClosedPartOf(hours, firstDay, start, end, zone));
        }

        return new ShopHoursMatch(open >= session ? ShopHoursFit.Open : ShopHoursFit.PartlyOpen, minutes);
    }

    /// <summary>
    /// The sessions in the order a shop should consider them: closed first, then by the minutes the open shop loses its
    /// till, then by start. With <paramref name="onlyWhileClosed"/>, only the sessions entirely while the shop is closed.
    /// The order is stable: equal sessions keep their given order (for "any technician", the one a booking would get).
    /// </summary>
    public static IReadOnlyList<(T Item, ShopHoursMatch Match)> Rank<T>(
        IEnumerable<T> sessions, Func<T, Interval> time, WeeklyHours? hours, DateTimeZone zone, bool onlyWhileClosed)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        ArgumentNullException.ThrowIfNull(time);
        var matched = sessions.Select(s =>
        {
            var t = time(s);
            return (Item: s, Start: t.Start, Match: Match(hours, t.Start, t.End, zone));
        });
        if (onlyWhileClosed)
        {
            matched = matched.Where(m => m.Match.Fit == ShopHoursFit.Closed);
        }

        return [.. matched
            .OrderBy(m => m.Match.Fit == ShopHoursFit.Unknown ? 1 : 0)
            .ThenBy(m => m.Match.MinutesDuringOpening)
            .ThenBy(m => m.Start)
            .Select(m => (m.Item, m.Match))];
    }

    /// <summary>What a shop reads beside a time, in its language.</summary>
    public static string Label(ShopHoursMatch match, Language language) => (match.Fit, match.Closed, language) switch
    {
        (ShopHoursFit.Closed, ClosedPart.BeforeOpening, Language.En) => "before opening",
        (ShopHoursFit.Closed, ClosedPart.BeforeOpening, _) => "vor Öffnung",
        (ShopHoursFit.Closed, ClosedPart.AfterClosing, Language.En) => "after closing",
        (ShopHoursFit.Closed, ClosedPart.AfterClosing, _) => "nach Ladenschluss",
        (ShopHoursFit.Closed, ClosedPart.Break, Language.En) => "during the break between opening hours",
        (ShopHoursFit.Closed, ClosedPart.Break, _) => "in der Pause zwischen den Öffnungszeiten",
        (ShopHoursFit.Closed, _, Language.En) => "closed all day",
        (ShopHoursFit.Closed, _, _) => "Ruhetag – die Filiale ist geschlossen",
        (ShopHoursFit.PartlyOpen, _, Language.En) => $"partly during opening hours — the till cannot be used for about {match.MinutesDuringOpening} minutes of them",
        (ShopHoursFit.PartlyOpen, _, _) => $"teilweise während der Öffnungszeit – die Kasse ist davon ca. {match.MinutesDuringOpening} Minuten nicht nutzbar",
        (ShopHoursFit.Open, _, Language.En) => $"during opening hours — the till cannot be used for about {match.MinutesDuringOpening} minutes",
        (ShopHoursFit.Open, _, _) => $"während der Öffnungszeit – die Kasse ist ca. {match.MinutesDuringOpening} Minuten nicht nutzbar",
        (_, _, Language.En) => "opening hours not on file",
        _ => "Öffnungszeiten nicht hinterlegt",
    };

    private static (Instant From, Instant To) Bounds(TimeWindow window, LocalDate day, DateTimeZone zone) =>
        // Leniently: an opening at a time the clock skips (02:30 on the spring change) starts when the clock shows it next.
        (zone.AtLeniently(day.At(window.Start)).ToInstant(), zone.AtLeniently(window.EndOn(day)).ToInstant());

    private static ClosedPart ClosedPartOf(WeeklyHours hours, LocalDate day, Instant start, Instant end, DateTimeZone zone)
    {
        var windows = hours.On(day.DayOfWeek);
        if (windows.Count == 0)
        {
            return ClosedPart.ClosedDay;
        }

        var spans = windows.Select(w => Bounds(w, day, zone)).ToArray();
        return spans.All(s => s.From >= end) ? ClosedPart.BeforeOpening
            : spans.All(s => s.To <= start) ? ClosedPart.AfterClosing
            : ClosedPart.Break;
    }
}
