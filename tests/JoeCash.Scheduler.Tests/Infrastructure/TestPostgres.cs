using Dapper;
using Npgsql;

namespace JoeCash.Scheduler.Tests.Infrastructure;

/// <summary>
/// The private PostgreSQL server of the test run (tests/env/postgres.sh, started by tests/run.sh): each test gets a
/// database of its own, dropped afterwards. Without the server the test fails and says how to start it — a
/// PostgreSQL test never passes by not running.
/// </summary>
public sealed class TestPostgres : IAsyncDisposable
{
    private TestPostgres(string server, string name)
    {
        Server = server;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = name }.ToString();
    }

    /// <summary>The connection string of the server's maintenance database (JC_PG_CONNECTION).</summary>
    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable("JC_PG_CONNECTION")
        ?? throw new InvalidOperationException("JC_PG_CONNECTION is not set: start the test server with tests/env/postgres.sh start and export JC_PG_CONNECTION=$(tests/env/postgres.sh url) (tests/run.sh does both).");

    public string Server { get; }

    public string Name { get; }

    /// <summary>The new database's connection string.</summary>
    public string ConnectionString { get; }

    /// <summary>Creates an empty database on the test server.</summary>
    public static async Task<TestPostgres> CreateAsync()
    {
        var server = ServerConnectionString;
        var name = "test_" + Guid.NewGuid().ToString("N")[..16];
        await using var admin = new NpgsqlConnection(server);
        await admin.ExecuteAsync($"CREATE DATABASE {name}");
        return new TestPostgres(server, name);
    }

    public async ValueTask DisposeAsync()
    {
        await using var admin = new NpgsqlConnection(Server);
        await admin.ExecuteAsync($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");
    }
}
