using System.Data;
using Dapper;
using JoeCash.Scheduler.Configuration;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace JoeCash.Scheduler.Storage;

/// <summary>
/// Opens connections to the SQLite file with the settings every connection needs.
/// </summary>
/// <remarks>
/// Durability: the file runs in WAL mode (set by the migrator, stored in the file) and every connection
/// uses <c>synchronous=FULL</c>, so a commit the caller has seen survives a crash and a power cut —
/// with NORMAL, WAL may lose the last commits on power loss. Writers take the lock up front
/// (<c>BEGIN IMMEDIATE</c>): a deferred transaction that upgrades to a write can only time out.
/// </remarks>
public sealed class Database
{
    static Database() => DapperMapping.Register();

    public Database(IOptions<StorageOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        FilePath = System.IO.Path.GetFullPath(options.Value.Path);
        ConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = FilePath,
            ForeignKeys = true,
            DefaultTimeout = 30,
            Pooling = true,
        }.ToString();
    }

    public string FilePath { get; }

    public string ConnectionString { get; }

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var directory = System.IO.Path.GetDirectoryName(FilePath);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var connection = new SqliteConnection(ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            // Per-connection settings are not stored in the file; pooled connections keep them.
            await connection.ExecuteAsync("PRAGMA synchronous = FULL;").ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Begins a write transaction that holds the writer lock from its first statement.</summary>
    public static SqliteTransaction BeginWrite(SqliteConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return connection.BeginTransaction(IsolationLevel.Serializable, deferred: false);
    }
}
