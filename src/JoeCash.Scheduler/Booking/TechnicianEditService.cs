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
/// Changes a technician in one transaction that holds the technician's booking turn from its first read, and raises
/// their version. A booking that read the technician before the change compares that version once it holds the turn,
/// and runs again on what was saved (<see cref="TechnicianVersions"/>). Booked appointments are never moved by an edit.
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
    /// booked appointments ahead that fit the technician now outside what they take (inactive, type, working time,
    /// daily cap), nothing is saved and the outcome lists them, unless <paramref name="keepMisfits"/> says to save and
    /// leave them booked.
    /// </summary>
    public Task<TechnicianEditOutcome> EditAsync(
        long id, TechnicianEdit edit, bool keepMisfits, TechnicianLabels? labels = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(edit);
        return Database.RetryAsync(() => EditCoreAsync(id, edit, keepMisfits, labels ?? TechnicianLabels.Plain, cancellationToken), cancellationToken);
    }

    private async Task<TechnicianEditOutcome> EditCoreAsync(long id, TechnicianEdit edit, bool keepMisfits, TechnicianLabels labels, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var writing = await Database.BeginWriteInTurnsAsync(connection, cancellationToken).ConfigureAwait(false);
        var transaction = writing.Transaction;
        await Database.TakeTurnsAsync(connection, transaction, BookingTurns.OfTechnicians([id])).ConfigureAwait(false);
        var found = await connection.FindTechnicianAsync(id, transaction).ConfigureAwait(false);
        if (!found.IsSuccess)
        {
            return TechnicianEditOutcome.Refused(found.Error!) with { NotFound = true };
        }

        var current = found.Value;
        if (edit.ExpectedVersion is { } expected && expected != current.Version)
        {
            return TechnicianEditOutcome.Refused(
                $"technician {id} is at version {current.Version}, not {expected}: someone changed it since you read it. Read it again and retry.") with { Stale = true };
        }

        // For a new technician an empty zone or type list means "the default"; in an edit it would silently reset one.
        if (edit.Zone is { } zone && string.IsNullOrWhiteSpace(zone))
        {
            return TechnicianEditOutcome.Refused($"{labels.Zone}: give an IANA time zone id (e.g. Europe/Berlin); it is empty.");
        }

        if (edit.Types is { } typeList && string.IsNullOrWhiteSpace(typeList))
        {
            return TechnicianEditOutcome.Refused(
                $"{labels.Types}: choose at least one type; a technician who takes none gets no appointments (to stop that, deactivate them).");
        }

        var input = TechnicianInput.Check(Merged(current, edit), labels, types, options.Value.TimeZone);
        if (!input.IsSuccess)
        {
            return TechnicianEditOutcome.Refused(input.Error!);
        }

        var valid = input.Value;
        if (await connection.TechnicianByEmailAsync(valid.Email, transaction).ConfigureAwait(false) is { } holder && holder.Id != id)
        {
            return EmailTaken(labels, valid.Email, holder);
        }

        var changed = new Technician(id, valid.Name, valid.Email, valid.Zone, valid.State, valid.Hours,
            valid.AppointmentTypes.ToHashSet(StringComparer.OrdinalIgnoreCase), valid.DailyCap, edit.Active ?? current.Active) { Version = current.Version };
        var now = clock.GetCurrentInstant();
        var ahead = await connection.BookedOfTechnicianDuringAsync(id, new Interval(now, now + Ahead), now, transaction).ConfigureAwait(false);
        var misfits = await MisfitsAsync(connection, transaction, current, changed, ahead).ConfigureAwait(false);
        if (misfits.Count > 0 && !keepMisfits)
        {
            return new TechnicianEditOutcome(null,
                $"{misfits.Count} booked appointment(s) of {current.Name} ahead would no longer fit the change: {string.Join("; ", misfits)}. Nothing was saved.",
                misfits);
        }

        try
        {
            if (!await connection.UpdateTechnicianAsync(changed, transaction).ConfigureAwait(false))
            {
                throw new ChangedMeanwhileException($"technician {id} changed while this edit held its turn");
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (System.Data.Common.DbException e) when (Database.UniqueViolation(e))
        {
            // PostgreSQL: another technician took the address after the check above (an edit in another technician's turn).
            return EmailTaken(labels, valid.Email, holder: null);
        }

        logger.LogInformation("Changed technician {TechnicianId}; {Kept} booked appointment(s) ahead kept outside the new terms", id, misfits.Count);
        return new TechnicianEditOutcome(changed with { Version = current.Version + 1 }, null, misfits);
    }

    /// <summary>The booked appointments ahead that fit the technician as they are but not as changed, with their shops.</summary>
    private async Task<IReadOnlyList<TechnicianMisfit>> MisfitsAsync(
        System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, Technician current, Technician changed, IReadOnlyList<Appointment> ahead)
    {
        var before = TechnicianMisfits.Find(current, ahead, holidays).Select(m => m.Appointment.Id).ToHashSet();
        var unfit = TechnicianMisfits.Find(changed, ahead, holidays).Where(m => !before.Contains(m.Appointment.Id)).ToArray();
        if (unfit.Length == 0)
        {
            return [];
        }

        var shops = await connection.CustomersByIdAsync(unfit.Select(m => m.Appointment.CustomerId), transaction).ConfigureAwait(false);
        return [.. unfit.Select(m => new TechnicianMisfit(new TimeOffCollision(m.Appointment, shops[m.Appointment.CustomerId], changed.Zone), m.Problem.Reason, m.Problem.Message))];
    }

    private static TechnicianEditOutcome EmailTaken(TechnicianLabels labels, string email, Technician? holder) => TechnicianEditOutcome.Refused(holder is null
        ? $"{labels.Email}: another technician already has {email}."
        : $"{labels.Email}: technician {holder.Id} ({holder.Name}) already has {email}.");

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
