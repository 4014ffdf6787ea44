using System.Collections.Frozen;
using System.Globalization;
using NodaTime;
using NodaTime.Text;

namespace JoeCash.Scheduler.Domain;

/// <summary>
/// A span of wall-clock time within one day, such as 08:00–12:00. An <see cref="End"/> of 00:00 means
/// the end of the day (written 24:00): an end is always after its start, so it cannot mean midnight before.
/// </summary>
public readonly record struct TimeWindow(LocalTime Start, LocalTime End)
{
    public bool EndsAtEndOfDay => End == LocalTime.Midnight;

    public int StartMinuteOfDay => (Start.Hour * 60) + Start.Minute;

    /// <summary>Minutes from the day's midnight to the end: 1440 for 24:00.</summary>
    public int EndMinuteOfDay => EndsAtEndOfDay ? 24 * 60 : (End.Hour * 60) + End.Minute;

    /// <summary>The end as a wall-clock date and time on <paramref name="date"/>: 24:00 is the next day's midnight.</summary>
    public LocalDateTime EndOn(LocalDate date) => EndsAtEndOfDay ? date.PlusDays(1).AtMidnight() : date.At(End);

    public override string ToString() =>
        $"{Start.ToString("HH:mm", CultureInfo.InvariantCulture)}-{(EndsAtEndOfDay ? "24:00" : End.ToString("HH:mm", CultureInfo.InvariantCulture))}";
}

/// <summary>
/// When a technician works, per day of the week, in their own time zone. Written as
/// "Mon-Fri 08:00-12:00,13:00-17:00; Sat 09:00-12:00" (German day names Mo–So work too).
/// </summary>
public sealed class WeeklyHours
{
    private static readonly LocalTimePattern TimePattern = LocalTimePattern.CreateWithInvariantCulture("HH:mm");

    private static readonly FrozenDictionary<string, IsoDayOfWeek> DayNames = new Dictionary<string, IsoDayOfWeek>(StringComparer.OrdinalIgnoreCase)
    {
        ["mon"] = IsoDayOfWeek.Monday, ["mo"] = IsoDayOfWeek.Monday,
        ["tue"] = IsoDayOfWeek.Tuesday, ["di"] = IsoDayOfWeek.Tuesday,
        ["wed"] = IsoDayOfWeek.Wednesday, ["mi"] = IsoDayOfWeek.Wednesday,
        ["thu"] = IsoDayOfWeek.Thursday, ["do"] = IsoDayOfWeek.Thursday,
        ["fri"] = IsoDayOfWeek.Friday, ["fr"] = IsoDayOfWeek.Friday,
        ["sat"] = IsoDayOfWeek.Saturday, ["sa"] = IsoDayOfWeek.Saturday,
        ["sun"] = IsoDayOfWeek.Sunday, ["so"] = IsoDayOfWeek.Sunday,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private readonly TimeWindow[][] _byDay; // index = (int)IsoDayOfWeek, 1..7

    private WeeklyHours(TimeWindow[][] byDay) => _byDay = byDay;

    /// <summary>Monday to Friday, 08:00–17:00: the default for a new technician.</summary>
    public static WeeklyHours OfficeHours { get; } = Parse("Mon-Fri 08:00-17:00").Value;

    /// <summary>The windows of one weekday, ordered and non-overlapping; empty on a day off.</summary>
    public IReadOnlyList<TimeWindow> On(IsoDayOfWeek day) => _byDay[(int)day];

    public bool IsWorkingDay(IsoDayOfWeek day) => _byDay[(int)day].Length > 0;

    /// <summary>The canonical text form, which <see cref="Parse"/> reads back.</summary>
    public override string ToString()
    {
        var parts = new List<string>();
        var day = 1;
        while (day <= 7)
        {
            var windows = _byDay[day];
            var last = day;
            while (last < 7 && windows.Length > 0 && _byDay[last + 1].SequenceEqual(windows))
            {
                last++;
            }

            if (windows.Length > 0)
            {
                var days = last == day ? ShortName(day) : $"{ShortName(day)}-{ShortName(last)}";
                parts.Add($"{days} {string.Join(',', windows)}");
            }

            day = last + 1;
        }

        return string.Join("; ", parts);
    }

    public static Result<WeeklyHours> Parse(string? text, string field = "working hours")
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Result.Fail<WeeklyHours>($"{field} are empty; write them like \"Mon-Fri 08:00-17:00; Sat 09:00-12:00\".");
        }

        var byDay = new List<TimeWindow>[8];
        for (var i = 0; i < byDay.Length; i++)
        {
            byDay[i] = [];
        }

        foreach (var rawPart in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var space = rawPart.IndexOf(' ', StringComparison.Ordinal);
            if (space < 0)
            {
                return Result.Fail<WeeklyHours>($"{field}: '{rawPart}' needs days and times, like \"Mon-Fri 08:00-17:00\".");
            }

            var days = ParseDays(rawPart[..space], field);
            if (!days.IsSuccess)
            {
                return Result.Fail<WeeklyHours>(days.Error!);
            }

            foreach (var rawWindow in rawPart[(space + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var window = ParseWindow(rawWindow, field);
                if (!window.IsSuccess)
                {
                    return Result.Fail<WeeklyHours>(window.Error!);
                }

                foreach (var day in days.Value)
                {
                    byDay[(int)day].Add(window.Value);
                }
            }
        }

        var result = new TimeWindow[8][];
        result[0] = [];
        for (var day = 1; day <= 7; day++)
        {
            var ordered = byDay[day].OrderBy(w => w.Start).ToArray();
            for (var i = 1; i < ordered.Length; i++)
            {
                if (ordered[i].StartMinuteOfDay < ordered[i - 1].EndMinuteOfDay)
                {
                    return Result.Fail<WeeklyHours>($"{field}: on {ShortName(day)} the windows {ordered[i - 1]} and {ordered[i]} overlap.");
                }
            }

            result[day] = ordered;
        }

        return new WeeklyHours(result);
    }

    private static Result<IsoDayOfWeek[]> ParseDays(string text, string field)
    {
        var ends = text.Split('-', StringSplitOptions.TrimEntries);
        if (ends.Length is < 1 or > 2 || ends.Any(e => !DayNames.ContainsKey(e)))
        {
            return Result.Fail<IsoDayOfWeek[]>($"{field}: '{text}' is not a day or day range (Mon..Sun or Mo..So, e.g. \"Mon-Fri\").");
        }

        var first = (int)DayNames[ends[0]];
        var last = (int)DayNames[ends[^1]];
        return last < first
            ? Result.Fail<IsoDayOfWeek[]>($"{field}: the day range '{text}' runs backwards.")
            : Enumerable.Range(first, last - first + 1).Select(d => (IsoDayOfWeek)d).ToArray();
    }

    private static Result<TimeWindow> ParseWindow(string text, string field)
    {
        var ends = text.Split('-', StringSplitOptions.TrimEntries);
        if (ends.Length != 2)
        {
            return Result.Fail<TimeWindow>($"{field}: '{text}' is not a time window like 08:00-17:00.");
        }

        var start = TimePattern.Parse(ends[0]);
        // A day's end is 24:00 (ISO 8601); LocalTime has no 24:00, so it is kept as the midnight that ends the day.
        var end = ends[1] == "24:00" ? ParseResult<LocalTime>.ForValue(LocalTime.Midnight) : TimePattern.Parse(ends[1]);
        if (!start.Success || !end.Success)
        {
            return Result.Fail<TimeWindow>($"{field}: '{text}' is not a time window like 08:00-17:00 (24-hour clock, HH:mm, 24:00 for the end of the day).");
        }

        var window = new TimeWindow(start.Value, end.Value);
        var endWrittenAsMidnight = ends[1] != "24:00" && end.Value == LocalTime.Midnight; // "08:00-00:00": write 24:00
        return endWrittenAsMidnight || window.EndMinuteOfDay <= window.StartMinuteOfDay
            ? Result.Fail<TimeWindow>($"{field}: in '{text}' the end is not after the start.")
            : window;
    }

    private static string ShortName(int day) => ((IsoDayOfWeek)day).ToString()[..3];
}
