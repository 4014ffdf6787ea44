using System.Data;
using Dapper;
using JoeCash.Scheduler.Domain;

namespace JoeCash.Scheduler.Booking;

public static partial class AppointmentSql
{
    /// <summary>Every appointment of a shop (booked and cancelled), newest first.</summary>
    public static async Task<IReadOnlyList<Appointment>> AppointmentsOfCustomerAsync(this IDbConnection connection, long customerId)
    {
        var rows = await connection.QueryAsync<AppointmentRow>(
            $"SELECT {Columns} FROM appointments WHERE customer_id = @customerId ORDER BY starts_at DESC, id DESC",
            new { customerId }).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToDomain())];
    }
}
