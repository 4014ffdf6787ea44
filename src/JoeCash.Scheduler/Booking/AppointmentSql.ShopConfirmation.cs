using System.Data;
using Dapper;
using JoeCash.Scheduler.Storage;
using NodaTime;

namespace JoeCash.Scheduler.Booking;

/// <summary>What a booking made by the shop itself writes with it (<see cref="ShopConfirmation"/>).</summary>
public static partial class AppointmentSql
{
    /// <summary>The shop's booked appointments that have not ended yet.</summary>
    public static Task<int> CountOpenAppointmentsAsync(this IDbConnection connection, long customerId, Instant now, IDbTransaction? transaction = null) =>
        connection.ExecuteScalarAsync<int>(CountOpenAppointmentsSql, new { customerId, now }, transaction);

    internal const string CountOpenAppointmentsSql = "SELECT count(*) FROM appointments WHERE customer_id = @customerId AND status = 'booked' AND ends_at > @now";

    /// <summary>The shop confirmed the appointment's RustDesk ID while booking it (no new version: it is part of the booking).</summary>
    public static Task<int> MarkRustDeskConfirmedAsync(this IDbConnection connection, long appointmentId, Instant now, IDbTransaction transaction) =>
        connection.ExecuteAsync(MarkRustDeskConfirmedSql, new { appointmentId, now }, transaction);

    /// <summary>The same as <see cref="MarkRustDeskConfirmedAsync"/>, queued in the booking's batch.</summary>
    public static void MarkRustDeskConfirmed(this StatementBatch batch, long appointmentId, Instant now)
    {
        ArgumentNullException.ThrowIfNull(batch);
        batch.Execute(MarkRustDeskConfirmedSql, ("appointmentId", appointmentId), ("now", now));
    }

    private const string MarkRustDeskConfirmedSql = "UPDATE appointments SET rustdesk_confirmed_at = @now WHERE id = @appointmentId";

    private const string InsertCostAcknowledgmentSql = """
        INSERT INTO cost_acknowledgments (appointment_id, acknowledged_at, how, link_id, recipient, notice)
        VALUES (@appointmentId, @now, @how, @linkId, @recipient, @notice)
        """;

    /// <summary>
    /// The proof for invoicing: the shop acknowledged <paramref name="notice"/> itself, <paramref name="how"/> ('shop-link':
    /// on its appointment page, from link <paramref name="linkId"/>; 'shop-booking': on the booking page), as <paramref name="recipient"/>.
    /// </summary>
    public static Task InsertCostAcknowledgmentAsync(
        this IDbConnection connection, long appointmentId, string how, long? linkId, string recipient, string notice, Instant now, IDbTransaction transaction) =>
        connection.ExecuteAsync(InsertCostAcknowledgmentSql, new { appointmentId, now, how, linkId, recipient, notice }, transaction);

    /// <summary>A shop's acknowledgment made on the booking page (<see cref="InsertCostAcknowledgmentAsync"/> with no link), queued in the booking's batch.</summary>
    public static void InsertCostAcknowledgment(this StatementBatch batch, long appointmentId, string how, string recipient, string notice, Instant now)
    {
        ArgumentNullException.ThrowIfNull(batch);
        batch.Execute(InsertCostAcknowledgmentSql, ("appointmentId", appointmentId), ("now", now), ("how", how), ("linkId", null), ("recipient", recipient), ("notice", notice));
    }
}
