using JoeCash.Scheduler.Configuration;
using JoeCash.Scheduler.Customers;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Domain.Availability;
using JoeCash.Scheduler.Storage;
using JoeCash.Scheduler.Technicians;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;

namespace JoeCash.Scheduler.Booking;

/// <summary>
/// Changes a technician in one transaction, in the technician's booking turn: a booking for them waits until the
/// change is saved and then sees it. Booked appointments are never moved by an edit; see <see cref="EditAsync"/>.
/// </summary>
public sealed class TechnicianEditService(
    Database database,
    AppointmentTypeCatalog types,
    IHolidayCalendar holidays,
    IOptions<SchedulerOptions> options,
    IClock clock,
    ILogger<TechnicianEditService> logger)
{
    /// <summary>How far ahead an edit looks for booked appointments (longer than any booking horizon).</summary>
    private static readonly Duration Ahead = Duration.FromDays(366 * 20);

    /// <summary>
    /// Changes technician <paramref name="id"/>: the fields of <paramref name="edit"/> that are set, checked as
    /// <c>technician add</c> checks them (refusals worded with <paramref name="labels"/>). If the change would leave
    /// booked appointments ahead outside what the technician takes (inactive, type, working time, daily cap), nothing
    /// is saved and the outcome lists them, unless <paramref name="keepMisfits"/> says to save and leave them booked.
    /// </summary>
    public async Task<TechnicianEditOutcome> EditAsync(
        long id, TechnicianEdit edit, bool keepMisfits, TechnicianLabels? labels = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(edit);
        labels ??= TechnicianLabels.Plain;
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var writing = await Database.BeginWriteInTurnsAsync(connection, cancellationToken).ConfigureAwait(false);
        var transaction = writing.Transaction;
        var found = await connection.FindTechnicianAsync(id, transaction).ConfigureAwait(false);
        if (!found.IsSuccess)
        {
            return TechnicianEditOutcome.Refused(found.Error!);
        }

        var current = found.Value;
        var input = TechnicianInput.Check(Merged(current, edit), labels, types, options.Value.TimeZone);
        if (!input.IsSuccess)
        {
            return TechnicianEditOutcome.Refused(input.Error!);
        }

        var valid = input.Value;
        if (await connection.TechnicianByEmailAsync(valid.Email, transaction).ConfigureAwait(false) is { } holder && holder.Id != id)
        {
            return TechnicianEditOutcome.Refused($"{labels.Email}: technician {holder.Id} ({holder.Name}) already has {valid.Email}.");
        }

        var changed = new Technician(id, valid.Name, valid.Email, valid.Zone, valid.State, valid.Hours,
            valid.AppointmentTypes.ToHashSet(StringComparer.OrdinalIgnoreCase), valid.DailyCap, edit.Active ?? current.Active);
        await Database.TakeTurnsAsync(connection, transaction, BookingTurns.OfTechnicians([id])).ConfigureAwait(false);
        var now = clock.GetCurrentInstant();
        var ahead = await connection.BookedOfTechnicianDuringAsync(id, new Interval(now, now + Ahead), now, transaction).ConfigureAwait(false);
        var unfit = TechnicianMisfits.Find(changed, ahead, holidays);
        var customers = await connection.CustomersByIdAsync(unfit.Select(m => m.Appointment.CustomerId), transaction).ConfigureAwait(false);
        TechnicianMisfit[] misfits = [.. unfit.Select(m => new TechnicianMisfit(new TimeOffCollision(m.Appointment, customers[m.Appointment.CustomerId], changed.Zone), m.Problem.Reason, m.Problem.Message))];
        if (misfits.Length > 0 && !keepMisfits)
        {
            return new TechnicianEditOutcome(null,
                $"{misfits.Length} booked appointment(s) of {current.Name} ahead would no longer fit the change: {string.Join("; ", misfits)}. Nothing was saved.",
                misfits);
        }

        await connection.UpdateTechnicianAsync(changed, transaction).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Changed technician {TechnicianId}; {Kept} booked appointment(s) ahead kept outside the new terms", id, misfits.Length);
        return new TechnicianEditOutcome(changed, null, misfits);
    }

    /// <summary>The technician as stored with the edit's set fields over it, as text for <see cref="TechnicianInput.Check"/>.</summary>
    private static TechnicianForm Merged(Technician current, TechnicianEdit edit) => new(
        edit.Name ?? current.Name,
        edit.Email ?? current.Email,
        edit.Zone ?? current.Zone.Id,
        edit.State ?? current.State.ToString(),
        edit.Hours ?? current.Hours.ToString(),
        edit.Types ?? string.Join(',', current.AppointmentTypes.Order(StringComparer.Ordinal)),
        edit.ClearDailyCap ? null : edit.DailyCap ?? current.DailyCap);
}
