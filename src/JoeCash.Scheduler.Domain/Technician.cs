using NodaTime;

namespace JoeCash.Scheduler.Domain;

/// <summary>A support technician: where they are (time zone, federal state for holidays), when they work, what they take.</summary>
public sealed record Technician(
    long Id,
    string Name,
    string Email,
    DateTimeZone Zone,
    FederalState State,
    WeeklyHours Hours,
    IReadOnlySet<string> AppointmentTypes,
    int? DailyCap,
    bool Active)
{
    public bool Takes(string typeKey) => AppointmentTypes.Contains(typeKey);
}
