using System.Globalization;
using NodaTime;
using NodaTime.Text;

namespace JoeCash.Scheduler.Domain;

/// <summary>Which instant a wall-clock time means when the clocks go back and it occurs twice.</summary>
public enum AmbiguityChoice
{
    None,
    Earlier,
    Later,
}

/// <summary>
/// Turns what a person types ("2026-12-01 10:00", optionally with an offset) into an instant, with
/// every time-zone question answered explicitly: a time in the spring-forward gap is refused, a time
/// in the autumn overlap needs a choice (or an offset) and is refused without one.
/// </summary>
public static class WallClock
{
    private static readonly LocalDateTimePattern[] LocalPatterns =
    [
        LocalDateTimePattern.CreateWithInvariantCulture("uuuu-MM-dd'T'HH:mm"),
        LocalDateTimePattern.CreateWithInvariantCulture("uuuu-MM-dd HH:mm"),
        LocalDateTimePattern.CreateWithInvariantCulture("uuuu-MM-dd'T'HH:mm:ss"),
    ];

    private static readonly OffsetDateTimePattern[] OffsetPatterns =
    [
        OffsetDateTimePattern.CreateWithInvariantCulture("uuuu-MM-dd'T'HH:mmo<G>"),
        OffsetDateTimePattern.CreateWithInvariantCulture("uuuu-MM-dd'T'HH:mm:sso<G>"),
        OffsetDateTimePattern.CreateWithInvariantCulture("uuuu-MM-dd HH:mmo<G>"),
    ];

    private static readonly LocalDatePattern DatePattern = LocalDatePattern.Iso;

    public static Result<Instant> Parse(string? text, DateTimeZone zone, AmbiguityChoice choice, string field)
    {
        try
        {
            return ParseWithin(text, zone, choice, field);
        }
        catch (OverflowException)
        {
            // 9999-12-31T23:59 with a negative offset (or in a zone west of UTC) has no instant: NodaTime's range ends there.
            return Result.Fail<Instant>($"{field}: '{UserText.Shown(text ?? "", 40)}' lies beyond the end of the calendar (9999-12-31 UTC).");
        }
    }

    private static Result<Instant> ParseWithin(string? text, DateTimeZone zone, AmbiguityChoice choice, string field)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var trimmed = text?.Trim() ?? "";
        foreach (var pattern in OffsetPatterns)
        {
            var withOffset = pattern.Parse(trimmed);
            if (withOffset.Success)
            {
                var instant = withOffset.Value.ToInstant();
                // An offset that the zone never has at that moment is a typo, not a choice.
                return instant.InZone(zone).Offset == withOffset.Value.Offset
                    ? instant
                    : Result.Fail<Instant>(
                        $"{field}: {trimmed} has offset {withOffset.Value.Offset}, but {zone.Id} is at {instant.InZone(zone).Offset} then.");
            }
        }

        foreach (var pattern in LocalPatterns)
        {
            var local = pattern.Parse(trimmed);
            if (local.Success)
            {
                return Resolve(local.Value, zone, choice, field);
            }
        }

        return Result.Fail<Instant>($"{field}: '{text}' is not a date and time like 2026-12-01T10:00 (optionally with an offset such as +01:00).");
    }

    public static Result<Instant> Resolve(LocalDateTime local, DateTimeZone zone, AmbiguityChoice choice, string field)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var mapping = zone.MapLocal(local);
        var shown = local.ToString("uuuu-MM-dd HH:mm", CultureInfo.InvariantCulture);
        return mapping.Count switch
        {
            1 => mapping.Single().ToInstant(),
            0 => Result.Fail<Instant>(
                $"{field}: {shown} does not exist in {zone.Id}: that night the clocks jump from {Clock(mapping.LateInterval.Start, mapping.EarlyInterval.WallOffset)} to {Clock(mapping.LateInterval.Start, mapping.LateInterval.WallOffset)}. Pick a time outside the gap."),
            _ => choice switch
            {
                AmbiguityChoice.Earlier => mapping.First().ToInstant(),
                AmbiguityChoice.Later => mapping.Last().ToInstant(),
                _ => Result.Fail<Instant>(
                    $"{field}: {shown} occurs twice in {zone.Id} (at {mapping.First().Offset} and at {mapping.Last().Offset}). Choose with --earlier or --later, or give the offset."),
            },
        };
    }

    private static string Clock(Instant instant, Offset offset) =>
        instant.WithOffset(offset).LocalDateTime.ToString("HH:mm", CultureInfo.InvariantCulture);

    public static Result<LocalDate> ParseDate(string? text, string field)
    {
        var parsed = DatePattern.Parse(text?.Trim() ?? "");
        return parsed.Success
            ? parsed.Value
            : Result.Fail<LocalDate>($"{field}: '{text}' is not a date like 2026-12-01.");
    }
}
