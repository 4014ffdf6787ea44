using System.Collections.Concurrent;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Domain.Availability;
using NodaTime;
using PublicHoliday;

namespace JoeCash.Scheduler.Holidays;

/// <summary>German public holidays per federal state, from the PublicHoliday library, cached per state and year.</summary>
public sealed class GermanHolidayCalendar : IHolidayCalendar
{
    private readonly ConcurrentDictionary<(FederalState, int), IReadOnlyDictionary<LocalDate, string>> _cache = new();

    public bool IsHoliday(FederalState state, LocalDate day) => HolidaysOf(state, day.Year).ContainsKey(day);

    public string? NameOf(FederalState state, LocalDate day) => HolidaysOf(state, day.Year).GetValueOrDefault(day);

    private IReadOnlyDictionary<LocalDate, string> HolidaysOf(FederalState state, int year) =>
        _cache.GetOrAdd((state, year), static key =>
        {
            var calendar = new GermanPublicHoliday { State = Enum.Parse<GermanPublicHoliday.States>(key.Item1.ToString()) };
            return calendar.PublicHolidayNames(key.Item2)
                .ToDictionary(h => LocalDate.FromDateTime(h.Key), h => h.Value);
        });
}
