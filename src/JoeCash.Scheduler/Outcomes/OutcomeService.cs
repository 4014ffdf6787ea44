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

        var now = clock.GetCurrentInstant();
        var outcome = new AppointmentOutcome
        {
            AppointmentId = appointment.Id,
            Kind = request.Kind,
            Minutes = request.Kind == OutcomeKind.Done ? request.Minutes ?? PlannedMinutes(appointment) : null,
            Note = note.Value,
            RecordedAt = now,
            RecordedBy = actor.Value,
        };
        if (request.FollowUp is not { } followUp)
        {
            return await Database.RetryAsync(() => WriteAsync(outcome, request, cancellationToken), cancellationToken).ConfigureAwait(false);
        }

        if (before?.FollowUpId is { } existing && (await booking.ReadAsync(existing, cancellationToken).ConfigureAwait(false))?.Status == AppointmentStatus.Booked)
        {
            return new OutcomeRefusal(OutcomeRefusalCode.FollowUpExists,
                $"appointment {appointment.Id} already has its follow-up, appointment {existing}; move or cancel that one instead.");
        }

        // The follow-up and the outcome that links it commit together: the outcome is written in the booking's transaction.
        OutcomeResult? written = null;
        var booked = await booking.BookAsync(new BookingRequest(
            customer.Number,
            followUp.Type ?? appointment.TypeKey,
            followUp.Technician ?? appointment.TechnicianId.ToString(CultureInfo.InvariantCulture),
            followUp.Start,
            appointment.Notes,
            followUp.AcknowledgeCost,
            actor.Value)
        {
            Alongside = async write =>
            {
                written = await WriteInAsync(write.Connection, write.Transaction, outcome with { FollowUpId = write.Appointment.Id }, request).ConfigureAwait(false);
                return written.Refusal?.Message;
            },
        }, cancellationToken).ConfigureAwait(false);
        return booked.Refusal switch
        {
            null => Logged(written!),
            { Code: RefusalCode.NotWrittenAlongside } => written!,
            { } refusal => new OutcomeRefusal(OutcomeRefusalCode.FollowUpRefused, $"the follow-up was not booked: {refusal.Message}") { Booking = refusal },
        };
    }

    private async Task<OutcomeResult> WriteAsync(AppointmentOutcome outcome, OutcomeRequest request, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var writing = await Database.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        var result = await WriteInAsync(connection, writing.Transaction, outcome, request).ConfigureAwait(false);
        if (result.Succeeded)
        {
            await writing.Transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        return Logged(result);
    }

    /// <summary>The outcome and its audit lines, in <paramref name="transaction"/>; the caller commits when it succeeded.</summary>
    private async Task<OutcomeResult> WriteInAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, AppointmentOutcome outcome, OutcomeRequest request)
    {
        // Read again inside the transaction: cancelled or moved into the future meanwhile refuses here too.
        var appointment = await connection.GetAppointmentAsync(outcome.AppointmentId, transaction).ConfigureAwait(false);
        if (Refused(appointment, request) is { } refused)
        {
            return refused;
        }

        var before = await connection.OutcomeOfAsync(outcome.AppointmentId, transaction).ConfigureAwait(false);
        if (before?.FollowUpId is { } linked && outcome.FollowUpId != linked
            && (await connection.GetAppointmentAsync(linked, transaction).ConfigureAwait(false))?.Status == AppointmentStatus.Booked)
        {
            // Another outcome would leave the shop invited to a follow-up nobody asked for any more.
            return new OutcomeRefusal(OutcomeRefusalCode.FollowUpExists,
                $"appointment {outcome.AppointmentId} has its follow-up, appointment {linked}, still booked; cancel that one first, then record another outcome.");
        }

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

        return new OutcomeResult(outcome, null) { Changed = before is not null };
    }

    private OutcomeResult Logged(OutcomeResult result)
    {
        if (result.Outcome is { } outcome)
        {
            logger.LogInformation("Outcome of appointment {AppointmentId}: {Outcome}{FollowUp}{Changed}", outcome.AppointmentId, outcome.Kind.Code(),
                outcome.FollowUpId is { } id ? $" (follow-up {id})" : "", result.Changed ? " (changed)" : "");
        }

        return result;
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
