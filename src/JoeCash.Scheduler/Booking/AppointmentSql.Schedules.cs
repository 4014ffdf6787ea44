using System.Data.Common;
using System.Globalization;
using JoeCash.Scheduler.Domain;
using NodaTime;

namespace JoeCash.Scheduler.Booking;

/// <summary>The hot reads of slot search and booking: plain readers over a few integer columns.</summary>
public static partial class AppointmentSql
{
    /// <summary>
    /// The booked times of these technicians whose blocked span touches <paramref name="span"/>: six
    /// columns, not whole appointments, because slot search and booking read many of them.
    /// </summary>
    public static async Task<IReadOnlyList<BookedTime>> BookedTimesAsync(
        this DbConnection connection, IReadOnlyCollection<long> technicianIds, Interval span, DbTransaction? transaction = null)
    {
        // A plain reader: this is the hot query of slot search and booking, and six integers a row
        // need no mapping layer (Dapper's tuple mapping through type handlers cost ~5 µs a row).
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"""
            SELECT id, technician_id, starts_at, ends_at, blocked_from, blocked_until FROM appointments
            WHERE status = 'booked' AND technician_id IN ({string.Join(',', technicianIds.Select((_, i) => "@t" + i.ToString(CultureInfo.InvariantCulture)))})
              AND blocked_from >= @lowerBound AND blocked_from < @until AND blocked_until > @from
            """;
        var index = 0;
        foreach (var id in technicianIds)
        {
            Add(command, "@t" + index++.ToString(CultureInfo.InvariantCulture), id);
        }

        Add(command, "@lowerBound", (span.Start - LongestBlock).ToUnixTimeMilliseconds());
        Add(command, "@from", span.Start.ToUnixTimeMilliseconds());
        Add(command, "@until", span.End.ToUnixTimeMilliseconds());
        var times = new List<BookedTime>();
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            times.Add(new BookedTime(
                reader.GetInt64(0),
                reader.GetInt64(1),
                new Interval(Instant.FromUnixTimeMilliseconds(reader.GetInt64(2)), Instant.FromUnixTimeMilliseconds(reader.GetInt64(3))),
                new Interval(Instant.FromUnixTimeMilliseconds(reader.GetInt64(4)), Instant.FromUnixTimeMilliseconds(reader.GetInt64(5)))));
        }

        return times;
    }

    private static void Add(DbCommand command, string name, long value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    /// <summary>
    /// How many booked appointments of each technician start (<c>starts_at</c>, not the blocked span) within
    /// <paramref name="window"/>, leaving out <paramref name="excludeAppointmentId"/>: exactly what
    /// <c>TechnicianSchedule.BookedWithin</c> counts, so a booking ranks its candidates without reading their
    /// schedules. A technician without any is missing from the answer.
    /// </summary>
    public static async Task<IReadOnlyDictionary<long, int>> BookedStartsWithinAsync(
        this DbConnection connection, IReadOnlyCollection<long> technicianIds, Interval window, long? excludeAppointmentId, DbTransaction? transaction = null)
    {
        // The blocked_from bounds only let the (technician_id, blocked_from) index narrow the rows: a blocked
        // span starts at most a day (the schema's cap) before its appointment, and never after it.
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"""
            SELECT technician_id, count(*) FROM appointments
            WHERE status = 'booked' AND technician_id IN ({string.Join(',', technicianIds.Select((_, i) => "@t" + i.ToString(CultureInfo.InvariantCulture)))})
              AND blocked_from >= @lowerBound AND blocked_from < @until
              AND starts_at >= @from AND starts_at < @until{(excludeAppointmentId is null ? "" : " AND id <> @exclude")}
            GROUP BY technician_id
            """;
        var index = 0;
        foreach (var id in technicianIds)
        {
            Add(command, "@t" + index++.ToString(CultureInfo.InvariantCulture), id);
        }

        Add(command, "@lowerBound", (window.Start - LongestBlock).ToUnixTimeMilliseconds());
        Add(command, "@from", window.Start.ToUnixTimeMilliseconds());
        Add(command, "@until", window.End.ToUnixTimeMilliseconds());
        if (excludeAppointmentId is { } exclude)
        {
            Add(command, "@exclude", exclude);
        }

        var counts = new Dictionary<long, int>();
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            counts[reader.GetInt64(0)] = reader.GetInt32(1);
        }

        return counts;
    }
}
