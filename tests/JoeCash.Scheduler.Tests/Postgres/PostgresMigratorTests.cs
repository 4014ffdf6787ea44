using Dapper;
using JoeCash.Scheduler.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NodaTime;

namespace JoeCash.Scheduler.Tests.Postgres;

/// <summary>The PostgreSQL schema on a real server (tests/env/postgres.sh): migrated once by two nodes at once, and the no-overlap rules in the database.</summary>
public sealed class PostgresMigratorTests : IAsyncLifetime
{
    private readonly string _database = "test_" + Guid.NewGuid().ToString("N")[..12];
    private string _server = "";

    private string ConnectionString => new NpgsqlConnectionStringBuilder(_server) { Database = _database }.ToString();

    public async ValueTask InitializeAsync()
    {
        _server = Environment.GetEnvironmentVariable("JC_PG_CONNECTION")
            ?? throw new InvalidOperationException("JC_PG_CONNECTION is not set: start the test server with tests/env/postgres.sh start (tests/run.sh does).");
        await using var admin = new NpgsqlConnection(_server);
        await admin.ExecuteAsync($"CREATE DATABASE {_database}");
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(_server);
        await admin.ExecuteAsync($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)");
    }

    [Fact]
    public async Task TwoNodesStartingAtOnce_ApplyEachScriptOnce()
    {
        var migrator = new PostgresMigrator(SystemClock.Instance, NullLogger<PostgresMigrator>.Instance);

        var runs = await Task.WhenAll(migrator.MigrateAsync(ConnectionString), migrator.MigrateAsync(ConnectionString));

        Assert.Equal(PostgresMigrator.Scripts.Select(s => s.Version), runs.SelectMany(r => r).Order());
        Assert.Contains(runs, r => r.Count == 0);
        await using var connection = new NpgsqlConnection(ConnectionString);
        Assert.Equal(PostgresMigrator.Scripts.Count, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM schema_migrations"));
        Assert.Empty(await new PostgresMigrator(SystemClock.Instance, NullLogger<PostgresMigrator>.Instance).MigrateAsync(ConnectionString));
    }

    [Fact]
    public async Task OverlappingBookings_AreRefusedByTheDatabase_UnderTheSqliteRulesNames()
    {
        await new PostgresMigrator(SystemClock.Instance, NullLogger<PostgresMigrator>.Instance).MigrateAsync(ConnectionString);
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.ExecuteAsync("""
            INSERT INTO technicians (name, email, time_zone, federal_state, working_hours, appointment_types, created_at)
            VALUES ('Anna', 'anna@joecash.test', 'Europe/Berlin', 'BY', 'Mon-Fri 08:00-17:00', 'fault', 0),
                   ('Jonas', 'jonas@joecash.test', 'Europe/Berlin', 'BY', 'Mon-Fri 08:00-17:00', 'fault', 0);
            INSERT INTO customers (number, company, federal_state, contact_name, emails, support_contract, created_at, updated_at)
            VALUES ('K1', 'Shop', 'BY', 'E', 'k1@shop.test', TRUE, 0, 0), ('K2', 'Shop 2', 'BY', 'E', 'k2@shop.test', TRUE, 0, 0);
            """);
        const string Insert = """
            INSERT INTO appointments (uid, technician_id, customer_id, type_key, starts_at, ends_at, blocked_from, blocked_until, status, booked_by, created_at, updated_at)
            VALUES (@uid, @technician, @customer, 'fault', @start, @end, @start, @blockedUntil, @status, 'test', 0, 0)
            """;
        const long Hour = 3_600_000;
        await connection.ExecuteAsync(Insert, new { uid = "a", technician = 1L, customer = 1L, start = 10 * Hour, end = 11 * Hour, blockedUntil = 11 * Hour + Hour / 4, status = "booked" });

        var inBuffer = await Assert.ThrowsAsync<PostgresException>(() =>
            connection.ExecuteAsync(Insert, new { uid = "b", technician = 1L, customer = 2L, start = 11 * Hour, end = 12 * Hour, blockedUntil = 12 * Hour, status = "booked" }));
        var sameTill = await Assert.ThrowsAsync<PostgresException>(() =>
            connection.ExecuteAsync(Insert, new { uid = "c", technician = 2L, customer = 1L, start = 10 * Hour + Hour / 2, end = 11 * Hour + Hour / 2, blockedUntil = 11 * Hour + Hour / 2, status = "booked" }));
        await connection.ExecuteAsync(Insert, new { uid = "d", technician = 1L, customer = 2L, start = 11 * Hour + Hour / 4, end = 12 * Hour, blockedUntil = 12 * Hour, status = "booked" });
        await connection.ExecuteAsync(Insert, new { uid = "e", technician = 1L, customer = 1L, start = 10 * Hour, end = 11 * Hour, blockedUntil = 11 * Hour, status = "cancelled" });

        Assert.Equal((PostgresErrorCodes.ExclusionViolation, "technician_overlap"), (inBuffer.SqlState, inBuffer.ConstraintName));
        Assert.Equal((PostgresErrorCodes.ExclusionViolation, "shop_overlap"), (sameTill.SqlState, sameTill.ConstraintName));
        Assert.Equal(3, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM appointments"));
    }
}
