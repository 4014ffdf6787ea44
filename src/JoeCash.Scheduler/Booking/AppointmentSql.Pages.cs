using System.Data;
using Dapper;
using JoeCash.Scheduler.Domain;
using NodaTime;

namespace JoeCash.Scheduler.Booking;

/// <summary>The reads of the staff's pages, each bounded by what the page shows, however long the file's history.</summary>
public static partial class AppointmentSql
{
    /// <summary>
    /// One technician's booked appointments that start within <paramref name="span"/>, in order: a day's agenda. The
    /// blocked_from bounds let the partial (technician_id, blocked_from) index narrow the rows, since a blocked span
    /// starts at most a day (the schema's cap) before its appointment and never after it; without them the agenda
    /// read every appointment of the table (there is no index on technician_id alone).
    /// </summary>
    public static async Task<IReadOnlyList<Appointment>> BookedOfTechnicianStartingAsync(this IDbConnection connection, long technicianId, Interval span)
    {
        var rows = await connection.QueryAsync<AppointmentRow>($"""
            SELECT {Columns} FROM appointments
            WHERE status = 'booked' AND technician_id = @technicianId
              AND blocked_from >= @lowerBound AND blocked_from < @until AND starts_at >= @from AND starts_at < @until
            ORDER BY starts_at, id
            """,
            new { technicianId, lowerBound = span.Start - LongestBlock, from = span.Start, until = span.End }).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToDomain())];
    }

    /// <summary>
    /// A page of a shop's appointments (booked and cancelled), newest first: the <paramref name="limit"/> before the
    /// appointment <paramref name="before"/> (its start and id), or the newest. Keyset paging on the
    /// (customer_id, starts_at, id) index, so page 50 costs what page 1 does.
    /// </summary>
    public static async Task<IReadOnlyList<Appointment>> AppointmentsOfCustomerAsync(
        this IDbConnection connection, long customerId, (Instant Start, long Id)? before, int limit)
    {
        var rows = before is { } cursor
            ? await connection.QueryAsync<AppointmentRow>($"""
                SELECT {Columns} FROM appointments
                WHERE customer_id = @customerId AND starts_at <= @start AND (starts_at < @start OR id < @id)
                ORDER BY starts_at DESC, id DESC
                LIMIT @limit
                """,
                new { customerId, start = cursor.Start, id = cursor.Id, limit }).ConfigureAwait(false)
            : await connection.QueryAsync<AppointmentRow>(
                $"SELECT {Columns} FROM appointments WHERE customer_id = @customerId ORDER BY starts_at DESC, id DESC LIMIT @limit",
                new { customerId, limit }).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToDomain())];
    }
}
