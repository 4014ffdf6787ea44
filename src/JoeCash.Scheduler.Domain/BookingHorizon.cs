using System.Globalization;
using NodaTime;

namespace JoeCash.Scheduler.Domain;

/// <summary>
/// How far ahead appointments can be booked (<c>Scheduler:BookingHorizon</c>), and the window of
/// dates a person may type at all: up to the horizon ahead, and (where the past makes sense, such as
/// an agenda) as far back. Checked before any date arithmetic, so a date near the end of the calendar
/// is a clear refusal instead of an overflow.
/// </summary>
public sealed record BookingHorizon(Duration Ahead)
{
    /// <summary>The longest horizon the configuration may set: far enough for any plan, far from the calendar's end.</summary>
    public static readonly Duration Longest = Duration.FromDays(3650);

    /// <summary>"365 days", or the exact span if it is not whole days.</summary>
    public string Shown => Ahead.BclCompatibleTicks % NodaConstants.TicksPerDay == 0
        ? $"{Ahead.Days} days"
        : Ahead.ToString("-D:hh:mm", CultureInfo.InvariantCulture);

    public Instant LatestStart(Instant now) => now + Ahead;

    /// <summary>Null if an appointment may start at <paramref name="start"/>, else why not (without naming any input field).</summary>
    public string? Beyond(Instant start, Instant now, DateTimeZone zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var latest = LatestStart(now);
        return start <= latest
            ? null
            : $"{Local(start, zone)} ({zone.Id}) is beyond the booking horizon of {Shown} (latest start: {Local(latest, zone)}).";
    }

    /// <summary>
    /// A typed date within the window: not after the horizon's last day, and not before today (or, with
    /// <paramref name="pastAllowed"/>, not more than the horizon back).
    /// </summary>
    public Result<LocalDate> CheckDate(LocalDate date, Instant now, DateTimeZone zone, string field, bool pastAllowed)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var today = now.InZone(zone).Date;
        var last = LatestStart(now).InZone(zone).Date;
        var first = pastAllowed ? (now - Ahead).InZone(zone).Date : today;
        var shown = date.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture);
        if (date > last)
        {
            return Result.Fail<LocalDate>($"{field}: {shown} is beyond the booking horizon of {Shown} (last day: {Day(last)}).");
        }

        if (date < first)
        {
            return Result.Fail<LocalDate>(pastAllowed
                ? $"{field}: {shown} is more than {Shown} in the past (earliest: {Day(first)})."
                : $"{field}: {shown} is in the past (today is {Day(today)} in {zone.Id}).");
        }

        return date;
    }

    /// <summary><see cref="CheckDate"/> for a moment, by its date in <paramref name="zone"/>.</summary>
    public Result<Instant> CheckInstant(Instant instant, Instant now, DateTimeZone zone, string field, bool pastAllowed)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var date = CheckDate(instant.InZone(zone).Date, now, zone, field, pastAllowed);
        return date.IsSuccess ? instant : Result.Fail<Instant>(date.Error!);
    }

    private static string Local(Instant instant, DateTimeZone zone) =>
        instant.InZone(zone).ToString("uuuu-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static string Day(LocalDate date) => date.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture);
}
