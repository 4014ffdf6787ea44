using System.Data;
using System.Text.Json;
using Dapper;
using JoeCash.Scheduler.Storage;
using NodaTime;

namespace JoeCash.Scheduler.Mail;

/// <summary>A message ready to go into the outbox.</summary>
public sealed record OutboxMessage(string MessageId, long? AppointmentId, string Kind, string Recipient, string Subject, MailPayload Payload);

/// <summary>A message the dispatcher has claimed: still to be rendered from its payload.</summary>
public sealed record ClaimedMail(long Id, string MessageId, string Recipient, string Payload);

/// <summary>One outbox row as the <c>mail</c> verb shows it.</summary>
public sealed record OutboxEntry
{
    public long Id { get; init; }

    public string MessageId { get; init; } = "";

    public long? AppointmentId { get; init; }

    public string Kind { get; init; } = "";

    public string Recipient { get; init; } = "";

    public string Subject { get; init; } = "";

    public string Status { get; init; } = "";

    public int Attempts { get; init; }

    public Instant NextAttemptAt { get; init; }

    public string? LastError { get; init; }

    public Instant CreatedAt { get; init; }

    public Instant? SentAt { get; init; }
}

/// <summary>Dapper access to the outbox.</summary>
public static class OutboxSql
{
    /// <summary>Writes a message in the caller's transaction; the same Message-ID twice is one message.</summary>
    public static async Task EnqueueAsync(this IDbConnection connection, OutboxMessage message, Instant now, IDbTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(message);
        var payload = JsonSerializer.Serialize(message.Payload, MailRenderer.Json);
        await connection.ExecuteAsync(
            EnqueueSql,
            new { message.MessageId, message.AppointmentId, message.Kind, message.Recipient, message.Subject, now, notBefore = (Instant?)null, due = now },
            transaction).ConfigureAwait(false);
        await connection.ExecuteAsync(EnqueuePayloadSql, new { message.MessageId, payload }, transaction).ConfigureAwait(false);
    }

    /// <summary>
    /// The same as <see cref="EnqueueAsync"/>, queued in the caller's batch (it commits with the change that causes it);
    /// a message queued ahead of its time (a reminder) with the instant it may go, <paramref name="notBefore"/>.
    /// </summary>
    public static void Enqueue(this StatementBatch batch, OutboxMessage message, Instant now, Instant? notBefore = null)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(message);
        var ahead = notBefore > now ? notBefore : null;
        batch.Execute(
            EnqueueSql,
            ("MessageId", message.MessageId),
            ("AppointmentId", message.AppointmentId),
            ("Kind", message.Kind),
            ("Recipient", message.Recipient),
            ("Subject", message.Subject),
            ("now", now),
            ("notBefore", ahead),
            ("due", ahead ?? now));
        batch.Execute(EnqueuePayloadSql, ("MessageId", message.MessageId), ("payload", JsonSerializer.Serialize(message.Payload, MailRenderer.Json)));
    }

    private const string EnqueueSql = """
        INSERT INTO outbox (message_id, appointment_id, kind, recipient, subject, status, next_attempt_at, not_before, created_at)
        VALUES (@MessageId, @AppointmentId, @Kind, @Recipient, @Subject, 'pending', @due, @notBefore, @now)
        ON CONFLICT (message_id) DO NOTHING
        """;

    /// <summary>
    /// The payload of the message just queued, in a table of its own (narrow outbox rows: claims and marks do not
    /// rewrite 8 KB). Found by its Message-ID so that it works after a batch's insert too; a message that was there
    /// already kept its payload, as it kept its row.
    /// </summary>
    private const string EnqueuePayloadSql = """
        INSERT INTO outbox_payloads (outbox_id, payload)
        SELECT id, @payload FROM outbox WHERE message_id = @MessageId
        ON CONFLICT (outbox_id) DO NOTHING
        """;

    /// <summary>
    /// Claims up to <paramref name="limit"/> due messages for <paramref name="claimant"/> until <paramref name="claimUntil"/>
    /// (a lease): pending ones whose time has come, and ones whose claimant died and whose lease ran out.
    /// </summary>
    public static async Task<IReadOnlyList<ClaimedMail>> ClaimDueAsync(this IDbConnection connection, string claimant, Instant now, Instant claimUntil, int limit, IDbTransaction transaction)
    {
        // PostgreSQL: several nodes claim at once; each skips the rows another is claiming instead of waiting for them.
        var skipLocked = connection.IsPostgres() ? " FOR UPDATE SKIP LOCKED" : "";
        // The claim changes the narrow outbox row only; the payload is read beside it, never rewritten.
        var rows = await connection.QueryAsync<(long Id, string MessageId, string Recipient, string Payload)>($"""
            UPDATE outbox SET status = 'sending', attempts = attempts + 1, next_attempt_at = @claimUntil, claimed_by = @claimant
            WHERE id IN (SELECT id FROM outbox WHERE status IN ('pending', 'sending') AND next_attempt_at <= @now ORDER BY next_attempt_at, id LIMIT @limit{skipLocked})
            RETURNING id, message_id, recipient, (SELECT p.payload FROM outbox_payloads p WHERE p.outbox_id = outbox.id) AS payload
            """,
            new { claimant, now, claimUntil, limit },
            transaction).ConfigureAwait(false);
        return [.. rows.OrderBy(r => r.Id).Select(r => new ClaimedMail(r.Id, r.MessageId, r.Recipient, r.Payload))];
    }

    /// <summary>
    /// After a crash: messages this claimant's previous run had claimed go back to the queue at once
    /// instead of waiting for their lease. The one that was on the wire at the moment of the crash may
    /// arrive twice (same Message-ID); none is lost. Another node's claims are left to their lease.
    /// </summary>
    public static Task<int> RequeueInterruptedAsync(this IDbConnection connection, string claimant, Instant now) =>
        connection.ExecuteAsync(
            "UPDATE outbox SET status = 'pending', next_attempt_at = @now WHERE status = 'sending' AND claimed_by = @claimant", new { claimant, now });

    public static Task MarkSentAsync(this IDbConnection connection, IReadOnlyCollection<long> ids, Instant now, IDbTransaction? transaction = null) =>
        connection.ExecuteAsync(
            $"UPDATE outbox SET status = 'sent', sent_at = @now, last_error = NULL WHERE id {connection.In("ids")} AND status = 'sending'", new { ids = connection.List(ids), now }, transaction);

    public static Task RescheduleAsync(this IDbConnection connection, long id, Instant at, string error, IDbTransaction? transaction = null) =>
        connection.ExecuteAsync(
            "UPDATE outbox SET status = 'pending', next_attempt_at = @at, last_error = @error WHERE id = @id AND status = 'sending'", new { id, at, error }, transaction);

    /// <summary>Back to the queue without charging the attempt: the fault was ours (e.g. the login), not the message's.</summary>
    public static Task HoldAsync(this IDbConnection connection, long id, Instant until, string error, IDbTransaction? transaction = null) =>
        connection.ExecuteAsync(
            "UPDATE outbox SET status = 'pending', attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END, next_attempt_at = @until, last_error = @error WHERE id = @id AND status = 'sending'",
            new { id, until, error },
            transaction);

    /// <summary>
    /// Puts a failed message back in the queue addressed to <paramref name="recipient"/> (already checked by
    /// the address rule); the payload is rendered anew for it. False if there is no failed message with that id.
    /// Two statements: run it in a transaction, so the row and its payload name the same recipient.
    /// </summary>
    public static async Task<bool> RetryFailedToAsync(this IDbConnection connection, long id, string recipient, Instant now, IDbTransaction transaction)
    {
        if (await connection.ExecuteAsync("""
            UPDATE outbox SET status = 'pending', next_attempt_at = @now, attempts = 0, recipient = @recipient
            WHERE id = @id AND status = 'failed'
            """, new { id, recipient, now }, transaction).ConfigureAwait(false) == 0)
        {
            return false;
        }

        await connection.ExecuteAsync(
            $"UPDATE outbox_payloads SET payload = {connection.JsonSet("payload", "recipientEmail", "@recipient")} WHERE outbox_id = @id",
            new { id, recipient },
            transaction).ConfigureAwait(false);
        return true;
    }

    public static Task MarkFailedAsync(this IDbConnection connection, long id, string error, IDbTransaction? transaction = null) =>
        connection.ExecuteAsync(
            "UPDATE outbox SET status = 'failed', last_error = @error WHERE id = @id AND status = 'sending'", new { id, error }, transaction);

    public static async Task<(int Attempts, Instant CreatedAt)> AttemptsOfAsync(this IDbConnection connection, long id) =>
        await connection.QuerySingleAsync<(int, Instant)>("SELECT attempts, created_at FROM outbox WHERE id = @id", new { id }).ConfigureAwait(false);

    /// <summary>Puts a failed message back in the queue, due now; false if there is no failed message with that id.</summary>
    public static async Task<bool> RetryFailedAsync(this IDbConnection connection, long id, Instant now, IDbTransaction? transaction = null) =>
        await connection.ExecuteAsync(
            "UPDATE outbox SET status = 'pending', next_attempt_at = @now, attempts = 0 WHERE id = @id AND status = 'failed'", new { id, now }, transaction).ConfigureAwait(false) == 1;

    public static async Task<IReadOnlyList<OutboxEntry>> ListOutboxAsync(this IDbConnection connection, string? status, int limit)
    {
        var rows = await connection.QueryAsync<OutboxEntry>("""
            SELECT id, message_id, appointment_id, kind, recipient, subject, status, attempts, next_attempt_at, last_error, created_at, sent_at
            FROM outbox WHERE (@status IS NULL OR status = @status) ORDER BY id DESC LIMIT @limit
            """,
            new { status, limit }).ConfigureAwait(false);
        return [.. rows];
    }

    public static async Task<IReadOnlyDictionary<string, long>> OutboxCountsAsync(this IDbConnection connection)
    {
        var rows = await connection.QueryAsync<(string Status, long Count)>("SELECT status, count(*) FROM outbox GROUP BY status").ConfigureAwait(false);
        return rows.ToDictionary(r => r.Status, r => r.Count);
    }

    /// <summary>
    /// What the readiness check and the backlog gauge read: messages waiting, the oldest of them, the last send. A message
    /// queued ahead of its time waits from its not-before instant on, not from when it was written.
    /// </summary>
    public static Task<OutboxHealth> OutboxHealthAsync(this IDbConnection connection, Instant now) =>
        connection.QuerySingleAsync<OutboxHealth>("""
            SELECT w.waiting AS Waiting, w.oldest AS OldestWaiting, (SELECT max(sent_at) FROM outbox WHERE status = 'sent') AS LastSent
            FROM (SELECT count(*) AS waiting, min(since) AS oldest
                  FROM (SELECT coalesce(not_before, created_at) AS since FROM outbox WHERE status IN ('pending', 'sending')) s
                  WHERE since <= @now) w
            """,
            new { now });

    /// <summary>
    /// When the dispatcher next has something to claim: the earliest instant a pending message may go or a claim's lease
    /// runs out (possibly past already); null when nothing waits. One step in the partial index <c>outbox_due</c>.
    /// </summary>
    public static async Task<Instant?> NextClaimableAsync(this IDbConnection connection)
    {
        var at = await connection.ExecuteScalarAsync<long?>("SELECT min(next_attempt_at) FROM outbox WHERE status IN ('pending', 'sending')").ConfigureAwait(false);
        return at is { } milliseconds ? Instant.FromUnixTimeMilliseconds(milliseconds) : null;
    }
}
