using System.Data;
using Dapper;
using NodaTime;

namespace JoeCash.Scheduler.ShopBooking;

/// <summary>Dapper access for what the booking page records beside the booking itself.</summary>
public static class ShopBookingSql
{
    /// <summary>The shop's booked appointments that have not ended yet: what counts against <c>ShopBooking:MaxOpenBookings</c>.</summary>
    public static Task<IEnumerable<long>> OpenAppointmentIdsAsync(this IDbConnection connection, long customerId, Instant now, IDbTransaction? transaction = null) =>
        connection.QueryAsync<long>(
            "SELECT id FROM appointments WHERE customer_id = @customerId AND status = 'booked' AND ends_at > @now ORDER BY starts_at",
            new { customerId, now }, transaction);
}
