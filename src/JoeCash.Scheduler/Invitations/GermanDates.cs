using JoeCash.Scheduler.Domain;
using NodaTime;

namespace JoeCash.Scheduler.Invitations;

/// <summary>
/// Dates as a shop reads them, in German or English. Written out by hand because the service runs
/// with invariant globalization (no ICU data to depend on). Times: <see cref="LocalTimeRange"/>.
/// </summary>
public static class GermanDates
{
    private static readonly string[] WeekdaysDe = ["", "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"];
    private static readonly string[] MonthsDe = ["", "Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"];
    private static readonly string[] WeekdaysEn = ["", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
    private static readonly string[] MonthsEn = ["", "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

    /// <summary>"Dienstag, 1. Dezember 2026" or "Tuesday, 1 December 2026".</summary>
    public static string Date(LocalDate date, Language language) => language == Language.En
        ? $"{WeekdaysEn[(int)date.DayOfWeek]}, {date.Day} {MonthsEn[date.Month]} {date.Year}"
        : $"{WeekdaysDe[(int)date.DayOfWeek]}, {date.Day}. {MonthsDe[date.Month]} {date.Year}";
}
