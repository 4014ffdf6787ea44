using JoeCash.Scheduler.Domain;
using NodaTime;
using NodaTime.Text;

namespace JoeCash.Scheduler.Web.Api;

/// <summary>Times in requests: the same wall-clock rules as the command line, worded for JSON fields.</summary>
public static class ApiTime
{
    /// <summary>
    /// "2026-12-01T10:00" in <paramref name="zone"/>, or with an offset ("2026-12-01T10:00+01:00"), or a UTC instant
    /// ("2026-12-01T09:00:00Z", as slots are listed).
    /// A time that occurs twice (the night the clocks go back) needs its offset.
    /// </summary>
    public static Instant ReadStart(string? text, DateTimeZone zone)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new ApiInputException("start is required, e.g. 2026-12-01T10:00 (in zone) or 2026-12-01T10:00+01:00.");
        }

        // A UTC instant as the API writes them ("start" of a slot): no wall clock to resolve.
        if (text.Trim().EndsWith('Z') && InstantPattern.ExtendedIso.Parse(text.Trim()) is { Success: true } utc)
        {
            return utc.Value;
        }

        var start = WallClock.Read(text, zone, AmbiguityChoice.None, "start", out var problem);
        return problem switch
        {
            null => start,
            { Kind: WallClockProblemKind.Ambiguous } => throw new ApiInputException($"{problem.Message} Give the offset, e.g. +02:00 for the first, +01:00 for the second."),
            _ => throw new ApiInputException(problem.Message),
        };
    }
}
