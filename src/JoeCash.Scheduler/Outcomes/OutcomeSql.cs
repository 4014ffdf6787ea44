using System.Data;
using Dapper;
using JoeCash.Scheduler.Storage;
using NodaTime;

namespace JoeCash.Scheduler.Outcomes;

/// <summary>Dapper access to <c>appointment_outcomes</c> and the reads of the dispatcher's overview.</summary>
public static class OutcomeSql
{
    private const string Columns = "appointment_id, outcome, minutes, note, follow_up_id, recorded_at, recorded_by";

    public static async Task<AppointmentOutcome?> OutcomeOfAsync(this IDbConnection connection, long appointmentId, IDbTransaction? transaction = null)
    {
        var row = await connection.QuerySingleOrDefaultAsync<OutcomeRow>(
            $"SELECT {Columns} FROM appointment_outcomes WHERE appointment_id = @appointmentId", new { appointmentId }, transaction).ConfigureAwait(false);
        return row?.ToRecord();
    }

    /// <summary>The outcomes of these appointments (those that have one), by appointment.</summary>
    public static async Task<IReadOnlyDictionary<long, AppointmentOutcome>> OutcomesOfAsync(this IDbConnection connection, IEnumerable<long> appointmentIds)
    {
        var ids = appointmentIds.Distinct().ToArray();
        if (ids.Length == 0)
        {
            return new Dictionary<long, AppointmentOutcome>();
        }

        var rows = await connection.QueryAsync<OutcomeRow>(
            $"SELECT {Columns} FROM appointment_outcomes WHERE appointment_id {connection.In("ids")}", new { ids = connection.List(ids) }).ConfigureAwait(false);
        return rows.Select(r => r.ToRecord()).ToDictionary(o => o.AppointmentId);
    }

    /// <summary>Writes the appointment's outcome, replacing an earlier one.</summary>
    public static Task SaveOutcomeAsync(this IDbConnection connection, AppointmentOutcome outcome, IDbTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return connection.ExecuteAsync("""
            INSERT INTO appointment_outcomes (appointment_id, outcome, minutes, note, follow_up_id, recorded_at, recorded_by)
            VALUES (@AppointmentId, @Outcome, @Minutes, @Note, @FollowUpId, @RecordedAt, @RecordedBy)
            ON CONFLICT (appointment_id) DO UPDATE SET outcome = excluded.outcome, minutes = excluded.minutes, note = excluded.note,
                follow_up_id = excluded.follow_up_id, recorded_at = excluded.recorded_at, recorded_by = excluded.recorded_by
            """,
            new
            {
                outcome.AppointmentId,
                Outcome = outcome.Kind.Code(),
                outcome.Minutes,
                outcome.Note,
                outcome.FollowUpId,
                outcome.RecordedAt,
                outcome.RecordedBy,
            },
            transaction);
    }

    /// <summary>Booked appointments that ended by <paramref name="now"/> and have no outcome yet, the most recent first.</summary>
    public static async Task<IReadOnlyList<long>> EndedWithoutOutcomeAsync(this IDbConnection connection, Instant now, int limit) =>
        [.. await connection.QueryAsync<long>("""
            SELECT a.id FROM appointments a
            WHERE a.status = 'booked' AND a.ends_at <= @now
              AND NOT EXISTS (SELECT 1 FROM appointment_outcomes o WHERE o.appointment_id = a.id)
            ORDER BY a.ends_at DESC, a.id DESC
            LIMIT @limit
            """, new { now, limit }).ConfigureAwait(false)];

    /// <summary>Per shop, its no-shows among the appointments that began since <paramref name="since"/>: most first.</summary>
    public static async Task<IReadOnlyList<NoShowCount>> NoShowsPerShopAsync(this IDbConnection connection, Instant since, Instant now, int limit) =>
        [.. await connection.QueryAsync<NoShowCount>("""
            SELECT a.customer_id, count(*) AS no_shows, max(a.starts_at) AS last_start
            FROM appointment_outcomes o JOIN appointments a ON a.id = o.appointment_id
            WHERE o.outcome = 'no-show' AND a.status = 'booked' AND a.starts_at >= @since AND a.starts_at <= @now
            GROUP BY a.customer_id
            ORDER BY count(*) DESC, max(a.starts_at) DESC, a.customer_id
            LIMIT @limit
            """, new { since, now, limit }).ConfigureAwait(false)];

    /// <summary>Appointments that began since <paramref name="since"/> and needed a follow-up: the latest first.</summary>
    public static async Task<IReadOnlyList<long>> FollowUpsSinceAsync(this IDbConnection connection, Instant since, int limit) =>
        [.. await connection.QueryAsync<long>("""
            SELECT a.id FROM appointment_outcomes o JOIN appointments a ON a.id = o.appointment_id
            WHERE o.outcome = 'follow-up' AND a.starts_at >= @since
            ORDER BY a.starts_at DESC, a.id DESC
            LIMIT @limit
            """, new { since, limit }).ConfigureAwait(false)];

    /// <summary>A shop's sessions that took place (outcome done, not cancelled), the latest first.</summary>
    public static async Task<IReadOnlyList<long>> DoneSessionsOfShopAsync(this IDbConnection connection, long customerId, int limit) =>
        [.. await connection.QueryAsync<long>("""
            SELECT a.id FROM appointment_outcomes o JOIN appointments a ON a.id = o.appointment_id
            WHERE o.outcome = 'done' AND a.status = 'booked' AND a.customer_id = @customerId
            ORDER BY a.starts_at DESC, a.id DESC
            LIMIT @limit
            """, new { customerId, limit }).ConfigureAwait(false)];

    private sealed record OutcomeRow
    {
        public long AppointmentId { get; init; }

        public string Outcome { get; init; } = "";

        public int? Minutes { get; init; }

        public string? Note { get; init; }

        public long? FollowUpId { get; init; }

        public Instant RecordedAt { get; init; }

        public string RecordedBy { get; init; } = "";

        public AppointmentOutcome ToRecord() => new()
        {
            AppointmentId = AppointmentId,
            Kind = OutcomeKinds.Parse(Outcome) ?? throw new InvalidDataException($"appointment_outcomes: unknown outcome '{Outcome}'"),
            Minutes = Minutes,
            Note = Note,
            FollowUpId = FollowUpId,
            RecordedAt = RecordedAt,
            RecordedBy = RecordedBy,
        };
    }
}

/// <summary>A shop's no-shows over a window.</summary>
public sealed record NoShowCount
{
    public long CustomerId { get; init; }

    public long NoShows { get; init; }

    public Instant LastStart { get; init; }
}
