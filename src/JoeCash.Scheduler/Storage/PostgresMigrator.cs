using Dapper;
using Microsoft.Extensions.Logging;
using Npgsql;
using NodaTime;

namespace JoeCash.Scheduler.Storage;

/// <summary>
/// Applies <c>sql/postgres/NNNN_name.sql</c> (embedded) to a PostgreSQL database, each script in its own
/// transaction with its row in <c>schema_migrations</c>. The whole run holds a session advisory lock, so two
/// nodes starting at once migrate once: the second waits, then finds every script applied.
/// </summary>
public sealed class PostgresMigrator(IClock clock, ILogger logger)
{
    /// <summary>The advisory lock's key: "joecash" in ASCII, so it does not collide with another application's.</summary>
    public const long LockKey = 0x6a6f6563617368;

    private const string ResourcePrefix = "sql/postgres/";

    public static IReadOnlyList<(int Version, string Name, string Sql)> Scripts { get; } = Migrator.LoadScripts(ResourcePrefix);

    /// <summary>Brings the database at <paramref name="connectionString"/> up to date; returns the versions applied now.</summary>
    public async Task<IReadOnlyList<int>> MigrateAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync("SELECT pg_advisory_lock(@key)", new { key = LockKey }).ConfigureAwait(false);
        try
        {
            await connection.ExecuteAsync("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version    integer PRIMARY KEY,
                    name       text    NOT NULL,
                    applied_at bigint  NOT NULL
                )
                """).ConfigureAwait(false);
            var done = (await connection.QueryAsync<int>("SELECT version FROM schema_migrations").ConfigureAwait(false)).ToHashSet();
            var applied = new List<int>();
            foreach (var (version, name, sql) in Scripts.Where(s => !done.Contains(s.Version)))
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                await connection.ExecuteAsync(sql, transaction: transaction).ConfigureAwait(false);
                await connection.ExecuteAsync(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@version, @name, @at)",
                    new { version, name, at = clock.GetCurrentInstant().ToUnixTimeMilliseconds() }, transaction).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                logger.LogInformation("Applied migration {Version} {Name} to PostgreSQL database {Database}", version, name, connection.Database);
                applied.Add(version);
            }

            return applied;
        }
        finally
        {
            await connection.ExecuteAsync("SELECT pg_advisory_unlock(@key)", new { key = LockKey }).ConfigureAwait(false);
        }
    }
}
