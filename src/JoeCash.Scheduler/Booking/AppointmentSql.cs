using JoeCash.Scheduler.Storage;
using System.Data;
using Dapper;
using JoeCash.Scheduler.Domain;
using NodaTime;

namespace JoeCash.Scheduler.Booking;

/// <summary>Dapper access to appointments and their audit trail.</summary>
public static partial class AppointmentSql
{
    private const string Columns = """
        id, uid, technician_id, customer_id, type_key, starts_at, ends_at, blocked_from, blocked_until, status, response,
        sequence, rustdesk_id, notes, cost_acknowledged, booked_by, created_at, updated_at, version,
        responded_at, responded_by, rustdesk_confirmed_at
        """;

    /// <summary>Far enough back that every blocked span touching a window starts inside the widened window (the schema caps spans at a day).</summary>
    internal static readonly Duration LongestBlock = Duration.FromDays(1);

    /// <summary>A shop's booked appointments overlapping [@from, @until) (@lowerBound = @from − <see cref="LongestBlock"/> keeps it on the index).</summary>
    internal const string BookedForCustomerWhere = """
        WHERE status = 'booked' AND customer_id = @customerId
          AND starts_at >= @lowerBound AND starts_at < @until AND ends_at > @from
        """;

    public static async Task<Appointment?> GetAppointmentAsync(this IDbConnection connection, long id, IDbTransaction? transaction = null)
    {
        var row = await connection.QuerySingleOrDefaultAsync<AppointmentRow>($"SELECT {Columns} FROM appointments WHERE id = @id", new { id }, transaction).ConfigureAwait(false);
        return row?.ToDomain();
    }

    /// <summary>The appointments with these ids (the ones that exist), by id.</summary>
    public static async Task<IReadOnlyDictionary<long, Appointment>> AppointmentsByIdAsync(this IDbConnection connection, IEnumerable<long> ids, IDbTransaction? transaction = null)
    {
        var rows = await connection.QueryAsync<AppointmentRow>($"SELECT {Columns} FROM appointments WHERE id {connection.In("ids")}", new { ids = connection.List(ids.Distinct()) }, transaction).ConfigureAwait(false);
        return rows.Select(r => r.ToDomain()).ToDictionary(a => a.Id);
    }

    /// <summary>The appointments with these calendar UIDs (the ones that exist), by UID.</summary>
    public static async Task<IReadOnlyDictionary<string, Appointment>> AppointmentsByUidAsync(this IDbConnection connection, IReadOnlyCollection<string> uids, IDbTransaction? transaction = null)
    {
        var rows = await connection.QueryAsync<AppointmentRow>($"SELECT {Columns} FROM appointments WHERE uid {connection.In("uids")}", new { uids = connection.List(uids) }, transaction).ConfigureAwait(false);
        return rows.Select(r => r.ToDomain()).ToDictionary(a => a.Uid, StringComparer.Ordinal);
    }

    /// <summary>The shop's booked appointments that overlap <paramref name="span"/>: its till hosts one session at a time.</summary>
    public static async Task<IReadOnlyList<Appointment>> BookedForCustomerAsync(
        this IDbConnection connection, long customerId, Interval span, IDbTransaction? transaction = null)
    {
        var rows = await connection.QueryAsync<AppointmentRow>(
            $"SELECT {Columns} FROM appointments {BookedForCustomerWhere}",
            new { customerId, lowerBound = span.Start - LongestBlock, from = span.Start, until = span.End },
            transaction).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToDomain())];
    }

    /// <summary>One technician's booked appointments that overlap <paramref name="span"/> and have not ended by <paramref name="now"/>, in order.</summary>
    public static async Task<IReadOnlyList<Appointment>> BookedOfTechnicianDuringAsync(
        this IDbConnection connection, long technicianId, Interval span, Instant now, IDbTransaction? transaction = null)
    {
        var rows = await connection.QueryAsync<AppointmentRow>($"""
            SELECT {Columns} FROM appointments
            WHERE status = 'booked' AND technician_id = @technicianId
              AND starts_at >= @lowerBound AND starts_at < @until AND ends_at > @from AND ends_at > @now
            ORDER BY starts_at, id
            """,
            new { technicianId, lowerBound = span.Start - LongestBlock, from = span.Start, until = span.End, now },
            transaction).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToDomain())];
    }

    /// <summary>
    /// One technician's booked appointments that overlap <paramref name="window"/>, in order: bounded on the
    /// partial index (technician, blocked_from), however long the technician's history.
    /// </summary>
    public static async Task<IReadOnlyList<Appointment>> BookedOfTechnicianInAsync(
        this IDbConnection connection, long technicianId, Interval window, IDbTransaction? transaction = null)
    {
        var rows = await connection.QueryAsync<AppointmentRow>($"""
            SELECT {Columns} FROM appointments
            WHERE status = 'booked' AND technician_id = @technicianId
              AND blocked_from >= @lowerBound AND blocked_from < @until AND starts_at < @until AND ends_at > @from
            ORDER BY starts_at, id
            """,
            new { technicianId, lowerBound = window.Start - LongestBlock, from = window.Start, until = window.End },
            transaction).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToDomain())];
    }

    private const string InsertColumns = """
        uid, technician_id, customer_id, type_key, starts_at, ends_at, blocked_from, blocked_until, status, response,
        sequence, rustdesk_id, notes, cost_acknowledged, booked_by, created_at, updated_at, version
        """;

    private const string InsertValues = """
        @Uid, @TechnicianId, @CustomerId, @TypeKey, @StartsAt, @EndsAt, @BlockedFrom, @BlockedUntil, 'booked', 'needs-action',
        @Sequence, @RustDeskId, @Notes, @CostAcknowledged, @BookedBy, @CreatedAt, @UpdatedAt, 1
        """;

    public static Task<long> InsertAppointmentAsync(this IDbConnection connection, Appointment appointment, IDbTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(appointment);
        return connection.ExecuteScalarAsync<long>(
            $"INSERT INTO appointments ({InsertColumns}) VALUES ({InsertValues}) RETURNING id",
            new
            {
                appointment.Uid,
                appointment.TechnicianId,
                appointment.CustomerId,
                appointment.TypeKey,
                StartsAt = appointment.Time.Start,
                EndsAt = appointment.Time.End,
                BlockedFrom = appointment.Blocked.Start,
                BlockedUntil = appointment.Blocked.End,
                appointment.Sequence,
                appointment.RustDeskId,
                appointment.Notes,
                appointment.CostAcknowledged,
                appointment.BookedBy,
                appointment.CreatedAt,
                appointment.UpdatedAt,
            },
            transaction);
    }

    /// <summary>
    /// Queues the insert of a new appointment under the id it was given (<see cref="Database.NextIdSql"/>), so that the rows
    /// that refer to it go in the same batch; the same columns as <see cref="InsertAppointmentAsync"/>.
    /// </summary>
    public static void InsertAppointment(this StatementBatch batch, Appointment appointment)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(appointment);
        batch.Execute(
            $"INSERT INTO appointments (id, {InsertColumns}) VALUES (@Id, {InsertValues})",
            ("Id", appointment.Id),
            ("Uid", appointment.Uid),
            ("TechnicianId", appointment.TechnicianId),
            ("CustomerId", appointment.CustomerId),
            ("TypeKey", appointment.TypeKey),
            ("StartsAt", appointment.Time.Start),
            ("EndsAt", appointment.Time.End),
            ("BlockedFrom", appointment.Blocked.Start),
            ("BlockedUntil", appointment.Blocked.End),
            ("Sequence", appointment.Sequence),
            ("RustDeskId", appointment.RustDeskId),
            ("Notes", appointment.Notes),
            ("CostAcknowledged", appointment.CostAcknowledged),
            ("BookedBy", appointment.BookedBy),
            ("CreatedAt", appointment.CreatedAt),
            ("UpdatedAt", appointment.UpdatedAt));
    }

    /// <summary>Moves an appointment if it still has <paramref name="expectedVersion"/>; returns false if someone changed it first.</summary>
    public static async Task<bool> MoveAppointmentAsync(
        this IDbConnection connection, long id, int expectedVersion, long technicianId, Interval time, Interval blocked, Instant now, IDbTransaction transaction)
    {
        var rows = await connection.ExecuteAsync("""
            UPDATE appointments
            SET technician_id = @technicianId, starts_at = @startsAt, ends_at = @endsAt, blocked_from = @blockedFrom, blocked_until = @blockedUntil,
                sequence = sequence + 1, version = version + 1, response = 'needs-action', responded_at = NULL, responded_by = NULL,
                updated_at = @now
            WHERE id = @id AND version = @expectedVersion AND status = 'booked'
            """,
            new { id, expectedVersion, technicianId, startsAt = time.Start, endsAt = time.End, blockedFrom = blocked.Start, blockedUntil = blocked.End, now },
            transaction).ConfigureAwait(false);
        return rows == 1;
    }

    /// <summary>Cancels an appointment if it still has <paramref name="expectedVersion"/>; returns false if someone changed it first.</summary>
    public static async Task<bool> CancelAppointmentAsync(this IDbConnection connection, long id, int expectedVersion, Instant now, IDbTransaction transaction)
    {
        var rows = await connection.ExecuteAsync("""
            UPDATE appointments SET status = 'cancelled', sequence = sequence + 1, version = version + 1, updated_at = @now
            WHERE id = @id AND version = @expectedVersion AND status = 'booked'
            """,
            new { id, expectedVersion, now },
            transaction).ConfigureAwait(false);
        return rows == 1;
    }

    internal const string InsertAuditSql =
        "INSERT INTO appointment_audit (appointment_id, at, actor, action, details) VALUES (@appointmentId, @at, @actor, @action, @detailsJson)";

    public static Task InsertAuditAsync(this IDbConnection connection, long appointmentId, Instant at, string actor, string action, string detailsJson, IDbTransaction transaction) =>
        connection.ExecuteAsync(InsertAuditSql, new { appointmentId, at, actor, action, detailsJson }, transaction);

    /// <summary>Queues an audit line (<see cref="InsertAuditAsync"/>) in the transaction's batch.</summary>
    public static void InsertAudit(this StatementBatch batch, long appointmentId, Instant at, string actor, string action, string detailsJson) =>
        batch.Execute(InsertAuditSql, ("appointmentId", appointmentId), ("at", at), ("actor", actor), ("action", action), ("detailsJson", detailsJson));

    public static async Task<IReadOnlyList<AuditEntry>> AuditTrailAsync(this IDbConnection connection, long appointmentId)
    {
        var rows = await connection.QueryAsync<AuditEntry>(
            "SELECT id, appointment_id, at, actor, action, details FROM appointment_audit WHERE appointment_id = @appointmentId ORDER BY id",
            new { appointmentId }).ConfigureAwait(false);
        return [.. rows];
    }

    /// <summary>One technician's appointments (booked and cancelled) that start within <paramref name="span"/>, in order.</summary>
    public static async Task<IReadOnlyList<Appointment>> AppointmentsOfTechnicianAsync(this IDbConnection connection, long technicianId, Interval span)
    {
        var rows = await connection.QueryAsync<AppointmentRow>(
            $"SELECT {Columns} FROM appointments WHERE technician_id = @technicianId AND starts_at >= @from AND starts_at < @until ORDER BY starts_at, id",
            new { technicianId, from = span.Start, until = span.End }).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToDomain())];
    }

    private sealed class AppointmentRow
    {
        public long Id { get; init; }

        public string Uid { get; init; } = "";

        public long TechnicianId { get; init; }

        public long CustomerId { get; init; }

        public string TypeKey { get; init; } = "";

        public Instant StartsAt { get; init; }

        public Instant EndsAt { get; init; }

        public Instant BlockedFrom { get; init; }

        public Instant BlockedUntil { get; init; }

        public string Status { get; init; } = "";

        public string Response { get; init; } = "";

        public int Sequence { get; init; }

        public string? RustdeskId { get; init; }

        public string? Notes { get; init; }

        public bool CostAcknowledged { get; init; }

        public string BookedBy { get; init; } = "";

        public Instant CreatedAt { get; init; }

        public Instant UpdatedAt { get; init; }

        public int Version { get; init; }

        public Instant? RespondedAt { get; init; }

        public string? RespondedBy { get; init; }

        public Instant? RustdeskConfirmedAt { get; init; }

        public Appointment ToDomain() => new(
            Id,
            Uid,
            TechnicianId,
            CustomerId,
            TypeKey,
            new Interval(StartsAt, EndsAt),
            new Interval(BlockedFrom, BlockedUntil),
            Status == "cancelled" ? AppointmentStatus.Cancelled : AppointmentStatus.Booked,
            ResponseStatuses.Parse(Response),
            Sequence,
            RustdeskId,
            Notes,
            CostAcknowledged,
            BookedBy,
            CreatedAt,
            UpdatedAt,
            Version)
        {
            RespondedAt = RespondedAt,
            RespondedBy = RespondedBy,
            RustDeskConfirmedAt = RustdeskConfirmedAt,
        };
    }
}

/// <summary>One line of an appointment's audit trail; <see cref="Details"/> is JSON.</summary>
public sealed record AuditEntry
{
    public long Id { get; init; }

    public long AppointmentId { get; init; }

    public Instant At { get; init; }

    public string Actor { get; init; } = "";

    public string Action { get; init; } = "";

    public string Details { get; init; } = "";
}
