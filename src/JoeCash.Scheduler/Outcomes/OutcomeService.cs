using System.Globalization;
using System.Text.Json;
using JoeCash.Scheduler.Booking;
using JoeCash.Scheduler.Customers;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Storage;
using Microsoft.Extensions.Logging;
using NodaTime;

namespace JoeCash.Scheduler.Outcomes;

/// <summary>
/// Records what became of an appointment once it has begun: done (with the minutes it took), a no-show, or a follow-up,
/// which is booked through <see cref="BookingService"/> (every booking rule, the shop's invitation) and linked to the
/// first. Never for an appointment that has not begun or was cancelled; a change of an outcome leaves an audit line
/// with what it was and what it is now.
/// </summary>
public sealed class OutcomeService(Database database, BookingService booking, IClock clock, ILogger<OutcomeService> logger)
{
    public const int NoteLength = 4000;

    public const int MostMinutes = 1440;

    public Task<OutcomeResult> RecordAsync(OutcomeRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return RecordCoreAsync(request, cancellationToken);
    }

    private async Task<OutcomeResult> RecordCoreAsync(OutcomeRequest request, CancellationToken cancellationToken)
    {
        var actor = UserText.Required(request.Actor, "actor", 100);
        var note = UserText.Note(request.Note, "note", NoteLength);
        if (!actor.IsSuccess || !note.IsSuccess)
        {
            return Bad(actor.Error ?? note.Error!);
        }

        if (request.Minutes is { } given && (request.Kind != OutcomeKind.Done || given is < 1 or > MostMinutes))
        {
            return Bad(request.Kind != OutcomeKind.Done
                ? "minutes: only a session that was done has minutes."
                : $"minutes: {given} is not between 1 and {MostMinutes}.");
        }

        if ((request.Kind == OutcomeKind.FollowUp) != (request.FollowUp is not null))
        {
            return Bad(request.Kind == OutcomeKind.FollowUp ? "follow-up: the start of the follow-up is required." : "follow-up: a start is only given for a follow-up.");
        }

        Appointment? appointment;
        Customer? customer;
        AppointmentOutcome? before;
        await using (var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false))
        {
            appointment = await connection.GetAppointmentAsync(request.AppointmentId).ConfigureAwait(false);
            if (Refused(appointment, request) is { } refused)
            {
                return refused;
            }

            customer = (await connection.CustomersByIdAsync([appointment!.CustomerId]).ConfigureAwait(false))[appointment.CustomerId];
            before = await connection.OutcomeOfAsync(appointment.Id).ConfigureAwait(false);
        }

        long? followUpId = null;
        if (request.FollowUp is { } followUp)
        {
            if (before?.FollowUpId is { } existing && (await booking.ReadAsync(existing, cancellationToken).ConfigureAwait(false))?.Status == AppointmentStatus.Booked)
            {
                return new OutcomeRefusal(OutcomeRefusalCode.FollowUpExists,
                    $"appointment {appointment.Id} already has its follow-up, appointment {existing}; move or cancel that one instead.");
            }

            var booked = await booking.BookAsync(new BookingRequest(
                customer.Number,
                followUp.Type ?? appointment.TypeKey,
                followUp.Technician ?? appointment.TechnicianId.ToString(CultureInfo.InvariantCulture),
                followUp.Start,
                appointment.Notes,
                followUp.AcknowledgeCost,
                actor.Value), cancellationToken).ConfigureAwait(false);
            if (booked.Refusal is { } refusal)
            {
                return new OutcomeRefusal(OutcomeRefusalCode.FollowUpRefused, $"the follow-up was not booked: {refusal.Message}") { Booking = refusal };
            }

            followUpId = booked.Appointment!.Id;
        }

        var now = clock.GetCurrentInstant();
        var outcome = new AppointmentOutcome
        {
            AppointmentId = appointment.Id,
            Kind = request.Kind,
            Minutes = request.Kind == OutcomeKind.Done ? request.Minutes ?? PlannedMinutes(appointment) : null,
            Note = note.Value,
            FollowUpId = followUpId,
            RecordedAt = now,
            RecordedBy = actor.Value,
        };
        var result = await Database.RetryAsync(() => WriteAsync(outcome, request, cancellationToken), cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded && followUpId is { } orphan)
        {
            logger.LogWarning("Outcome of appointment {AppointmentId} not recorded ({Reason}); its follow-up {FollowUpId} stays booked", appointment.Id, result.Refusal!.Message, orphan);
        }

        return result;
    }

    private async Task<OutcomeResult> WriteAsync(AppointmentOutcome outcome, OutcomeRequest request, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var writing = await Database.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        var transaction = writing.Transaction;
        // Read again inside the transaction: cancelled or moved into the future meanwhile refuses here too.
        var appointment = await connection.GetAppointmentAsync(outcome.AppointmentId, transaction).ConfigureAwait(false);
        if (Refused(appointment, request) is { } refused)
        {
            return refused;
        }

        var before = await connection.OutcomeOfAsync(outcome.AppointmentId, transaction).ConfigureAwait(false);
        await connection.SaveOutcomeAsync(outcome, transaction).ConfigureAwait(false);
        var now = outcome.RecordedAt;
        if (before is null)
        {
            await connection.InsertAuditAsync(outcome.AppointmentId, now, outcome.RecordedBy, "outcome", Details(Describe(outcome)), transaction).ConfigureAwait(false);
        }
        else
        {
            await connection.InsertAuditAsync(outcome.AppointmentId, now, outcome.RecordedBy, "outcome-changed",
                Details(new { from = Describe(before), to = Describe(outcome) }), transaction).ConfigureAwait(false);
        }

        if (outcome.FollowUpId is { } followUpId)
        {
            await connection.InsertAuditAsync(followUpId, now, outcome.RecordedBy, "follow-up-of", Details(new { appointment = outcome.AppointmentId }), transaction).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Outcome of appointment {AppointmentId}: {Outcome}{Changed}", outcome.AppointmentId, outcome.Kind.Code(), before is null ? "" : " (changed)");
        return new OutcomeResult(outcome, null) { Changed = before is not null };
    }

    /// <summary>Why no outcome may be recorded for <paramref name="appointment"/> now, or null.</summary>
    private OutcomeRefusal? Refused(Appointment? appointment, OutcomeRequest request)
    {
        if (appointment is null || (request.OnlyTechnicianId is { } technician && appointment.TechnicianId != technician))
        {
            return new OutcomeRefusal(OutcomeRefusalCode.NotFound, $"appointment: there is no appointment {request.AppointmentId}.");
        }

        if (appointment.Status == AppointmentStatus.Cancelled)
        {
            return new OutcomeRefusal(OutcomeRefusalCode.Cancelled, $"appointment {appointment.Id} is cancelled: a cancelled appointment has no outcome.");
        }

        var now = clock.GetCurrentInstant();
        return now < appointment.Start
            ? new OutcomeRefusal(OutcomeRefusalCode.NotBegun,
                $"appointment {appointment.Id} has not begun (it starts at {appointment.Start}): an outcome is recorded once it has begun.")
            : null;
    }

    /// <summary>What the appointment was planned to take, in whole minutes.</summary>
    public static int PlannedMinutes(Appointment appointment)
    {
        ArgumentNullException.ThrowIfNull(appointment);
        return (int)Math.Clamp((appointment.End - appointment.Start).TotalMinutes, 1, MostMinutes);
    }

    private static OutcomeRefusal Bad(string message) => new(OutcomeRefusalCode.BadInput, message);

    private static object Describe(AppointmentOutcome o) => new { outcome = o.Kind.Code(), minutes = o.Minutes, note = o.Note, followUp = o.FollowUpId };

    private static string Details(object details) => JsonSerializer.Serialize(details);
}
