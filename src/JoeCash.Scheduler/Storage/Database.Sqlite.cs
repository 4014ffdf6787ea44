using System.Data;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Dapper;
using Microsoft.Data.Sqlite;

namespace JoeCash.Scheduler.Storage;

/// <summary>The SQLite side: the file, its creation, read-only file systems, and the single writer.</summary>
public sealed partial class Database
{
    /// <summary>
    /// SQLite: Quartz's own file beside this one, created 0640 if new (its -wal and -shm files take the
    /// file's mode), in WAL mode, which is stored in the file. PostgreSQL: nothing (Quartz's tables are in the
    /// migrations).
    /// </summary>
    public async Task PrepareQuartzStoreAsync(string path, CancellationToken cancellationToken)
    {
        if (Provider != StorageProvider.Sqlite)
        {
            return;
        }

        PrivateFiles.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        if (!File.Exists(path))
        {
            await PrivateFiles.Create(path, FileMode.CreateNew).DisposeAsync().ConfigureAwait(false);
        }

        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path }.ToString());
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync("PRAGMA journal_mode = WAL;").ConfigureAwait(false);
    }

    /// <summary>Opens the SQLite file, creating it and its folder (0750, file 0640) if they do not exist yet.</summary>
    public async Task<SqliteConnection> CreateAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            if (Directory.Exists(FilePath))
            {
                throw StorageErrors.IsDirectory(FilePath);
            }

            var directory = System.IO.Path.GetDirectoryName(FilePath);
            if (!string.IsNullOrEmpty(directory) && !Directory.Exists(directory))
            {
                PrivateFiles.CreateDirectory(directory);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw StorageErrors.CannotCreate(FilePath, e);
        }

        // SQLite creates the file itself (two migrators at once must race inside SQLite's locks, not ours);
        // it is made 0640 before the first write, and SQLite gives its -wal and -shm files the same mode.
        var created = !File.Exists(FilePath);
        var connection = await OpenConnectionAsync(new SqliteConnectionStringBuilder(ConnectionString) { Mode = SqliteOpenMode.ReadWriteCreate }.ToString(), cancellationToken).ConfigureAwait(false);
        if (created && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(FilePath, PrivateFiles.FileMode);
        }

        return connection;
    }

    private async Task<DbConnection> OpenSqliteAsync(Durability durability, CancellationToken cancellationToken)
    {
        if (!File.Exists(FilePath))
        {
            throw Directory.Exists(FilePath) ? StorageErrors.IsDirectory(FilePath) : StorageErrors.Missing(FilePath);
        }

        var connection = await OpenConnectionAsync(ConnectionString, cancellationToken).ConfigureAwait(false);
        if (durability == Durability.Relaxed)
        {
            await SetSynchronousAsync(connection, Durability.Relaxed).ConfigureAwait(false);
        }

        return connection;
    }

    /// <summary>
    /// Gives the connection <c>synchronous=FULL</c> or <c>NORMAL</c>. The setting lives in SQLite's native connection,
    /// which the pool hands out again and again: it is remembered per native connection and the PRAGMA runs only when it
    /// changes (these two places are the only ones that set it), instead of once more on every open.
    /// </summary>
    private static async Task SetSynchronousAsync(SqliteConnection connection, Durability durability)
    {
        var set = SynchronousOf.GetOrCreateValue(connection.Handle!);
        if (set.Value != durability)
        {
            // Forgotten first: if the PRAGMA fails, the next open sets it again.
            set.Value = null;
            await connection.ExecuteAsync(durability == Durability.Full ? "PRAGMA synchronous = FULL;" : "PRAGMA synchronous = NORMAL;").ConfigureAwait(false);
            set.Value = durability;
        }
    }

    private static readonly ConditionalWeakTable<SQLitePCL.sqlite3, StrongBox<Durability?>> SynchronousOf = new();

    private async Task<SqliteConnection> OpenConnectionAsync(string connectionString, CancellationToken cancellationToken)
    {
        try
        {
            return await OpenWithAsync(connectionString, cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException e) when (e.SqliteErrorCode is 14 or 8 && File.Exists(FilePath) && !IsWritable(FilePath))
        {
            // A WAL file on a read-only file system cannot be opened the normal way: SQLite would have to create
            // its -shm file beside it. Nothing can change the file there, so SQLite may read it as immutable;
            // every verb that only reads works, and a write is refused as read-only.
            var readOnly = new SqliteConnectionStringBuilder(connectionString)
            {
                DataSource = new Uri(FilePath).AbsoluteUri + "?immutable=1",
                Mode = SqliteOpenMode.ReadOnly,
            }.ToString();
            try
            {
                return await OpenWithAsync(readOnly, cancellationToken).ConfigureAwait(false);
            }
            catch (SqliteException)
            {
                throw StorageErrors.Describe(e, FilePath)!;
            }
        }
        catch (SqliteException e)
        {
            throw StorageErrors.Describe(e, FilePath) ?? new StorageException($"Cannot open the database {FilePath}: {e.Message}", StorageFault.Environment, e);
        }
    }

    private static async Task<SqliteConnection> OpenWithAsync(string connectionString, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            // Per-connection settings are not stored in the file; pooled connections keep them.
            await SetSynchronousAsync(connection, Durability.Full).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static bool IsWritable(string path)
    {
        try
        {
            using var _ = File.Open(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static async Task<WriteScope> BeginSqliteWriteAsync(SqliteConnection sqlite, CancellationToken cancellationToken)
    {
        var gate = WriteGate.For(sqlite.DataSource);
        if (!await gate.EnterAsync(sqlite, TimeSpan.FromSeconds(sqlite.DefaultTimeout), cancellationToken).ConfigureAwait(false))
        {
            throw new StorageException($"The database {sqlite.DataSource} stayed busy with another write of this service for too long; nothing was changed. Try again.", StorageFault.Busy);
        }

        try
        {
            // BEGIN IMMEDIATE: a deferred transaction that upgrades to a write can only time out.
            return new WriteScope(sqlite.BeginTransaction(IsolationLevel.Serializable, deferred: false), gate, sqlite);
        }
        catch
        {
            gate.Exit(sqlite);
            throw;
        }
    }
}
