using System.Reflection;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Extensions.Logging;
using NodaTime;

namespace JoeCash.Scheduler.Storage;

/// <summary>
/// Applies the numbered scripts under <c>sql/sqlite/</c> (embedded in the binary) in order, each in its
/// own write transaction together with its row in <c>schema_migrations</c>. Safe to run twice and
/// from two processes at once: the applied check runs inside the transaction that holds the writer lock.
/// With <c>Storage:Provider=PostgreSQL</c>, <see cref="PostgresMigrator"/> applies <c>sql/postgres/</c> instead.
/// </summary>
public sealed partial class Migrator(Database database, IClock clock, ILogger<Migrator> logger)
{
    private const string ResourcePrefix = "sql/sqlite/";

    /// <summary>The scripts shipped with this build, ordered by number.</summary>
    public static IReadOnlyList<(int Version, string Name, string Sql)> Scripts { get; } = LoadScripts(ResourcePrefix);

    /// <summary>Brings the file up to date; returns the versions applied now (empty if it already was).</summary>
    public async Task<IReadOnlyList<int>> MigrateAsync(CancellationToken cancellationToken = default)
    {
        if (database.Provider == StorageProvider.PostgreSQL)
        {
            return await new PostgresMigrator(clock, logger).MigrateAsync(database.ConnectionString, cancellationToken).ConfigureAwait(false);
        }

        await using var connection = await database.CreateAsync(cancellationToken).ConfigureAwait(false);
        // WAL is a property of the file: set it once, outside any transaction.
        await connection.ExecuteAsync("PRAGMA journal_mode = WAL;").ConfigureAwait(false);
        await connection.ExecuteAsync("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    INTEGER PRIMARY KEY,
                name       TEXT    NOT NULL,
                applied_at INTEGER NOT NULL
            );
            """).ConfigureAwait(false);

        var applied = new List<int>();
        foreach (var (version, name, sql) in Scripts)
        {
            await using var writing = await Database.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
            var transaction = writing.Transaction;
            var done = await connection.ExecuteScalarAsync<long>(
                "SELECT count(*) FROM schema_migrations WHERE version = @version", new { version }, transaction).ConfigureAwait(false);
            if (done > 0)
            {
                continue;
            }

            await connection.ExecuteAsync(sql, transaction: transaction).ConfigureAwait(false);
            await connection.ExecuteAsync(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@version, @name, @at)",
                new { version, name, at = clock.GetCurrentInstant() },
                transaction).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            logger.LogInformation("Applied migration {Version} {Name} to {Path}", version, name, database.Name);
            applied.Add(version);
        }

        return applied;
    }

    /// <summary>The versions recorded in the file.</summary>
    public async Task<IReadOnlyList<int>> AppliedAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var exists = await connection.ExecuteScalarAsync<bool>(database.Provider == StorageProvider.PostgreSQL
            ? "SELECT to_regclass('schema_migrations') IS NOT NULL"
            : "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").ConfigureAwait(false);
        return !exists
            ? []
            : [.. await connection.QueryAsync<int>("SELECT version FROM schema_migrations ORDER BY version").ConfigureAwait(false)];
    }

    /// <summary>The embedded <c>NNNN_name.sql</c> scripts under <paramref name="prefix"/> (one dialect's folder), by number.</summary>
    internal static List<(int, string, string)> LoadScripts(string prefix)
    {
        var assembly = Assembly.GetExecutingAssembly();
        var scripts = new List<(int, string, string)>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
        {
            var fileName = resource[prefix.Length..];
            var match = ScriptName().Match(fileName);
            if (!match.Success)
            {
                throw new InvalidOperationException($"Migration '{fileName}' must be named NNNN_name.sql.");
            }

            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            scripts.Add((int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), match.Groups[2].Value, reader.ReadToEnd()));
        }

        scripts.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        for (var i = 1; i < scripts.Count; i++)
        {
            if (scripts[i].Item1 == scripts[i - 1].Item1)
            {
                throw new InvalidOperationException($"Two migrations share the number {scripts[i].Item1}.");
            }
        }

        return scripts;
    }

    [GeneratedRegex(@"^(\d{4})_([a-z0-9_]+)\.sql$")]
    private static partial Regex ScriptName();
}
