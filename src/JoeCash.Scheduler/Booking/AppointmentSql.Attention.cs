using System.Data;
using Dapper;
using JoeCash.Scheduler.Domain;
using NodaTime;

namespace JoeCash.Scheduler.Booking;

public static partial class AppointmentSql
{
    /// <summary>
    /// Booked appointments that have not started by <paramref name="now"/> and start before <paramref name="until"/>,
    /// and that need a person: declined, without a RustDesk ID on file, or unanswered and starting before <paramref name="soon"/>.
    /// </summary>
    public static async Task<IReadOnlyList<Appointment>> NeedingAttentionAsync(this IDbConnection connection, Instant now, Instant soon, Instant until, int limit)
    {
        var rows = await connection.QueryAsync<AppointmentRow>($"""
            SELECT {Columns} FROM appointments
            WHERE status = 'booked' AND starts_at >= @now AND starts_at < @until
              AND (response = 'declined' OR rustdesk_id IS NULL OR (response = 'needs-action' AND starts_at < @soon))
            ORDER BY starts_at, id
            LIMIT @limit
            """,
            new { now, soon, until, limit }).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToDomain())];
    }
}
