using System.Data.Common;
using System.Text.Json;
using JoeCash.Scheduler.Booking;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Invitations;
using JoeCash.Scheduler.Storage;
using Microsoft.Extensions.Logging;
using NodaTime;

namespace JoeCash.Scheduler.Replies;

/// <summary>
/// A dispatcher's decision on a shop's counter-proposal: accepting it is the normal reschedule (updated
/// invitation, SEQUENCE + 1, reminders moved) in the same transaction that closes the request; declining
/// it sends the shop METHOD:DECLINECOUNTER and the appointment stays. Either happens once.
/// </summary>
public sealed class ProposalService(
    Database database,
    BookingService booking,
    InvitationOutbox invitations,
    AnswerAlerts alerts,
    IClock clock,
    ILogger<ProposalService> logger)
{
    public async Task<IReadOnlyList<RescheduleRequest>> ListAsync(bool openOnly, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ListRequestsAsync(openOnly, limit).ConfigureAwait(false);
    }

    /// <summary>Moves the appointment to the proposed time with its own technician, if free then; the request is accepted with it.</summary>
    public Task<BookingOutcome> AcceptAsync(long requestId, string actor, CancellationToken cancellationToken = default) =>
        DecideAsync(requestId, actor, async (connection, transaction, request, current, by) =>
        {
            var technician = await Availability.TechnicianByIdAsync(connection, transaction, current.TechnicianId).ConfigureAwait(false);
            if (!technician.IsSuccess)
            {
                return new Refusal(RefusalKind.Invalid, technician.Error!);
            }

            var outcome = await booking.MoveAsync(connection, transaction, current, current.Version, request.ProposedStart, technician.Value, by, "rescheduled").ConfigureAwait(false);
            if (!outcome.Succeeded)
            {
                return outcome.Refusal! with { Message = $"proposal {requestId} cannot be accepted: {outcome.Refusal!.Message}" };
            }

            await CloseAsync(connection, transaction, request, current, "accepted", by).ConfigureAwait(false);
            logger.LogInformation("Accepted proposal {RequestId}: appointment {AppointmentId} moved to {Start}", requestId, current.Id, request.ProposedStart);
            return outcome;
        }, cancellationToken);

    /// <summary>Tells the shop (METHOD:DECLINECOUNTER) that the appointment stays as it is.</summary>
    public Task<BookingOutcome> DeclineAsync(long requestId, string actor, CancellationToken cancellationToken = default) =>
        DecideAsync(requestId, actor, async (connection, transaction, request, current, by) =>
        {
            var now = await CloseAsync(connection, transaction, request, current, "declined", by).ConfigureAwait(false);
            var context = await invitations.ContextAsync(connection, transaction, current).ConfigureAwait(false);
            await alerts.DeclineCounterAsync(connection, transaction, context, request, now).ConfigureAwait(false);
            logger.LogInformation("Declined proposal {RequestId} for appointment {AppointmentId}", requestId, current.Id);
            return current;
        }, cancellationToken);

    /// <summary>One decision in one write transaction: committed only if <paramref name="decide"/> succeeds.</summary>
    private async Task<BookingOutcome> DecideAsync(
        long requestId, string actor, Func<DbConnection, DbTransaction, RescheduleRequest, Appointment, string, Task<BookingOutcome>> decide, CancellationToken cancellationToken)
    {
        var actorName = UserText.Required(actor, "actor", 100);
        if (!actorName.IsSuccess)
        {
            return new Refusal(RefusalKind.Invalid, actorName.Error!);
        }

        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var writing = await Database.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        var transaction = writing.Transaction;
        var (request, current, refusal) = await OpenRequestAsync(connection, transaction, requestId).ConfigureAwait(false);
        if (refusal is not null)
        {
            return refusal;
        }

        var outcome = await decide(connection, transaction, request!, current!, actorName.Value).ConfigureAwait(false);
        if (outcome.Succeeded)
        {
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        return outcome;
    }

    /// <summary>Marks the request decided and writes the audit line; returns when.</summary>
    private async Task<Instant> CloseAsync(DbConnection connection, DbTransaction transaction, RescheduleRequest request, Appointment appointment, string status, string by)
    {
        var now = clock.GetCurrentInstant();
        await connection.DecideRequestAsync(request.Id, status, by, now, transaction).ConfigureAwait(false);
        await connection.InsertAuditAsync(appointment.Id, now, by, $"proposal-{status}", JsonSerializer.Serialize(new { request = request.Id }), transaction).ConfigureAwait(false);
        return now;
    }

    /// <summary>The request and its appointment, if the request is still open and answers the appointment as it stands.</summary>
    private static async Task<(RescheduleRequest? Request, Appointment? Appointment, Refusal? Refusal)> OpenRequestAsync(
        DbConnection connection, DbTransaction transaction, long requestId)
    {
        var request = await connection.GetRequestAsync(requestId, transaction).ConfigureAwait(false);
        if (request is null)
        {
            return (null, null, new Refusal(RefusalKind.Invalid, $"proposal: there is no proposal {requestId}.") { Code = RefusalCode.NotFound });
        }

        if (request.Status != "open")
        {
            return (null, null, new Refusal(RefusalKind.Invalid, $"proposal {requestId} is already {request.Status}.") { Code = RefusalCode.ChangedMeanwhile });
        }

        var current = await connection.GetAppointmentAsync(request.AppointmentId, transaction).ConfigureAwait(false);
        if (current is not { Status: AppointmentStatus.Booked })
        {
            return (null, null, new Refusal(RefusalKind.Invalid, $"appointment {request.AppointmentId} of proposal {requestId} is cancelled.") { Code = RefusalCode.Cancelled });
        }

        return current.Sequence != request.Sequence
            ? (null, null, new Refusal(RefusalKind.Stale, $"appointment {current.Id} was changed after the shop proposed this time (proposal {requestId}); the proposal answers an older version.") { Code = RefusalCode.ChangedMeanwhile })
            : (request, current, null);
    }
}
