using System.Data.Common;
using System.Text.Json;
using JoeCash.Scheduler.Booking;
using JoeCash.Scheduler.Calendars;
using JoeCash.Scheduler.Configuration;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Invitations;
using NodaTime;

namespace JoeCash.Scheduler.Replies;

/// <summary>
/// Applies one shop's calendar answer inside the caller's write transaction, after checking that it may
/// (RFC 6047 §3): its UID is one of ours, its ATTENDEE was invited to that appointment, and the email
/// comes from that attendee or another address of the same shop. An answer to an older SEQUENCE is
/// recorded and changes nothing. A decline keeps the appointment and alerts the technician and the
/// support mailbox with alternatives; a counter-proposal becomes a reschedule request; a refresh re-sends
/// the current invitation. A technician's answer to their own copy (UID <c>tech-…</c>) is recorded as not
/// the shop's answer and changes nothing.
/// </summary>
public sealed class ReplyService(
    TechnicianChoice choice,
    AppointmentTypeCatalog types,
    InvitationOutbox invitations,
    AnswerAlerts alerts)
{
    /// <summary>The actor written into the audit trail for everything a shop's calendar did.</summary>
    public const string Actor = "calendar reply";

    internal async Task<ReplyResult> ApplyAsync(
        DbConnection connection, DbTransaction transaction, AnswerWrites writes, AnswerFacts facts, InboundReply reply, ItipAnswer answer, Func<ReplyOutcome, string?, long, Task<long>> record)
    {
        if (facts.Appointment(answer.Uid) is not { } appointment)
        {
            if (TechnicianInvitationComposer.AppointmentUid(answer.Uid) is { } shopUid && facts.Appointment(shopUid) is { } own)
            {
                // A technician answering their own copy of the invitation: neither the shop's answer nor a forgery.
                var ignored = $"not the shop's answer: {Shown(answer.Attendee)} answered the technician's own copy (UID {Shown(answer.Uid)}) of appointment {own.Id} ({Word(answer)}); nothing changed.";
                await record(ReplyOutcome.Recorded, ignored, own.Id).ConfigureAwait(false);
                return new ReplyResult(ReplyOutcome.Recorded, ignored, own.Id);
            }

            return new ReplyResult(ReplyOutcome.Review, $"UID {Shown(answer.Uid)} is not an appointment of this service.", null);
        }

        var id = appointment.Id;
        if (!facts.WasInvited(id, answer.Attendee))
        {
            return Review($"{Shown(answer.Attendee)} was never invited to appointment {id}, and an attendee answers only for themselves.", id);
        }

        var customer = facts.Customer(appointment.CustomerId);
        var allowed = customer.Emails.Select(e => e.ToLowerInvariant()).Append(answer.Attendee).ToHashSet(StringComparer.Ordinal);
        var stranger = reply.Senders.Count == 0 ? "no sender" : reply.Senders.FirstOrDefault(s => !allowed.Contains(s)) is { } other ? Shown(other) : null;
        if (stranger is not null)
        {
            return Review($"the email comes from {stranger}, which is neither the attendee {Shown(answer.Attendee)} nor an address of shop {customer.Number}.", id);
        }

        if (appointment.Status == AppointmentStatus.Cancelled)
        {
            var reason = $"appointment {id} is cancelled; the answer changes nothing.";
            await AuditAsync(writes, id, reply, "answer-ignored", answer, reason, await record(ReplyOutcome.Recorded, reason, id).ConfigureAwait(false)).ConfigureAwait(false);
            return new ReplyResult(ReplyOutcome.Recorded, reason, id);
        }

        if (answer.Method != CalendarMethod.Refresh && answer.Sequence != appointment.Sequence)
        {
            if (answer.Sequence > appointment.Sequence)
            {
                return Review($"it answers SEQUENCE {answer.Sequence}, but appointment {id} was only ever sent up to {appointment.Sequence}.", id);
            }

            var reason = $"it answers SEQUENCE {answer.Sequence}, an older version of appointment {id} (now {appointment.Sequence}, moved since): recorded, the current time is not {Word(answer)}.";
            await AuditAsync(writes, id, reply, "answer-outdated", answer, reason, await record(ReplyOutcome.Recorded, reason, id).ConfigureAwait(false)).ConfigureAwait(false);
            return new ReplyResult(ReplyOutcome.Recorded, reason, id);
        }

        var inboundId = await record(ReplyOutcome.Applied, null, id).ConfigureAwait(false);
        var now = reply.ReceivedAt;
        switch (answer.Method)
        {
            case CalendarMethod.Reply:
                await writes.RecordAnswerAsync(id, answer.Answer!.Value, answer.Attendee, now).ConfigureAwait(false);
                await AuditAsync(writes, id, reply, "answered", answer, null, inboundId).ConfigureAwait(false);
                if (answer.Answer == ResponseStatus.Declined)
                {
                    var context = await invitations.ContextAsync(connection, transaction, appointment, customer).ConfigureAwait(false);
                    var alternatives = await choice.NearestAlternativesAsync(
                        context.Type, await CandidatesAsync(connection, transaction, context.Type).ConfigureAwait(false), appointment.Start, customer.Id, id, CancellationToken.None, avoid: appointment.Time).ConfigureAwait(false);
                    await alerts.EnqueueDeclineAsync(connection, transaction, context, answer, alternatives, inboundId, now).ConfigureAwait(false);
                }

                break;
            case CalendarMethod.Counter:
                var proposed = answer.Proposed!.Value;
                var type = types.ForStored(appointment.TypeKey);
                var time = new Interval(proposed.Start, proposed.Start + type.Duration);
                var own = await Availability.TechnicianByIdAsync(connection, transaction, appointment.TechnicianId).ConfigureAwait(false);
                var shopBusy = (await connection.BookedForCustomerAsync(customer.Id, time, transaction).ConfigureAwait(false)).Where(a => a.Id != id).Select(a => a.Time).ToArray();
                var (free, _) = own.IsSuccess
                    ? await choice.ChooseAsync(connection, transaction, own.Value, type, time, shopBusy, id).ConfigureAwait(false)
                    : (null, null);
                await connection.SupersedeRequestsAsync(id, now, transaction).ConfigureAwait(false);
                var requestId = await connection.InsertRequestAsync(new RescheduleRequest
                {
                    AppointmentId = id,
                    InboundMessageId = inboundId,
                    Sequence = answer.Sequence,
                    ProposedStart = proposed.Start,
                    ProposedEnd = proposed.End,
                    ProposedBy = answer.Attendee,
                    Comment = answer.Comment is { } c ? UserText.Shown(c, 500) : null,
                    FreeWhenReceived = free is not null,
                    CreatedAt = now,
                }, transaction).ConfigureAwait(false);
                await AuditAsync(writes, id, reply, "counter-proposed", answer, null, inboundId, new { request = requestId, free = free is not null }).ConfigureAwait(false);
                var counterContext = await invitations.ContextAsync(connection, transaction, appointment, customer).ConfigureAwait(false);
                await alerts.EnqueueCounterAsync(connection, transaction, counterContext, answer, requestId, free is not null, inboundId, now).ConfigureAwait(false);
                break;
            case CalendarMethod.Refresh:
                await invitations.EnqueueRefreshAsync(connection, transaction, appointment, answer.Attendee, inboundId, now).ConfigureAwait(false);
                await AuditAsync(writes, id, reply, "invitation-resent", answer, null, inboundId).ConfigureAwait(false);
                break;
        }

        return new ReplyResult(ReplyOutcome.Applied, null, id);
    }

    /// <summary>The UIDs to look up for an answer's <paramref name="uid"/>: itself, and for a technician's copy the appointment's own.</summary>
    /// <param name="uid">The UID the answer names.</param>
    internal static IEnumerable<string> UidsToLookUp(string uid) =>
        TechnicianInvitationComposer.AppointmentUid(uid) is { } shopUid ? [uid, shopUid] : [uid];

    private static ReplyResult Review(string reason, long appointmentId) => new(ReplyOutcome.Review, reason, appointmentId);

    private static async Task<IReadOnlyList<Technician>> CandidatesAsync(DbConnection connection, DbTransaction transaction, AppointmentType type)
    {
        var found = await Availability.TechniciansForAsync(connection, transaction, type, null).ConfigureAwait(false);
        return found.IsSuccess ? found.Value : [];
    }

    private static Task AuditAsync(
        AnswerWrites writes, long appointmentId, InboundReply reply, string action, ItipAnswer answer, string? reason, long inboundId, object? extra = null) =>
        writes.InsertAuditAsync(appointmentId, reply.ReceivedAt, Actor, action, JsonSerializer.Serialize(new
        {
            method = answer.Method.Name(),
            answer = answer.Answer?.Code(),
            attendee = answer.Attendee,
            sender = reply.SenderText,
            sequence = answer.Sequence,
            comment = answer.Comment is { } c ? UserText.Shown(c, 500) : null,
            proposedStart = answer.Proposed?.Start.ToString(),
            proposedEnd = answer.Proposed?.End.ToString(),
            message = inboundId,
            reason,
            extra,
        }));

    private static string Word(ItipAnswer answer) => answer.Method == CalendarMethod.Counter ? "changed" : answer.Answer?.Code() ?? "answered";

    private static string Shown(string text) => UserText.Shown(text, 120);
}
