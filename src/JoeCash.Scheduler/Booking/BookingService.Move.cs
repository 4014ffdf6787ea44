using System.Data.Common;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Invitations;
using JoeCash.Scheduler.Storage;
using Microsoft.Extensions.Logging;
using NodaTime;

namespace JoeCash.Scheduler.Booking;

/// <summary>Moving an appointment: to a new start on request, or to another technician when its own takes time off.</summary>
public sealed partial class BookingService
{
    /// <summary>Moves a booked appointment to a new start (and optionally another technician), if nobody changed it since <paramref name="expectedVersion"/>.</summary>
    public async Task<BookingOutcome> RescheduleAsync(long appointmentId, int expectedVersion, Instant newStart, string? technician, string actor, CancellationToken cancellationToken = default) =>
        Counted("reschedule", await Database.RetryAsync(() => RescheduleCoreAsync(appointmentId, expectedVersion, newStart, technician, actor, cancellationToken), cancellationToken).ConfigureAwait(false));

    private async Task<BookingOutcome> RescheduleCoreAsync(long appointmentId, int expectedVersion, Instant newStart, string? technician, string actor, CancellationToken cancellationToken)
    {
        var actorName = UserText.Required(actor, "actor", 100);
        if (!actorName.IsSuccess)
        {
            return new Refusal(RefusalKind.Invalid, actorName.Error!);
        }

        if (Beyond(newStart) is { } beyond)
        {
            return beyond;
        }

        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var writing = await Database.BeginWriteInTurnsAsync(connection, cancellationToken).ConfigureAwait(false);
        var transaction = writing.Transaction;
        var current = await connection.GetAppointmentAsync(appointmentId, transaction).ConfigureAwait(false);
        var unusable = Unusable(current, appointmentId, expectedVersion);
        if (unusable is not null)
        {
            return unusable;
        }

        var type = types.Find(current!.TypeKey).Value;
        var found = technician is null
            ? await Availability.TechnicianByIdAsync(connection, transaction, current.TechnicianId).ConfigureAwait(false)
            : await Availability.TechniciansForAsync(connection, transaction, type, technician).ConfigureAwait(false);
        if (!found.IsSuccess)
        {
            return new Refusal(RefusalKind.Invalid, found.Error!);
        }

        await Database.TakeTurnsAsync(connection, transaction, BookingTurns.Of(found.Value.Select(t => t.Id).Append(current.TechnicianId), current.CustomerId)).ConfigureAwait(false);
        await TechnicianVersions.CheckAsync(connection, transaction, found.Value).ConfigureAwait(false);
        var outcome = await MoveAsync(connection, transaction, current, expectedVersion, newStart, found.Value, actorName.Value, "rescheduled").ConfigureAwait(false);
        if (outcome.Refusal is not { } problem)
        {
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            signal.Ring();
            logger.LogInformation("Rescheduled appointment {AppointmentId} from {From} to {To}", appointmentId, current.Start, newStart);
            return outcome;
        }

        if (problem.Kind == RefusalKind.Stale)
        {
            return problem;
        }

        var alternatives = await choice.NearestAlternativesAsync(type, found.Value, newStart, current.CustomerId, appointmentId, cancellationToken).ConfigureAwait(false);
        return problem with { Alternatives = alternatives };
    }

    /// <summary>
    /// Moves <paramref name="current"/> to <paramref name="newStart"/> with the first of
    /// <paramref name="candidates"/> who is free then (least booked first), inside the caller's
    /// transaction: appointment, audit line, updated invitation and reminders, or a refusal and nothing written.
    /// </summary>
    internal async Task<BookingOutcome> MoveAsync(
        DbConnection connection, DbTransaction transaction, Appointment current, int expectedVersion, Instant newStart,
        IReadOnlyList<Technician> candidates, string actor, string action)
    {
        var type = types.ForStored(current.TypeKey);
        var time = new Interval(newStart, newStart + type.Duration);
        var shopBusy = (await connection.BookedForCustomerAsync(current.CustomerId, time, transaction).ConfigureAwait(false))
            .Where(a => a.Id != current.Id).Select(a => a.Time).ToArray();
        var (chosen, problem) = await choice.ChooseAsync(connection, transaction, candidates, type, time, shopBusy, current.Id).ConfigureAwait(false);
        if (chosen is null)
        {
            return Refusal.For(problem!);
        }

        var now = clock.GetCurrentInstant();
        var blocked = new Interval(time.Start - type.BufferBefore, time.End + type.BufferAfter);
        if (!await connection.MoveAppointmentAsync(current.Id, expectedVersion, chosen.Technician.Id, time, blocked, now, transaction).ConfigureAwait(false))
        {
            return ChangedMeanwhile(current.Id);
        }

        await connection.InsertAuditAsync(current.Id, now, actor, action, Details(new
        {
            fromTechnician = current.TechnicianId,
            toTechnician = chosen.Technician.Id,
            from = current.Start.ToString(),
            to = newStart.ToString(),
        }), transaction).ConfigureAwait(false);
        var moved = (await connection.GetAppointmentAsync(current.Id, transaction).ConfigureAwait(false))!;
        await invitations.EnqueueAsync(connection, transaction, InvitationKind.Update, moved, now, technician: chosen.Technician, previous: current).ConfigureAwait(false);
        await reminders.ReplanAsync(connection, transaction, moved, now).ConfigureAwait(false);
        return moved;
    }
}
