using System.Data;
using Dapper;
using JoeCash.Scheduler.Domain;
using NodaTime;

namespace JoeCash.Scheduler.Replies;

/// <summary>A calendar answer as recorded: what it said, what became of it, and why.</summary>
public sealed record InboundRecord
{
    public long Id { get; init; }

    public string MessageKey { get; init; } = "";

    public string? MessageId { get; init; }

    public string Source { get; init; } = "";

    public Instant ReceivedAt { get; init; }

    public string Sender { get; init; } = "";

    public string? Method { get; init; }

    public string? Uid { get; init; }

    public int? Sequence { get; init; }

    public string? Attendee { get; init; }

    public string? Answer { get; init; }

    public long? AppointmentId { get; init; }

    /// <summary>applied, recorded or review.</summary>
    public string Outcome { get; init; } = "";

    public string? Reason { get; init; }
}

/// <summary>A shop's counter-proposal, waiting for a dispatcher or decided.</summary>
public sealed record RescheduleRequest
{
    public long Id { get; init; }

    public long AppointmentId { get; init; }

    public long InboundMessageId { get; init; }

    public int Sequence { get; init; }

    public Instant ProposedStart { get; init; }

    public Instant ProposedEnd { get; init; }

    public string ProposedBy { get; init; } = "";

    public string? Comment { get; init; }

    public bool FreeWhenReceived { get; init; }

    /// <summary>open, accepted, declined or superseded.</summary>
    public string Status { get; init; } = "";

    public Instant CreatedAt { get; init; }

    public Instant? DecidedAt { get; init; }

    public string? DecidedBy { get; init; }
}

/// <summary>Dapper access to the answers, the reschedule requests, and the appointment's answer columns.</summary>
public static class ReplySql
{
    private const string InboundColumns =
        "id, message_key, message_id, source, received_at, sender, method, uid, sequence, attendee, answer, appointment_id, outcome, reason";

    private const string RequestColumns = """
        id, appointment_id, inbound_message_id, sequence, proposed_start, proposed_end, proposed_by, comment, free_when_received,
        status, created_at, decided_at, decided_by
        """;

    internal const string InsertInboundSql = """
        INSERT INTO inbound_messages (message_key, message_id, source, received_at, sender, method, uid, sequence, attendee, answer, appointment_id, outcome, reason)
        VALUES (@MessageKey, @MessageId, @Source, @ReceivedAt, @Sender, @Method, @Uid, @Sequence, @Attendee, @Answer, @AppointmentId, @Outcome, @Reason)
        RETURNING id
        """;

    internal const string RecordAnswerSql = """
        UPDATE appointments SET response = @response, responded_at = @at, responded_by = @by, version = version + 1, updated_at = @at
        WHERE id = @appointmentId AND status = 'booked'
        """;

    public static Task<long> InsertInboundAsync(this IDbConnection connection, InboundRecord record, IDbTransaction transaction) =>
        connection.ExecuteScalarAsync<long>(InsertInboundSql, record, transaction);

    /// <summary>The newest booked appointment with an invitation, and an address it went to: what <see cref="ReplyWarmUp"/> answers.</summary>
    public static Task<(string Uid, int Sequence, string Recipient)?> WarmUpTargetAsync(this IDbConnection connection) =>
        connection.QuerySingleOrDefaultAsync<(string, int, string)?>("""
            SELECT a.uid, a.sequence, o.recipient FROM appointments a JOIN outbox o ON o.appointment_id = a.id AND o.kind = 'invitation'
            WHERE a.status = 'booked' ORDER BY a.id DESC LIMIT 1
            """);

    /// <summary>The latest answers, newest first; only those kept for review if <paramref name="reviewOnly"/>.</summary>
    public static async Task<IReadOnlyList<InboundRecord>> ListInboundAsync(this IDbConnection connection, bool reviewOnly, int limit)
    {
        var rows = await connection.QueryAsync<InboundRecord>(
            $"SELECT {InboundColumns} FROM inbound_messages WHERE (NOT @reviewOnly OR outcome = 'review') ORDER BY id DESC LIMIT @limit",
            new { reviewOnly = reviewOnly ? 1 : 0, limit }).ConfigureAwait(false);
        return [.. rows];
    }

    /// <summary>
    /// Records the shop's answer. No version guard: it runs in the write transaction that checked the
    /// appointment's SEQUENCE and status, so nothing can have changed them; the version still grows, so a
    /// dispatcher's change based on the older version is refused as stale.
    /// </summary>
    public static Task RecordAnswerAsync(this IDbConnection connection, long appointmentId, ResponseStatus answer, string by, Instant at, IDbTransaction transaction) =>
        connection.ExecuteAsync(RecordAnswerSql, new { appointmentId, response = answer.Code(), by, at }, transaction);

    public static Task<long> InsertRequestAsync(this IDbConnection connection, RescheduleRequest request, IDbTransaction transaction) =>
        connection.ExecuteScalarAsync<long>("""
            INSERT INTO reschedule_requests (appointment_id, inbound_message_id, sequence, proposed_start, proposed_end, proposed_by, comment, free_when_received, status, created_at)
            VALUES (@AppointmentId, @InboundMessageId, @Sequence, @ProposedStart, @ProposedEnd, @ProposedBy, @Comment, @FreeWhenReceived, 'open', @CreatedAt)
            RETURNING id
            """, request, transaction);

    /// <summary>An earlier open proposal of the same appointment gives way to a newer one.</summary>
    public static Task SupersedeRequestsAsync(this IDbConnection connection, long appointmentId, Instant at, IDbTransaction transaction) =>
        connection.ExecuteAsync(
            "UPDATE reschedule_requests SET status = 'superseded', decided_at = @at, decided_by = 'newer proposal' WHERE appointment_id = @appointmentId AND status = 'open'",
            new { appointmentId, at }, transaction);

    public static Task<RescheduleRequest?> GetRequestAsync(this IDbConnection connection, long id, IDbTransaction? transaction = null) =>
        connection.QuerySingleOrDefaultAsync<RescheduleRequest>($"SELECT {RequestColumns} FROM reschedule_requests WHERE id = @id", new { id }, transaction);

    public static async Task<IReadOnlyList<RescheduleRequest>> ListRequestsAsync(this IDbConnection connection, bool openOnly, int limit)
    {
        var rows = await connection.QueryAsync<RescheduleRequest>(
            $"SELECT {RequestColumns} FROM reschedule_requests WHERE (NOT @openOnly OR status = 'open') ORDER BY id DESC LIMIT @limit",
            new { openOnly = openOnly ? 1 : 0, limit }).ConfigureAwait(false);
        return [.. rows];
    }

    /// <summary>Decides an open request; false if it was no longer open.</summary>
    public static async Task<bool> DecideRequestAsync(this IDbConnection connection, long id, string status, string by, Instant at, IDbTransaction transaction) =>
        await connection.ExecuteAsync(
            "UPDATE reschedule_requests SET status = @status, decided_at = @at, decided_by = @by WHERE id = @id AND status = 'open'",
            new { id, status, by, at }, transaction).ConfigureAwait(false) == 1;
}

/// <summary>How far a mailbox has been read (<c>mailbox_cursors</c>).</summary>
public static class MailboxCursorSql
{
    public static async Task<(long UidValidity, long LastUid)?> CursorAsync(this IDbConnection connection, string mailbox)
    {
        var row = await connection.QuerySingleOrDefaultAsync<(long, long)?>(
            "SELECT uid_validity, last_uid FROM mailbox_cursors WHERE mailbox = @mailbox", new { mailbox }).ConfigureAwait(false);
        return row;
    }

    public static Task SaveCursorAsync(this IDbConnection connection, string mailbox, long uidValidity, long lastUid) =>
        connection.ExecuteAsync("""
            INSERT INTO mailbox_cursors (mailbox, uid_validity, last_uid) VALUES (@mailbox, @uidValidity, @lastUid)
            ON CONFLICT (mailbox) DO UPDATE SET uid_validity = excluded.uid_validity, last_uid = excluded.last_uid
            """, new { mailbox, uidValidity, lastUid });
}
