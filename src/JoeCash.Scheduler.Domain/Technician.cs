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
    /// <summary>Raised by each edit: a form or a booking that read an older one knows the technician changed since.</summary>
    public int Version { get; init; } = 1;

    public bool Takes(string typeKey) => AppointmentTypes.Contains(typeKey);
}
