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

    /// <summary>The shop's RustDesk ID on file, which every later appointment and the technician's day use.</summary>
    public static Task<int> SetCustomerRustDeskIdAsync(this IDbConnection connection, long customerId, string rustDeskId, Instant now, IDbTransaction transaction) =>
        connection.ExecuteAsync("UPDATE customers SET rustdesk_id = @rustDeskId, updated_at = @now WHERE id = @customerId", new { customerId, rustDeskId, now }, transaction);

    /// <summary>The shop confirmed the appointment's RustDesk ID while booking it (no new version: it is part of the booking).</summary>
    public static Task<int> MarkRustDeskConfirmedAsync(this IDbConnection connection, long appointmentId, Instant now, IDbTransaction transaction) =>
        connection.ExecuteAsync("UPDATE appointments SET rustdesk_confirmed_at = @now WHERE id = @appointmentId", new { appointmentId, now }, transaction);

    /// <summary>The proof for invoicing: the shop acknowledged <paramref name="notice"/> on the booking page, signed in as <paramref name="recipient"/>.</summary>
    public static Task InsertShopCostAcknowledgmentAsync(this IDbConnection connection, long appointmentId, string recipient, string notice, Instant now, IDbTransaction transaction) =>
        connection.ExecuteAsync("""
            INSERT INTO cost_acknowledgments (appointment_id, acknowledged_at, how, link_id, recipient, notice)
            VALUES (@appointmentId, @now, 'shop-booking', NULL, @recipient, @notice)
            """, new { appointmentId, now, recipient, notice }, transaction);
}
