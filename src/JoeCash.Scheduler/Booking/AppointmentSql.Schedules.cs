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
            WHERE status = 'booked' {TechnicianCondition(command, technicianIds)}
              AND blocked_from >= @lowerBound AND blocked_from < @until AND blocked_until > @from
            """;
        var wanted = Wanted(technicianIds);
        Add(command, "@lowerBound", (span.Start - LongestBlock).ToUnixTimeMilliseconds());
        Add(command, "@from", span.Start.ToUnixTimeMilliseconds());
        Add(command, "@until", span.End.ToUnixTimeMilliseconds());
        var times = new List<BookedTime>();
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            var technicianId = reader.GetInt64(1);
            if (wanted is not null && !wanted.Contains(technicianId))
            {
                continue;
            }

            times.Add(new BookedTime(
                reader.GetInt64(0),
                technicianId,
                new Interval(Instant.FromUnixTimeMilliseconds(reader.GetInt64(2)), Instant.FromUnixTimeMilliseconds(reader.GetInt64(3))),
                new Interval(Instant.FromUnixTimeMilliseconds(reader.GetInt64(4)), Instant.FromUnixTimeMilliseconds(reader.GetInt64(5)))));
        }

        return times;
    }

    /// <summary>
    /// Time off of these technicians that touches <paramref name="span"/>, by technician: as <c>TechnicianSql.TimeOffAsync</c>,
    /// without a parameter per technician when there are many (the window is then read on the (ends_at) index).
    /// </summary>
    public static async Task<ILookup<long, Interval>> TimeOffOfAsync(
        this DbConnection connection, IReadOnlyCollection<long> technicianIds, Interval span, DbTransaction? transaction = null)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT technician_id, starts_at, ends_at FROM time_off WHERE ends_at > @from AND starts_at < @until {TechnicianCondition(command, technicianIds)}";
        var wanted = Wanted(technicianIds);
        Add(command, "@from", span.Start.ToUnixTimeMilliseconds());
        Add(command, "@until", span.End.ToUnixTimeMilliseconds());
        var rows = new List<(long TechnicianId, Interval Span)>();
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            if (wanted is not null && !wanted.Contains(reader.GetInt64(0)))
            {
                continue;
            }

            rows.Add((reader.GetInt64(0), new Interval(Instant.FromUnixTimeMilliseconds(reader.GetInt64(1)), Instant.FromUnixTimeMilliseconds(reader.GetInt64(2)))));
        }

        return rows.ToLookup(r => r.TechnicianId, r => r.Span);
    }

    /// <summary>Up to this many technicians are searched one by one on their index; more are filtered in memory.</summary>
    private const int SearchedOneByOne = 16;

    /// <summary>
    /// "AND technician_id IN (these)" with its parameters added to <paramref name="command"/>, for a few technicians;
    /// for more, nothing: the query then reads the window on its (blocked_from) index and <see cref="Wanted"/> filters.
    /// With 1,000 technicians that read is ~5 times faster than 1,000 index searches (2 ms vs. 10 ms in the sqlite3
    /// shell for the 16 days of a 14-day slot search), and binding 1,000 named parameters cost another ~15 ms.
    /// Either way the cost follows the window, not the table.
    /// </summary>
    private static string TechnicianCondition(DbCommand command, IReadOnlyCollection<long> technicianIds)
    {
        if (technicianIds.Count > SearchedOneByOne)
        {
            return "";
        }

        var index = 0;
        foreach (var id in technicianIds)
        {
            Add(command, "@t" + index++.ToString(CultureInfo.InvariantCulture), id);
        }

        return $"AND technician_id IN ({string.Join(',', technicianIds.Select((_, i) => "@t" + i.ToString(CultureInfo.InvariantCulture)))})";
    }

    /// <summary>The technicians to keep from the rows read, or null when the query named them itself (see <see cref="TechnicianCondition"/>).</summary>
    private static HashSet<long>? Wanted(IReadOnlyCollection<long> technicianIds) =>
        technicianIds.Count > SearchedOneByOne ? [.. technicianIds] : null;

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
            WHERE status = 'booked' {TechnicianCondition(command, technicianIds)}
              AND blocked_from >= @lowerBound AND blocked_from < @until
              AND starts_at >= @from AND starts_at < @until{(excludeAppointmentId is null ? "" : " AND id <> @exclude")}
            GROUP BY technician_id
            """;
        var wanted = Wanted(technicianIds);
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
            if (wanted is null || wanted.Contains(reader.GetInt64(0)))
            {
                counts[reader.GetInt64(0)] = reader.GetInt32(1);
            }
        }

        return counts;
    }
}
