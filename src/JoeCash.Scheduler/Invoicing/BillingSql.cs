using System.Data;
using Dapper;
using JoeCash.Scheduler.Storage;
using NodaTime;

namespace JoeCash.Scheduler.Invoicing;

/// <summary>Dapper access for the billing export: the sessions it bills, their acknowledgments, its audit.</summary>
public static class BillingSql
{
    /// <summary>
    /// The sessions of <paramref name="from"/> to <paramref name="until"/> (by start) that were billable at booking, took
    /// place (outcome done) and were not cancelled; in start order.
    /// </summary>
    public static async Task<IReadOnlyList<BilledSession>> BilledSessionsAsync(this IDbConnection connection, Instant from, Instant until) =>
        [.. await connection.QueryAsync<BilledSession>("""
            SELECT a.id AS appointment_id, c.number AS customer_number, c.company, c.branch, a.starts_at, a.ends_at, o.minutes,
                   a.type_key, b.reason AS billing_reason, t.name AS technician, a.cost_acknowledged, a.booked_by, a.created_at, o.note
            FROM appointments a
            JOIN appointment_outcomes o ON o.appointment_id = a.id
            JOIN appointment_billing b ON b.appointment_id = a.id
            JOIN customers c ON c.id = a.customer_id
            JOIN technicians t ON t.id = a.technician_id
            WHERE a.status = 'booked' AND o.outcome = 'done' AND b.billable = TRUE
              AND a.starts_at >= @from AND a.starts_at < @until
            ORDER BY a.starts_at, a.id
            """, new { from, until }).ConfigureAwait(false)];

    /// <summary>The shops' own acknowledgments (on their page) of these appointments' cost notices, the first per appointment.</summary>
    public static async Task<IReadOnlyDictionary<long, ShopAcknowledgment>> ShopAcknowledgmentsAsync(this IDbConnection connection, IReadOnlyCollection<long> appointmentIds)
    {
        if (appointmentIds.Count == 0)
        {
            return new Dictionary<long, ShopAcknowledgment>();
        }

        var rows = await connection.QueryAsync<ShopAcknowledgment>(
            $"SELECT appointment_id, acknowledged_at, recipient FROM cost_acknowledgments WHERE appointment_id {connection.In("ids")} ORDER BY acknowledged_at, id",
            new { ids = connection.List(appointmentIds) }).ConfigureAwait(false);
        return rows.GroupBy(r => r.AppointmentId).ToDictionary(g => g.Key, g => g.First());
    }

    /// <summary>The export's audit line.</summary>
    public static Task InsertExportAsync(this IDbConnection connection, Instant at, string actor, string month, string format, int lines, string sha256, IDbTransaction transaction) =>
        connection.ExecuteAsync(
            "INSERT INTO billing_exports (at, actor, month, format, lines, sha256) VALUES (@at, @actor, @month, @format, @lines, @sha256)",
            new { at, actor, month, format, lines, sha256 },
            transaction);

    /// <summary>The exports made so far, the latest first.</summary>
    public static async Task<IReadOnlyList<BillingExportRecord>> ExportsAsync(this IDbConnection connection, int limit) =>
        [.. await connection.QueryAsync<BillingExportRecord>(
            "SELECT id, at, actor, month, format, lines, sha256 FROM billing_exports ORDER BY id DESC LIMIT @limit", new { limit }).ConfigureAwait(false)];
}

/// <summary>One billed session as read from the database.</summary>
public sealed record BilledSession
{
    public long AppointmentId { get; init; }

    public string CustomerNumber { get; init; } = "";

    public string Company { get; init; } = "";

    public string? Branch { get; init; }

    public Instant StartsAt { get; init; }

    public Instant EndsAt { get; init; }

    public int Minutes { get; init; }

    public string TypeKey { get; init; } = "";

    /// <summary>covered, billable-type, no-support-contract; null for appointments booked before the reason was kept.</summary>
    public string? BillingReason { get; init; }

    public string Technician { get; init; } = "";

    public bool CostAcknowledged { get; init; }

    public string BookedBy { get; init; } = "";

    public Instant CreatedAt { get; init; }

    public string? Note { get; init; }
}

/// <summary>A shop's acknowledgment of the cost notice on its own page.</summary>
public sealed record ShopAcknowledgment
{
    public long AppointmentId { get; init; }

    public Instant AcknowledgedAt { get; init; }

    public string? Recipient { get; init; }
}

/// <summary>One line of <c>billing_exports</c>.</summary>
public sealed record BillingExportRecord
{
    public long Id { get; init; }

    public Instant At { get; init; }

    public string Actor { get; init; } = "";

    public string Month { get; init; } = "";

    public string Format { get; init; } = "";

    public int Lines { get; init; }

    public string Sha256 { get; init; } = "";
}
