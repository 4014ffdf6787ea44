using NodaTime;

namespace JoeCash.Scheduler.Domain.Availability;

/// <summary>Public holidays per German federal state; the executable backs it with a maintained holiday library.</summary>
public interface IHolidayCalendar
{
    bool IsHoliday(FederalState state, LocalDate day);

    /// <summary>The holiday's German name, or null on a working day.</summary>
    string? NameOf(FederalState state, LocalDate day);
}
