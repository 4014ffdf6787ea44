using System.Data;
using Dapper;
using JoeCash.Scheduler.Storage;
using NodaTime;

namespace JoeCash.Scheduler.Reminders;

/// <summary>A due reminder with the appointment facts the sweep decides on.</summary>
public sealed record DueReminder
{
    public long Id { get; init; }

    public long AppointmentId { get; init; }

    public int Sequence { get; init; }

    public int OffsetMinutes { get; init; }

    public Instant DueAt { get; init; }

    public string AppointmentStatus { get; init; } = "";

    public int AppointmentSequence { get; init; }

    public Instant StartsAt { get; init; }
}

/// <summary>What the sweep decided for one reminder: queued, skipped or cancelled, with the reason if there is one.</summary>
public sealed record ReminderDecision(long Id, string Status, string? Note);

/// <summary>Dapper access to reminders.</summary>
public static class ReminderSql
{
    public static Task InsertReminderAsync(this IDbConnection connection, long appointmentId, int sequence, int offsetMinutes, Instant dueAt, IDbTransaction transaction) =>
        connection.ExecuteAsync(InsertReminderSql, new { appointmentId, sequence, offsetMinutes, dueAt }, transaction);

    /// <summary>The same as <see cref="InsertReminderAsync"/>, queued in the booking's batch.</summary>
    public static void InsertReminder(this StatementBatch batch, long appointmentId, int sequence, int offsetMinutes, Instant dueAt)
    {
        ArgumentNullException.ThrowIfNull(batch);
        batch.Execute(InsertReminderSql, ("appointmentId", appointmentId), ("sequence", sequence), ("offsetMinutes", offsetMinutes), ("dueAt", dueAt));
    }

    private const string InsertReminderSql = """
        INSERT INTO reminders (appointment_id, sequence, offset_minutes, due_at, status)
        VALUES (@appointmentId, @sequence, @offsetMinutes, @dueAt, 'pending')
        ON CONFLICT (appointment_id, sequence, offset_minutes) DO NOTHING
        """;

    /// <summary>Cancels the appointment's pending reminders, and reminder emails still waiting in the outbox.</summary>
    public static async Task<int> CancelRemindersAsync(this IDbConnection connection, long appointmentId, Instant now, string note, IDbTransaction transaction)
    {
        var reminders = await connection.ExecuteAsync(
            "UPDATE reminders SET status = 'cancelled', decided_at = @now, note = @note WHERE appointment_id = @appointmentId AND status = 'pending'",
            new { appointmentId, now, note },
            transaction).ConfigureAwait(false);
        var queued = await connection.ExecuteAsync(
            "UPDATE outbox SET status = 'cancelled', last_error = @note WHERE appointment_id = @appointmentId AND kind = 'reminder' AND status = 'pending'",
            new { appointmentId, note },
            transaction).ConfigureAwait(false);
        return reminders + queued;
    }

    public static async Task<IReadOnlyList<DueReminder>> DueRemindersAsync(this IDbConnection connection, Instant now, int limit, IDbTransaction transaction)
    {
        var rows = await connection.QueryAsync<DueReminder>("""
            SELECT r.id, r.appointment_id, r.sequence, r.offset_minutes, r.due_at,
                   a.status AS appointment_status, a.sequence AS appointment_sequence, a.starts_at
            FROM reminders r JOIN appointments a ON a.id = r.appointment_id
            WHERE r.status = 'pending' AND r.due_at <= @now
            ORDER BY r.due_at, r.id
            LIMIT @limit
            """,
            new { now, limit },
            transaction).ConfigureAwait(false);
        return [.. rows];
    }

    /// <summary>When the earliest pending reminder falls due (it may be past already); null when none is pending.</summary>
    public static async Task<Instant?> NextDueReminderAsync(this IDbConnection connection)
    {
        // min() over the partial index reminders_due (due_at WHERE status = 'pending'): one index step.
        var dueAt = await connection.ExecuteScalarAsync<long?>("SELECT min(due_at) FROM reminders WHERE status = 'pending'").ConfigureAwait(false);
        return dueAt is { } milliseconds ? Instant.FromUnixTimeMilliseconds(milliseconds) : null;
    }

    /// <summary>
    /// Records what became of a batch's reminders: one UPDATE per distinct status and note (usually one for the
    /// whole batch: all queued on time, or all late for the same due instant), not one per reminder.
    /// </summary>
    public static async Task DecideRemindersAsync(this IDbConnection connection, IReadOnlyCollection<ReminderDecision> decisions, Instant now, IDbTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(decisions);
        foreach (var group in decisions.GroupBy(d => (d.Status, d.Note)))
        {
            await connection.ExecuteAsync(
                $"UPDATE reminders SET status = @status, decided_at = @now, note = @note WHERE id {connection.In("ids")} AND status = 'pending'",
                new { ids = connection.List(group.Select(d => d.Id)), status = group.Key.Status, now, note = group.Key.Note },
                transaction).ConfigureAwait(false);
        }
    }

    public static async Task<IReadOnlyList<(int OffsetMinutes, Instant DueAt, string Status)>> RemindersOfAsync(this IDbConnection connection, long appointmentId)
    {
        var rows = await connection.QueryAsync<(int, Instant, string)>(
            "SELECT offset_minutes, due_at, status FROM reminders WHERE appointment_id = @appointmentId ORDER BY id", new { appointmentId }).ConfigureAwait(false);
        return [.. rows];
    }
}
