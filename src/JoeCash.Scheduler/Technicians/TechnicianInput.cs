using JoeCash.Scheduler.Configuration;
using JoeCash.Scheduler.Domain;
using NodaTime;

namespace JoeCash.Scheduler.Technicians;

/// <summary>What an administrator enters for a new technician, checked field by field.</summary>
public sealed record NewTechnician(
    string Name,
    string Email,
    DateTimeZone Zone,
    FederalState State,
    WeeklyHours Hours,
    IReadOnlyList<string> AppointmentTypes,
    int? DailyCap);

/// <summary>A new technician as typed: text not yet checked; null means "take the default".</summary>
public sealed record TechnicianForm(string? Name, string? Email, string? Zone, string? State, string? Hours, string? Types, int? DailyCap);

/// <summary>
/// The words a face uses for each field in its refusals: plain words by default; a command line passes its
/// option names so that its user reads what to change.
/// </summary>
public sealed record TechnicianLabels(
    string Name = "name",
    string Email = "email",
    string Zone = "time zone",
    string State = "federal state",
    string Hours = "working hours",
    string Types = "appointment types",
    string DailyCap = "daily cap")
{
    public static TechnicianLabels Plain { get; } = new();
}

/// <summary>Checks a <see cref="TechnicianForm"/>: every field, against the configured types and the default zone.</summary>
public static class TechnicianInput
{
    /// <summary>The checked technician, or the first refusal, worded with <paramref name="labels"/>.</summary>
    public static Result<NewTechnician> Check(TechnicianForm form, TechnicianLabels labels, AppointmentTypeCatalog types, string defaultZone)
    {
        ArgumentNullException.ThrowIfNull(form);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(types);
        var name = UserText.Required(form.Name, labels.Name, 100);
        var email = UserText.Email(form.Email, labels.Email);
        var zoneId = string.IsNullOrWhiteSpace(form.Zone) ? defaultZone : form.Zone.Trim();
        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(zoneId);
        var state = FederalStates.Parse(form.State, labels.State);
        var hours = form.Hours is null ? WeeklyHours.OfficeHours : WeeklyHours.Parse(form.Hours, labels.Hours);
        var typeKeys = string.IsNullOrWhiteSpace(form.Types)
            ? types.All.Select(t => t.Key).ToArray()
            : form.Types.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var unknownType = typeKeys.Select(k => types.Find(k, labels.Types)).FirstOrDefault(r => !r.IsSuccess);
        var error = name.Error ?? email.Error ?? (zone is null ? $"{labels.Zone}: '{zoneId}' is not an IANA time zone id (e.g. Europe/Berlin)." : null)
            ?? state.Error ?? hours.Error ?? unknownType.Error
            ?? (form.DailyCap is <= 0 ? $"{labels.DailyCap} must be at least 1." : null);
        return error is not null
            ? Result.Fail<NewTechnician>(error)
            : new NewTechnician(name.Value, email.Value, zone!, state.Value, hours.Value, [.. typeKeys.Select(k => types.Find(k).Value.Key)], form.DailyCap);
    }
}
