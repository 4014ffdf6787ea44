using System.Globalization;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Holidays;
using NodaTime;
using NodaTime.Extensions;
using NodaTime.Text;

namespace JoeCash.Scheduler.Tests.Infrastructure;

/// <summary>Dates for tests that run the command line with the real clock: relative to today, so they stay inside the booking horizon.</summary>
internal static class CliDates
{
    private static readonly DateTimeZone Berlin = DateTimeZoneProviders.Tzdb["Europe/Berlin"];

    // The CLI processes read the system clock; the tests must agree with them about "today".
    private static readonly ZonedClock Clock = SystemClock.Instance.InZone(Berlin);

    public static Instant Now => Clock.GetCurrentInstant();

    public static LocalDate Today => Now.InZone(Berlin).Date;

    /// <summary>A Tuesday some weeks ahead that is no public holiday in Bavaria or Berlin: every technician in these tests works then.</summary>
    public static LocalDate WorkingTuesday(int weeksAhead = 3)
    {
        var day = Today.PlusWeeks(weeksAhead);
        var holidays = new GermanHolidayCalendar();
        while (day.DayOfWeek != IsoDayOfWeek.Tuesday || holidays.IsHoliday(FederalState.BY, day) || holidays.IsHoliday(FederalState.BE, day))
        {
            day = day.PlusDays(1);
        }

        return day;
    }

    public static string Text(this LocalDate date) => date.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>"2027-02-02T10:00" on that day.</summary>
    public static string At(this LocalDate date, int hour, int minute = 0) => $"{date.Text()}T{hour:00}:{minute:00}";

    /// <summary>That wall-clock time in Berlin as the command line prints it: "2027-02-02T10:00:00+01:00".</summary>
    public static string Local(this LocalDate date, int hour, int minute = 0) =>
        OffsetDateTimePattern.Rfc3339.Format(Berlin.AtStrictly(date.At(new LocalTime(hour, minute))).ToOffsetDateTime());

    /// <summary>That wall-clock time in Berlin as a UTC instant: "2027-02-02T09:00:00Z".</summary>
    public static string Utc(this LocalDate date, int hour, int minute = 0) =>
        InstantPattern.General.Format(Berlin.AtStrictly(date.At(new LocalTime(hour, minute))).ToInstant());

    /// <summary>The next night the clocks in Berlin jump from 02:00 to 03:00 (the last Sunday of March).</summary>
    public static LocalDate NextSpringForward()
    {
        for (var year = Today.Year; ; year++)
        {
            var day = new LocalDate(year, 3, 31);
            while (day.DayOfWeek != IsoDayOfWeek.Sunday)
            {
                day = day.PlusDays(-1);
            }

            if (day > Today)
            {
                return day;
            }
        }
    }
}
