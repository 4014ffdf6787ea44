using JoeCash.Scheduler.Domain;

namespace JoeCash.Scheduler.Technicians;

/// <summary>A technician as a script or an API client reads it.</summary>
public sealed record TechnicianRecord(
    long Id,
    string Name,
    string Email,
    string TimeZone,
    string FederalState,
    string Hours,
    IReadOnlyList<string> Types,
    int? DailyCap,
    bool Active,
    int Version)
{
    public static TechnicianRecord From(Technician technician)
    {
        ArgumentNullException.ThrowIfNull(technician);
        return new(technician.Id, technician.Name, technician.Email, technician.Zone.Id, technician.State.ToString(), technician.Hours.ToString(),
            [.. technician.AppointmentTypes.Order(StringComparer.Ordinal)], technician.DailyCap, technician.Active, technician.Version);
    }
}

/// <summary>A technician just added, as a script reads it.</summary>
public sealed record TechnicianAdded(long Id, string Name, string Email)
{
    public static TechnicianAdded From(Technician technician)
    {
        ArgumentNullException.ThrowIfNull(technician);
        return new(technician.Id, technician.Name, technician.Email);
    }
}
