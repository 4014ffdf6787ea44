using System.Data;
using System.Data.Common;
using Dapper;
using Npgsql;

namespace JoeCash.Scheduler.Storage;

/// <summary>The PostgreSQL side: a data source per durability, write transactions, and the turns that order them.</summary>
public sealed partial class Database
{
    // Typed by their base class: ReadyToRun code resolves every type a method names before it runs, so with Npgsql's
    // types here the constructor loaded Npgsql (1.4 MiB resident, its types and statics) for a SQLite service that
    // cannot use it. Measured: serve-idle, tests/JoeCash.Scheduler.Benchmarks.
    private readonly DbDataSource? _full;
    private readonly DbDataSource? _relaxed;

    /// <summary>The data source of <see cref="Durability.Full"/> connections, for the PostgreSQL migrator and the copy verb.</summary>
    internal NpgsqlDataSource PostgresSource => (NpgsqlDataSource?)_full ?? throw new InvalidOperationException("Storage:Provider is not PostgreSQL.");

    private static (DbDataSource Full, DbDataSource Relaxed) CreateDataSources(string? connectionString)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString ?? "");
        }
        catch (ArgumentException e)
        {
            // The message names the keyword, never the value (which may be the password).
            throw new StorageException($"Storage:ConnectionString is not a valid PostgreSQL connection string: {e.Message}", StorageFault.Environment, e);
        }

        if (string.IsNullOrWhiteSpace(builder.Host) || string.IsNullOrWhiteSpace(builder.Database))
        {
            throw new StorageException(
                "Storage:Provider is PostgreSQL, so Storage:ConnectionString must name the server and the database, e.g. "
                + "JOECASH_Storage__ConnectionString='Host=db.example;Port=5432;Database=joecash;Username=joecash;Password=…' (from the environment, never a file in the repository).",
                StorageFault.Environment);
        }

        // synchronous_commit=on is PostgreSQL's default and what Durability.Full promises; set explicitly so a
        // server-wide "off" does not weaken it. Relaxed marks may lose the last commits on a server crash.
        builder.Options = Join(builder.Options, "-c synchronous_commit=on");
        if (builder.MaxAutoPrepare == 0)
        {
            // The same few dozen statements run all day: prepared once per connection, PostgreSQL plans them once.
            builder.MaxAutoPrepare = 64;
            builder.AutoPrepareMinUsages = 2;
        }

        var full = new NpgsqlDataSourceBuilder(builder.ToString()) { Name = "joecash" }.Build();
        builder.Options = builder.Options.Replace("synchronous_commit=on", "synchronous_commit=off", StringComparison.Ordinal);
        var relaxed = new NpgsqlDataSourceBuilder(builder.ToString()) { Name = "joecash-relaxed" }.Build();
        return (full, relaxed);
    }

    private static string Join(string? options, string option) => string.IsNullOrWhiteSpace(options) ? option : $"{options} {option}";

    private async Task<DbConnection> OpenPostgresAsync(Durability durability, CancellationToken cancellationToken)
    {
        var source = durability == Durability.Relaxed ? _relaxed! : _full!;
        try
        {
            return await source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            throw StorageErrors.Describe(e, Name) ?? new StorageException($"Cannot connect to the {Name}: {e.Message}", StorageFault.Environment, e);
        }
    }

    /// <summary>
    /// Makes concurrent write transactions that decide about the same things take turns: each waits for the
    /// transaction-scoped advisory locks <paramref name="keys"/>, taken in ascending order (so two transactions never
    /// wait for each other in a circle), and held until it ends. PostgreSQL only: SQLite's writers take turns anyway.
    /// Without it, racing inserts under an exclusion constraint wait on each other's rows and end in deadlocks.
    /// </summary>
    public static Task TakeTurnsAsync(DbConnection connection, DbTransaction transaction, IEnumerable<long> keys) =>
        connection.IsPostgres()
            ? connection.ExecuteAsync(
                "SELECT pg_advisory_xact_lock(k) FROM (SELECT DISTINCT k FROM unnest(@keys) AS k ORDER BY k) AS ordered",
                new { keys = keys.ToArray() },
                transaction)
            : Task.CompletedTask;

    private static Task<WriteScope> BeginPostgresWriteAsync(DbConnection connection, CancellationToken cancellationToken) =>
        BeginPostgresWriteAsync(connection, IsolationLevel.Serializable, cancellationToken);

    private static async Task<WriteScope> BeginPostgresWriteAsync(DbConnection connection, IsolationLevel isolation, CancellationToken cancellationToken) =>
        new(await ((NpgsqlConnection)connection).BeginTransactionAsync(isolation, cancellationToken).ConfigureAwait(false), gate: null, connection);
}
