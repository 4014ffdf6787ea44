using System.Globalization;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Domain.Availability;

namespace JoeCash.Scheduler.Booking;

/// <summary>
/// A change to a technician as typed: a null field keeps its value. <see cref="ClearDailyCap"/> removes the cap;
/// <see cref="Active"/> false takes the technician off every new booking (their history stays).
/// <see cref="ExpectedVersion"/>: the version the editor read (a form, an API client); refused if it changed since.
/// </summary>
public sealed record TechnicianEdit(
    string? Name = null,
    string? Email = null,
    string? Zone = null,
    string? State = null,
    string? Hours = null,
    string? Types = null,
    int? DailyCap = null,
    bool ClearDailyCap = false,
    bool? Active = null,
    int? ExpectedVersion = null);

/// <summary>
/// A booked appointment still ahead that the changed technician could not take as booked: why, as the slot engine
/// would refuse it (<see cref="Why"/>, for a face's own words) and in plain words (<see cref="Reason"/>).
/// </summary>
public sealed record TechnicianMisfit(TimeOffCollision Booked, SlotRejection Why, string Reason)
{
    /// <summary>"7 Tue 2027-02-02 10:00–11:00 Europe/Berlin, Bäckerei Müller (K1): Anna would be inactive" (a list joins them).</summary>
    public override string ToString() => $"{Booked}: {Reason.TrimEnd('.')}";
}

/// <summary>
/// What an edit did: the technician as saved, or why nothing was saved. <see cref="NeedsChoice"/>: the change is
/// valid but booked appointments ahead would no longer fit it (<see cref="Misfits"/>); saved only when told to keep them.
/// </summary>
public sealed record TechnicianEditOutcome(Technician? Saved, string? Refusal, IReadOnlyList<TechnicianMisfit> Misfits)
{
    public bool Succeeded => Saved is not null;

    /// <summary>Refused because the technician changed since the editor read them (<see cref="TechnicianEdit.ExpectedVersion"/>).</summary>
    public bool Stale { get; init; }

    /// <summary>Refused because there is no such technician.</summary>
    public bool NotFound { get; init; }

    public bool NeedsChoice => Saved is null && Misfits.Count > 0;

    public static TechnicianEditOutcome Refused(string refusal) => new(null, refusal, []);
}

/// <summary>Which booked appointments ahead a changed technician could no longer take as booked.</summary>
public static class TechnicianMisfits
{
    /// <summary>
    /// Each of <paramref name="ahead"/> (the technician's booked appointments that have not ended) that the
    /// <paramref name="changed"/> technician would not take: inactive, a type they no longer take, outside their
    /// working time (hours, working days, public holidays of their state, in their zone), or over their daily cap.
    /// </summary>
    public static IReadOnlyList<(Appointment Appointment, SlotProblem Problem)> Find(Technician changed, IReadOnlyList<Appointment> ahead, IHolidayCalendar holidays)
    {
        ArgumentNullException.ThrowIfNull(changed);
        ArgumentNullException.ThrowIfNull(ahead);
        var misfits = new List<(Appointment Appointment, SlotProblem Problem)>();
        foreach (var appointment in ahead)
        {
            var problem = !changed.Active
                ? new SlotProblem(SlotRejection.TechnicianInactive, $"{changed.Name} would be inactive.")
                : !changed.Takes(appointment.TypeKey)
                    ? new SlotProblem(SlotRejection.TypeNotTaken, $"{changed.Name} would no longer take '{appointment.TypeKey}' appointments.")
                    : SlotEngine.WorkingTimeProblem(changed, holidays, appointment.Time.Start, appointment.Time.End);
            if (problem is not null)
            {
                misfits.Add((appointment, problem));
            }
        }

        if (changed.DailyCap is { } cap && changed.Active)
        {
            var fitting = ahead.Where(a => misfits.All(m => m.Appointment.Id != a.Id));
            foreach (var day in fitting.GroupBy(a => a.Time.Start.InZone(changed.Zone).Date).Where(d => d.Count() > cap))
            {
                var text = day.Key.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                misfits.AddRange(day.OrderBy(a => a.Time.Start).Skip(cap)
                    .Select(a => (a, new SlotProblem(SlotRejection.DailyCapReached, $"{day.Count()} appointments on {text}, over the daily cap of {cap}."))));
            }
        }

        return [.. misfits.OrderBy(m => m.Appointment.Time.Start).ThenBy(m => m.Appointment.Id)];
    }
}
