using System.Data;
using Dapper;
using NodaTime;

namespace JoeCash.Scheduler.SelfService;

/// <summary>Dapper access for what a shop changes on its own page; each statement re-checks the appointment's version.</summary>
public static class SelfServiceSql
{
    /// <summary>The shop accepts the appointment as shown at <paramref name="version"/>: the columns an Accept from its calendar sets.</summary>
    public static Task<int> AcceptAsync(this IDbConnection connection, long appointmentId, int version, string by, Instant now, IDbTransaction transaction) =>
        connection.ExecuteAsync("""
            UPDATE appointments SET response = 'accepted', responded_at = @now, responded_by = @by, version = version + 1, updated_at = @now
            WHERE id = @appointmentId AND version = @version AND status = 'booked'
            """, new { appointmentId, version, by, now }, transaction);

    /// <summary>Marks the shop's RustDesk ID as confirmed for this appointment (and the ID it booked with as the one on file).</summary>
    public static Task<int> ConfirmRustDeskAsync(this IDbConnection connection, long appointmentId, int version, string rustDeskId, Instant now, IDbTransaction transaction) =>
        connection.ExecuteAsync("""
            UPDATE appointments SET rustdesk_id = @rustDeskId, rustdesk_confirmed_at = @now, version = version + 1, updated_at = @now
            WHERE id = @appointmentId AND version = @version AND status = 'booked'
            """, new { appointmentId, version, rustDeskId, now }, transaction);

    public static Task<int> AcknowledgeCostAsync(this IDbConnection connection, long appointmentId, int version, Instant now, IDbTransaction transaction) =>
        connection.ExecuteAsync("""
            UPDATE appointments SET cost_acknowledged = TRUE, version = version + 1, updated_at = @now
            WHERE id = @appointmentId AND version = @version AND status = 'booked' AND cost_acknowledged = FALSE
            """, new { appointmentId, version, now }, transaction);

    /// <summary>The shop's own acknowledgments of an appointment's cost notice, newest first.</summary>
    public static Task<IEnumerable<CostAcknowledgment>> CostAcknowledgmentsAsync(this IDbConnection connection, long appointmentId) =>
        connection.QueryAsync<CostAcknowledgment>(
            "SELECT appointment_id, acknowledged_at, how, link_id, recipient, notice FROM cost_acknowledgments WHERE appointment_id = @appointmentId ORDER BY id DESC",
            new { appointmentId });
}

/// <summary>One row of <c>cost_acknowledgments</c>: the proof the billing export cites.</summary>
public sealed record CostAcknowledgment
{
    public long AppointmentId { get; init; }

    public Instant AcknowledgedAt { get; init; }

    public string How { get; init; } = "";

    public long? LinkId { get; init; }

    public string? Recipient { get; init; }

    public string Notice { get; init; } = "";
}
