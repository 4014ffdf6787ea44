using System.Data;
using Dapper;
using JoeCash.Scheduler.Domain;
using NodaTime;

namespace JoeCash.Scheduler.Technicians;

/// <summary>What an administrator enters for a new technician, checked field by field.</summary>
public sealed record NewTechnician(
    string Name,
    string Email,
    DateTimeZone Zone,
    FederalState State,
    WeeklyHours Hours,
    IReadOnlyList<string> AppointmentTypes,
    int? DailyCap);

/// <summary>Dapper access to technicians and their time off: SQL beside the code that runs it.</summary>
public static class TechnicianSql
{
    private const string Columns = "id, name, email, time_zone, federal_state, working_hours, appointment_types, daily_cap, active";

    public static async Task<IReadOnlyList<Technician>> ListTechniciansAsync(this IDbConnection connection, IDbTransaction? transaction = null)
    {
        var rows = await connection.QueryAsync<TechnicianRow>($"SELECT {Columns} FROM technicians ORDER BY id", transaction: transaction).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToDomain())];
    }

    /// <summary>Finds a technician by id or by email address.</summary>
    public static async Task<Result<Technician>> FindTechnicianAsync(this IDbConnection connection, string reference, IDbTransaction? transaction = null)
    {
        var text = reference.Trim();
        var row = long.TryParse(text, out var id)
            ? await connection.QuerySingleOrDefaultAsync<TechnicianRow>($"SELECT {Columns} FROM technicians WHERE id = @id", new { id }, transaction).ConfigureAwait(false)
            : await connection.QuerySingleOrDefaultAsync<TechnicianRow>($"SELECT {Columns} FROM technicians WHERE email = @text", new { text }, transaction).ConfigureAwait(false);
        return row is null
            ? Result.Fail<Technician>($"technician: no technician '{reference}' (give the id or email; 'technician list' shows them).")
            : row.ToDomain();
    }

    public static Task<long> InsertTechnicianAsync(this IDbConnection connection, NewTechnician technician, Instant now, IDbTransaction? transaction = null)
    {
        ArgumentNullException.ThrowIfNull(technician);
        return connection.ExecuteScalarAsync<long>("""
            INSERT INTO technicians (name, email, time_zone, federal_state, working_hours, appointment_types, daily_cap, active, created_at)
            VALUES (@Name, @Email, @Zone, @State, @Hours, @Types, @DailyCap, 1, @now)
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

    public static Task<long> InsertTimeOffAsync(this IDbConnection connection, long technicianId, Interval span, string? reason, IDbTransaction? transaction = null) =>
        connection.ExecuteScalarAsync<long>(
            "INSERT INTO time_off (technician_id, starts_at, ends_at, reason) VALUES (@technicianId, @from, @until, @reason) RETURNING id",
            new { technicianId, from = span.Start, until = span.End, reason },
            transaction);

    /// <summary>Time off of the given technicians that touches <paramref name="span"/>.</summary>
    public static async Task<ILookup<long, Interval>> TimeOffAsync(this IDbConnection connection, IReadOnlyCollection<long> technicianIds, Interval span, IDbTransaction? transaction = null)
    {
        var rows = await connection.QueryAsync<(long TechnicianId, Instant StartsAt, Instant EndsAt)>(
            "SELECT technician_id, starts_at, ends_at FROM time_off WHERE technician_id IN @technicianIds AND ends_at > @from AND starts_at < @until",
            new { technicianIds, from = span.Start, until = span.End },
            transaction).ConfigureAwait(false);
        return rows.ToLookup(r => r.TechnicianId, r => new Interval(r.StartsAt, r.EndsAt));
    }

    // Every booking reads its technicians; their working hours rarely change, so each text is parsed once.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, WeeklyHours> ParsedHours = new(StringComparer.Ordinal);

    private sealed class TechnicianRow
    {
        public long Id { get; init; }

        public string Name { get; init; } = "";

        public string Email { get; init; } = "";

        public string TimeZone { get; init; } = "";

        public string FederalState { get; init; } = "";

        public string WorkingHours { get; init; } = "";

        public string AppointmentTypes { get; init; } = "";

        public int? DailyCap { get; init; }

        public bool Active { get; init; }

        // The row was checked on the way in; a failure here means the file was edited by hand.
        public Technician ToDomain() => new(
            Id,
            Name,
            Email,
            DateTimeZoneProviders.Tzdb[TimeZone],
            Enum.Parse<FederalState>(FederalState),
            ParsedHours.GetOrAdd(WorkingHours, static text => WeeklyHours.Parse(text).Value),
            AppointmentTypes.Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.OrdinalIgnoreCase),
            DailyCap,
            Active);
    }
}
