using System.Data;
using Dapper;
using NodaTime;

namespace JoeCash.Scheduler.Booking;

/// <summary>What a booking made by the shop itself writes with it (<see cref="ShopConfirmation"/>).</summary>
public static partial class AppointmentSql
{
    /// <summary>The shop's booked appointments that have not ended yet.</summary>
    public static Task<int> CountOpenAppointmentsAsync(this IDbConnection connection, long customerId, Instant now, IDbTransaction? transaction = null) =>
        connection.ExecuteScalarAsync<int>(
            "SELECT count(*) FROM appointments WHERE customer_id = @customerId AND status = 'booked' AND ends_at > @now",
            new { customerId, now }, transaction);

    /// <summary>The shop confirmed the appointment's RustDesk ID while booking it (no new version: it is part of the booking).</summary>
    public static Task<int> MarkRustDeskConfirmedAsync(this IDbConnection connection, long appointmentId, Instant now, IDbTransaction transaction) =>
        connection.ExecuteAsync("UPDATE appointments SET rustdesk_confirmed_at = @now WHERE id = @appointmentId", new { appointmentId, now }, transaction);

    /// <summary>
    /// The proof for invoicing: the shop acknowledged <paramref name="notice"/> itself, <paramref name="how"/> ('shop-link':
    /// on its appointment page, from link <paramref name="linkId"/>; 'shop-booking': on the booking page), as <paramref name="recipient"/>.
    /// </summary>
    public static Task InsertCostAcknowledgmentAsync(
        this IDbConnection connection, long appointmentId, string how, long? linkId, string recipient, string notice, Instant now, IDbTransaction transaction) =>
        connection.ExecuteAsync("""
            INSERT INTO cost_acknowledgments (appointment_id, acknowledged_at, how, link_id, recipient, notice)
            VALUES (@appointmentId, @now, @how, @linkId, @recipient, @notice)
            """, new { appointmentId, now, how, linkId, recipient, notice }, transaction);
}
