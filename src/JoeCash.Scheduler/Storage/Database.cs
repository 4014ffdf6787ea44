using System.Data;
using System.Data.Common;
using Dapper;
using JoeCash.Scheduler.Configuration;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace JoeCash.Scheduler.Storage;

/// <summary>How much a connection's commits must survive.</summary>
public enum Durability
{
    /// <summary>A commit survives a crash and a power cut (<c>synchronous=FULL</c>): bookings, everything a user was told is done.</summary>
    Full,

    /// <summary>
    /// A commit survives a crash; a power cut may lose the last ones (<c>synchronous=NORMAL</c>). Only for
    /// marks whose loss repeats work and never loses it, such as the dispatcher's "sent".
    /// </summary>
    Relaxed,
}

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
            // Opens an existing file (read-only where the file or its file system is); only CreateAsync creates one.
            Mode = SqliteOpenMode.ReadWrite,
            DefaultTimeout = 30,
            Pooling = true,
        }.ToString();
    }

    public string FilePath { get; }

    public string ConnectionString { get; }

    /// <summary>
    /// Opens the existing file. A missing file is an error (<see cref="StorageException"/>), never an empty
    /// database created as a side effect: only <see cref="CreateAsync"/> (the migrator) creates it.
    /// </summary>
    public Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken = default) => OpenAsync(Durability.Full, cancellationToken);

    /// <summary>Opens the existing file with the durability the caller's writes need.</summary>
    public async Task<SqliteConnection> OpenAsync(Durability durability, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(FilePath))
        {
            throw Directory.Exists(FilePath) ? StorageErrors.IsDirectory(FilePath) : StorageErrors.Missing(FilePath);
        }

        var connection = await OpenConnectionAsync(ConnectionString, cancellationToken).ConfigureAwait(false);
        if (durability == Durability.Relaxed)
        {
            await connection.ExecuteAsync("PRAGMA synchronous = NORMAL;").ConfigureAwait(false);
        }

        return connection;
    }

    /// <summary>True for "another writer held the lock too long": worth the next tick, not a fault.</summary>
    public static bool IsBusy(Exception error) => StorageErrors.Describe(error, "")?.Fault == StorageFault.Busy;

    /// <summary>
    /// Quartz's own SQLite file beside this one: created 0640 if new (its -wal and -shm files take the
    /// file's mode), in WAL mode, which is stored in the file.
    /// </summary>
    public static async Task PrepareSideFileAsync(string path, CancellationToken cancellationToken)
    {
        PrivateFiles.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        if (!File.Exists(path))
        {
            await PrivateFiles.Create(path, FileMode.CreateNew).DisposeAsync().ConfigureAwait(false);
        }

        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path }.ToString());
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync("PRAGMA journal_mode = WAL;").ConfigureAwait(false);
    }

    /// <summary>Opens the file, creating it and its folder (0750, file 0640) if they do not exist yet.</summary>
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

    /// <summary>Turns a database error into a <see cref="StorageException"/> that says what, which file and what to do; null if it is not one this layer knows.</summary>
    public StorageException? Describe(Exception error) => StorageErrors.Describe(error, FilePath);

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
            await connection.ExecuteAsync("PRAGMA synchronous = FULL;").ConfigureAwait(false);
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

    /// <summary>
    /// Begins a write transaction that holds the writer lock from its first statement, after waiting (without
    /// blocking a thread) for this process's other writers to the same file (<see cref="WriteGate"/>).
    /// </summary>
    /// <exception cref="StorageException">Another writer of this process held the file longer than the busy timeout.</exception>
    public static async Task<WriteScope> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken = default)
    {
        var sqlite = connection as SqliteConnection ?? throw new ArgumentException("not a connection from this Database", nameof(connection));
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

    /// <summary>Runs <paramref name="write"/> in a write transaction of its own (<see cref="BeginWriteAsync"/>) and commits it.</summary>
    /// <param name="connection">An open connection from this Database.</param>
    /// <param name="write">The statements, each given the transaction.</param>
    /// <param name="cancellationToken">Cancels the wait for this process's turn to write and the commit.</param>
    public static async Task WriteAsync(DbConnection connection, Func<DbTransaction, Task> write, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        await using var writing = await BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        await write(writing.Transaction).ConfigureAwait(false);
        await writing.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Which no-overlap rule of the schema refused a write (<c>technician_overlap</c>, <c>shop_overlap</c>), or
    /// null if <paramref name="error"/> is something else. The schema's triggers are the last line of defence
    /// against double bookings; a feature maps this to its own conflict.
    /// </summary>
    public static string? OverlapRule(Exception error) =>
        error is SqliteException { SqliteErrorCode: 19 } e
            ? e.Message.Contains("technician_overlap", StringComparison.Ordinal) ? "technician_overlap"
            : e.Message.Contains("shop_overlap", StringComparison.Ordinal) ? "shop_overlap"
            : null
            : null;
}
