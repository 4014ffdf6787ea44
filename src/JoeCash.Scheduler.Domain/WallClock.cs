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

/// <summary>Why a typed date and time names no single instant.</summary>
public enum WallClockProblemKind
{
    /// <summary>Not a date and time in a known form.</summary>
    NotADateTime,

    /// <summary>Beyond the last instant the calendar holds.</summary>
    BeyondCalendar,

    /// <summary>An offset the zone does not have at that moment.</summary>
    WrongOffset,

    /// <summary>In the spring-forward gap: the time does not exist.</summary>
    Skipped,

    /// <summary>In the autumn overlap: the time occurs twice; <see cref="WallClockProblem.Earlier"/> and <see cref="WallClockProblem.Later"/> say at which offsets.</summary>
    Ambiguous,
}

/// <summary>What is wrong with a typed date and time: a kind, the data, and a sentence naming no input method.</summary>
public sealed record WallClockProblem(WallClockProblemKind Kind, string Message, Offset? Earlier = null, Offset? Later = null);

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

    /// <summary>The instant, or a message; an ambiguous time is told to choose the earlier or the later one, or give the offset.</summary>
    public static Result<Instant> Parse(string? text, DateTimeZone zone, AmbiguityChoice choice, string field)
    {
        var read = Read(text, zone, choice, field, out var problem);
        return problem switch
        {
            null => read,
            { Kind: WallClockProblemKind.Ambiguous } => Result.Fail<Instant>($"{problem.Message} Choose the earlier or the later one, or give the offset."),
            _ => Result.Fail<Instant>(problem.Message),
        };
    }

    /// <summary>The instant, or (with <paramref name="problem"/> set) why there is none, typed so each face can say how to choose.</summary>
    public static Instant Read(string? text, DateTimeZone zone, AmbiguityChoice choice, string field, out WallClockProblem? problem)
    {
        try
        {
            return ParseWithin(text, zone, choice, field, out problem);
        }
        catch (OverflowException)
        {
            // 9999-12-31T23:59 with a negative offset (or in a zone west of UTC) has no instant: NodaTime's range ends there.
            problem = new(WallClockProblemKind.BeyondCalendar, $"{field}: '{UserText.Shown(text ?? "", 40)}' lies beyond the end of the calendar (9999-12-31 UTC).");
            return default;
        }
    }

    private static Instant ParseWithin(string? text, DateTimeZone zone, AmbiguityChoice choice, string field, out WallClockProblem? problem)
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
                problem = instant.InZone(zone).Offset == withOffset.Value.Offset
                    ? null
                    : new(WallClockProblemKind.WrongOffset, $"{field}: {trimmed} has offset {withOffset.Value.Offset}, but {zone.Id} is at {instant.InZone(zone).Offset} then.");
                return instant;
            }
        }

        foreach (var pattern in LocalPatterns)
        {
            var local = pattern.Parse(trimmed);
            if (local.Success)
            {
                return Resolve(local.Value, zone, choice, field, out problem);
            }
        }

        problem = new(WallClockProblemKind.NotADateTime, $"{field}: '{text}' is not a date and time like 2026-12-01T10:00 (optionally with an offset such as +01:00).");
        return default;
    }

    /// <summary>The instant a wall-clock time means in <paramref name="zone"/>, or (with <paramref name="problem"/> set) why it means none or two.</summary>
    public static Instant Resolve(LocalDateTime local, DateTimeZone zone, AmbiguityChoice choice, string field, out WallClockProblem? problem)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var mapping = zone.MapLocal(local);
        var shown = local.ToString("uuuu-MM-dd HH:mm", CultureInfo.InvariantCulture);
        problem = null;
        switch (mapping.Count)
        {
            case 1:
                return mapping.Single().ToInstant();
            case 0:
                problem = new(WallClockProblemKind.Skipped,
                    $"{field}: {shown} does not exist in {zone.Id}: that night the clocks jump from {Clock(mapping.LateInterval.Start, mapping.EarlyInterval.WallOffset)} to {Clock(mapping.LateInterval.Start, mapping.LateInterval.WallOffset)}. Pick a time outside the gap.");
                return default;
            default:
                if (choice != AmbiguityChoice.None)
                {
                    return (choice == AmbiguityChoice.Earlier ? mapping.First() : mapping.Last()).ToInstant();
                }

                problem = new(WallClockProblemKind.Ambiguous,
                    $"{field}: {shown} occurs twice in {zone.Id} (at {mapping.First().Offset} and at {mapping.Last().Offset}).",
                    mapping.First().Offset, mapping.Last().Offset);
                return default;
        }
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
