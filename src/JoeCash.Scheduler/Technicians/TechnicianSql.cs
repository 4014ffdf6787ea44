using JoeCash.Scheduler.Storage;
using System.Data;
using System.Data.Common;
using System.Globalization;
using Dapper;
using JoeCash.Scheduler.Domain;
using NodaTime;

namespace JoeCash.Scheduler.Technicians;

/// <summary>Dapper access to technicians and their time off: SQL beside the code that runs it.</summary>
public static class TechnicianSql
{
    private const string Columns = "id, name, email, time_zone, federal_state, working_hours, appointment_types, daily_cap, active, version";

    public static Task<IReadOnlyList<Technician>> ListTechniciansAsync(this IDbConnection connection, IDbTransaction? transaction = null) =>
        connection.ReadTechniciansAsync($"SELECT {Columns} FROM technicians ORDER BY id", null, transaction);

    /// <summary>The technician with this id, or null.</summary>
    public static async Task<Technician?> TechnicianByIdAsync(this IDbConnection connection, long id, IDbTransaction? transaction = null) =>
        (await connection.ReadTechniciansAsync($"SELECT {Columns} FROM technicians WHERE id = @id", new { id }, transaction).ConfigureAwait(false)).SingleOrDefault();

    /// <summary>The technicians with these ids (the ones that exist), by id.</summary>
    public static async Task<IReadOnlyDictionary<long, Technician>> TechniciansByIdAsync(this IDbConnection connection, IEnumerable<long> ids, IDbTransaction? transaction = null) =>
        (await connection.ReadTechniciansAsync($"SELECT {Columns} FROM technicians WHERE id {connection.In("ids")}", new { ids = connection.List(ids.Distinct()) }, transaction).ConfigureAwait(false))
            .ToDictionary(t => t.Id);

    /// <summary>The technician with this email address (as stored), or null.</summary>
    public static async Task<Technician?> TechnicianByEmailAsync(this IDbConnection connection, string email, IDbTransaction? transaction = null) =>
        (await connection.ReadTechniciansAsync($"SELECT {Columns} FROM technicians WHERE lower(email) = lower(@email)", new { email }, transaction).ConfigureAwait(false)).SingleOrDefault();

    /// <summary>Finds a technician by id; the refusal names the id.</summary>
    public static async Task<Result<Technician>> FindTechnicianAsync(this IDbConnection connection, long id, IDbTransaction? transaction = null) =>
        await connection.TechnicianByIdAsync(id, transaction).ConfigureAwait(false) is { } technician ? technician : NotFound(id.ToString(CultureInfo.InvariantCulture));

    /// <summary>
    /// Finds a technician by what a person typed: digits are an id, anything else an email address. The one
    /// place that reads such text; code that holds an id passes the <see cref="long"/>.
    /// </summary>
    public static async Task<Result<Technician>> FindTechnicianAsync(this IDbConnection connection, string reference, IDbTransaction? transaction = null)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var text = reference.Trim();
        var found = long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id)
            ? await connection.TechnicianByIdAsync(id, transaction).ConfigureAwait(false)
            : await connection.TechnicianByEmailAsync(text, transaction).ConfigureAwait(false);
        return found is null ? NotFound(reference) : found;
    }

    private static Result<Technician> NotFound(string reference) =>
        Result.Fail<Technician>($"technician: no technician '{reference}' (give the id or email; 'technician list' shows them).");

    public static Task<long> InsertTechnicianAsync(this IDbConnection connection, NewTechnician technician, Instant now, IDbTransaction? transaction = null)
    {
        ArgumentNullException.ThrowIfNull(technician);
        return connection.ExecuteScalarAsync<long>("""
            INSERT INTO technicians (name, email, time_zone, federal_state, working_hours, appointment_types, daily_cap, active, created_at)
            VALUES (@Name, @Email, @Zone, @State, @Hours, @Types, @DailyCap, TRUE, @now)
            RETURNING id
            """,
            new
            {
                technician.Name,
                technician.Email,
                Zone = technician.Zone.Id,
                State = technician.State.ToString(),
                Hours = technician.Hours.ToString(),
                Types = string.Join(',', technician.AppointmentTypes),
                technician.DailyCap,
                now,
            },
            transaction);
    }

    /// <summary>
    /// Writes every field of <paramref name="technician"/> over the row with its id and raises its version, if the row
    /// is still at <paramref name="technician"/>'s version; false if it is not (someone changed it first).
    /// </summary>
    public static async Task<bool> UpdateTechnicianAsync(this IDbConnection connection, Technician technician, IDbTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(technician);
        return await connection.ExecuteAsync("""
            UPDATE technicians
            SET name = @Name, email = @Email, time_zone = @Zone, federal_state = @State, working_hours = @Hours,
                appointment_types = @Types, daily_cap = @DailyCap, active = @Active, version = version + 1
            WHERE id = @Id AND version = @Version
            """,
            new
            {
                technician.Id,
                technician.Name,
                technician.Email,
                Zone = technician.Zone.Id,
                State = technician.State.ToString(),
                Hours = technician.Hours.ToString(),
                Types = string.Join(',', technician.AppointmentTypes.Order(StringComparer.Ordinal)),
                technician.DailyCap,
                technician.Active,
                technician.Version,
            },
            transaction).ConfigureAwait(false) == 1;
    }

    public static Task<long> InsertTimeOffAsync(this IDbConnection connection, long technicianId, Interval span, string? reason, IDbTransaction? transaction = null) =>
        connection.ExecuteScalarAsync<long>(
            "INSERT INTO time_off (technician_id, starts_at, ends_at, reason) VALUES (@technicianId, @from, @until, @reason) RETURNING id",
            new { technicianId, from = span.Start, until = span.End, reason },
            transaction);

    /// <summary>Time off of the given technicians that touches <paramref name="span"/>.</summary>
    public static async Task<ILookup<long, Interval>> TimeOffAsync(this IDbConnection connection, IReadOnlyCollection<long> technicianIds, Interval span, IDbTransaction? transaction = null)
    {
        var rows = await connection.QueryAsync<(long TechnicianId, Instant StartsAt, Instant EndsAt)>(
            $"SELECT technician_id, starts_at, ends_at FROM time_off WHERE technician_id {connection.In("technicianIds")} AND ends_at > @from AND starts_at < @until",
            new { technicianIds = connection.List(technicianIds), from = span.Start, until = span.End },
            transaction).ConfigureAwait(false);
        return rows.ToLookup(r => r.TechnicianId, r => new Interval(r.StartsAt, r.EndsAt));
    }

    // Every booking reads its technicians; their working hours rarely change, so each text is parsed once.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, WeeklyHours> ParsedHours = new(StringComparer.Ordinal);

    /// <summary>
    /// Runs a query over <see cref="Columns"/> and maps each row with a plain reader: every slot search for "any"
    /// reads all technicians, and Dapper's mapping of ten columns into a row class cost about 2 µs a technician more.
    /// </summary>
    private static async Task<IReadOnlyList<Technician>> ReadTechniciansAsync(this IDbConnection connection, string sql, object? parameters, IDbTransaction? transaction)
    {
        var technicians = new List<Technician>();
        // Both providers' connections are DbConnections, whose Dapper overload hands back a reader that reads asynchronously.
        await using var reader = await ((DbConnection)connection).ExecuteReaderAsync(sql, parameters, transaction).ConfigureAwait(false);
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            technicians.Add(ToDomain(reader));
        }

        return technicians;
    }

    // The row was checked on the way in; a failure here means the file was edited by hand.
    private static Technician ToDomain(DbDataReader row) => new(
        row.GetInt64(0),
        row.GetString(1),
        row.GetString(2),
        DateTimeZoneProviders.Tzdb[row.GetString(3)],
        Enum.Parse<FederalState>(row.GetString(4)),
        ParsedHours.GetOrAdd(row.GetString(5), static text => WeeklyHours.Parse(text).Value),
        row.GetString(6).Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.OrdinalIgnoreCase),
        row.IsDBNull(7) ? null : row.GetInt32(7),
        row.GetBoolean(8))
    {
        Version = row.GetInt32(9),
    };
}
