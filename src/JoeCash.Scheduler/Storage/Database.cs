using System.Data.Common;
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
/// Opens connections to the configured database (<c>Storage:Provider</c>) with the settings every connection
/// needs, and begins write transactions that keep the same promises on either provider.
/// </summary>
/// <remarks>
/// <para>SQLite: the file runs in WAL mode (set by the migrator, stored in the file) and every connection uses
/// <c>synchronous=FULL</c>, so a commit the caller has seen survives a crash and a power cut. Writers take the
/// lock up front (<c>BEGIN IMMEDIATE</c>), one at a time: every write transaction is serial.</para>
/// <para>PostgreSQL: <c>synchronous_commit=on</c> for <see cref="Durability.Full"/>. Write transactions are
/// <c>SERIALIZABLE</c>, so every "read, decide, write" of this code base (the daily cap, the version checks)
/// means on several nodes what it means on SQLite's single writer; a transaction the server had to abort for
/// that is a <see cref="StorageFault.Busy"/> that <see cref="RetryAsync{T}"/> runs again. Two kinds run
/// <c>READ COMMITTED</c> instead: bookings and the other changes that take turns (<see cref="BeginWriteInTurnsAsync"/>),
/// whose advisory locks serialise exactly the transactions that could collide, and claims
/// (<see cref="BeginClaimAsync"/>), whose <c>FOR UPDATE SKIP LOCKED</c> passes over another claimer's rows.</para>
/// </remarks>
public sealed partial class Database : IAsyncDisposable, IDisposable
{
    static Database() => DapperMapping.Register();

    public Database(IOptions<StorageOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Provider = options.Value.Provider;
        if (Provider == StorageProvider.PostgreSQL)
        {
            (_full, _relaxed) = CreateDataSources(options.Value.ConnectionString);
            Name = options.Value.DisplayName();
            FilePath = "";
            ConnectionString = _full.ConnectionString;
            return;
        }

        FilePath = System.IO.Path.GetFullPath(options.Value.Path);
        Name = options.Value.DisplayName();
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

    public StorageProvider Provider { get; }

    /// <summary>The SQLite file; empty with PostgreSQL.</summary>
    public string FilePath { get; }

    /// <summary>What the database is called in messages: the file, or <c>PostgreSQL database D on host:port</c> (never the password).</summary>
    public string Name { get; }

    /// <summary>The connection string of <see cref="Durability.Full"/> connections (with PostgreSQL, the password included: not for messages).</summary>
    public string ConnectionString { get; }

    /// <summary>
    /// Opens a connection. With SQLite, a missing file is an error (<see cref="StorageException"/>), never an
    /// empty database created as a side effect: only <see cref="CreateAsync"/> (the migrator) creates it.
    /// </summary>
    public Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default) => OpenAsync(Durability.Full, cancellationToken);

    /// <summary>Opens a connection with the durability the caller's writes need.</summary>
    public Task<DbConnection> OpenAsync(Durability durability, CancellationToken cancellationToken = default) =>
        Provider == StorageProvider.PostgreSQL ? OpenPostgresAsync(durability, cancellationToken) : OpenSqliteAsync(durability, cancellationToken);

    /// <summary>True for "another writer was in the way" (a lock held too long, a serialization conflict): worth the next tick or another try, not a fault.</summary>
    public static bool IsBusy(Exception error) => StorageErrors.Describe(error, "")?.Fault == StorageFault.Busy;

    /// <summary>Turns a database error into a <see cref="StorageException"/> that says what, which database and what to do; null if it is not one this layer knows.</summary>
    public StorageException? Describe(Exception error) => StorageErrors.Describe(error, Name);

    /// <summary>
    /// Begins a write transaction. SQLite: it holds the writer lock from its first statement, after waiting
    /// (without blocking a thread) for this process's other writers to the same file (<see cref="WriteGate"/>).
    /// PostgreSQL: a <c>SERIALIZABLE</c> transaction; nodes and connections write side by side.
    /// </summary>
    /// <exception cref="StorageException">Another writer of this process held the file longer than the busy timeout.</exception>
    public static Task<WriteScope> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken = default) =>
        connection switch
        {
            SqliteConnection sqlite => BeginSqliteWriteAsync(sqlite, cancellationToken),
            _ when connection.IsPostgres() => BeginPostgresWriteAsync(connection, cancellationToken),
            _ => throw new ArgumentException("not a connection from this Database", nameof(connection)),
        };

    /// <summary>
    /// Begins a write transaction whose decisions are guarded by <see cref="TakeTurnsAsync"/>: every transaction that
    /// decides about the same technicians and shops takes the same turns first, so it decides on what the previous one
    /// committed. SQLite: the same single writer as <see cref="BeginWriteAsync"/>. PostgreSQL: <c>READ COMMITTED</c>
    /// (each statement sees the latest commits, so a booking that waited for its turn sees its predecessor's booking),
    /// without the serializable checks that made concurrent bookings of different technicians abort each other.
    /// </summary>
    public static Task<WriteScope> BeginWriteInTurnsAsync(DbConnection connection, CancellationToken cancellationToken = default) =>
        BeginReadCommittedWriteAsync(connection, cancellationToken);

    /// <summary>
    /// Begins a transaction for a claim: one statement that takes rows for its caller and locks them as it goes
    /// (<c>FOR UPDATE SKIP LOCKED</c> on PostgreSQL, so claimers on other nodes pass over them instead of
    /// aborting). SQLite: the same single writer as <see cref="BeginWriteAsync"/>. PostgreSQL: <c>READ COMMITTED</c>,
    /// where a row locked by another claimer is skipped, not a serialization failure.
    /// </summary>
    public static Task<WriteScope> BeginClaimAsync(DbConnection connection, CancellationToken cancellationToken = default) =>
        BeginReadCommittedWriteAsync(connection, cancellationToken);

    /// <summary>SQLite: its single writer (<see cref="BeginWriteAsync"/>); PostgreSQL: a <c>READ COMMITTED</c> transaction.</summary>
    private static async Task<WriteScope> BeginReadCommittedWriteAsync(DbConnection connection, CancellationToken cancellationToken) =>
        connection.IsPostgres()
            ? await BeginPostgresWriteAsync(connection, System.Data.IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false)
            : await BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);

    /// <summary>Runs <paramref name="write"/> in a write transaction of its own (<see cref="BeginWriteAsync"/>) and commits it, again if another writer was in the way (<see cref="RetryAsync{T}"/>).</summary>
    /// <param name="connection">An open connection from this Database.</param>
    /// <param name="write">The statements, each given the transaction.</param>
    /// <param name="cancellationToken">Cancels the wait for this process's turn to write and the commit.</param>
    public static Task WriteAsync(DbConnection connection, Func<DbTransaction, Task> write, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        return RetryAsync(
            async () =>
            {
                await using var writing = await BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
                await write(writing.Transaction).ConfigureAwait(false);
                await writing.CommitAsync(cancellationToken).ConfigureAwait(false);
                return true;
            },
            cancellationToken);
    }

    /// <summary>
    /// Runs <paramref name="write"/> — statements whose effect depends on no earlier read: marks on rows the caller has
    /// claimed (<see cref="BeginClaimAsync"/>), each guarded by its claim (<c>WHERE status = 'sending'</c>), or a "last
    /// used" stamp — in a transaction of its own and commits it. PostgreSQL: <c>READ COMMITTED</c>, so two nodes (or
    /// many requests) writing such rows at once never abort each other.
    /// </summary>
    public static async Task WriteRowsAsync(DbConnection connection, Func<DbTransaction, Task> write, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        await using var writing = await BeginClaimAsync(connection, cancellationToken).ConfigureAwait(false);
        await write(writing.Transaction).ConfigureAwait(false);
        await writing.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs <paramref name="work"/> — which must begin, and end, its own write transaction — again when it lost a
    /// race with a concurrent transaction on PostgreSQL (<see cref="LostARace"/>) or found a row it read changed once it
    /// held its turn (<see cref="ChangedMeanwhileException"/>): up to five tries, a few
    /// milliseconds apart. Nothing of a lost try was written; the next one sees the winner. Other errors, and every
    /// SQLite error (SQLite's writers never race: they queue), pass through.
    /// </summary>
    public static async Task<T> RetryAsync<T>(Func<Task<T>> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await work().ConfigureAwait(false);
            }
            catch (Exception e) when (attempt < 5 && (e is ChangedMeanwhileException || LostARace(e)))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 5 * attempt)), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// True if <paramref name="error"/> means "a concurrent transaction won" on PostgreSQL: the server aborted this
    /// one to keep transactions serial (SQLSTATE 40001, 40P01), or a no-overlap constraint refused a row that a
    /// transaction committed meanwhile (23P01) — which the checks before the write could not see yet. Either way,
    /// running the whole transaction again (<see cref="RetryAsync{T}"/>) decides as if it had come second.
    /// </summary>
    public static bool LostARace(Exception error) => error.MayBePostgres() && PostgresErrors.LostARace(error);

    /// <summary>True if <paramref name="error"/> is a UNIQUE constraint refusing a row (a value another row took first).</summary>
    public static bool UniqueViolation(Exception error) =>
        error is SqliteException sqlite ? sqlite.SqliteExtendedErrorCode == 2067 : error.MayBePostgres() && PostgresErrors.UniqueViolation(error);

    /// <summary>
    /// Which no-overlap rule of the schema refused a write (<c>technician_overlap</c>, <c>shop_overlap</c>), or
    /// null if <paramref name="error"/> is something else: SQLite's triggers and PostgreSQL's exclusion
    /// constraints carry the same names. They are the last line of defence against double bookings; a feature
    /// maps this to its own conflict.
    /// </summary>
    public static string? OverlapRule(Exception error) =>
        error switch
        {
            SqliteException { SqliteErrorCode: 19 } e => KnownRule(e.Message),
            _ when error.MayBePostgres() && PostgresErrors.ExclusionConstraint(error) is { } constraint => KnownRule(constraint),
            _ => null,
        };

    private static string? KnownRule(string text) =>
        text.Contains("technician_overlap", StringComparison.Ordinal) ? "technician_overlap"
        : text.Contains("shop_overlap", StringComparison.Ordinal) ? "shop_overlap"
        : null;

    /// <summary>Closes the PostgreSQL connection pools (the command line's container disposes synchronously).</summary>
    public void Dispose()
    {
        _full?.Dispose();
        _relaxed?.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        if (_full is not null)
        {
            await _full.DisposeAsync().ConfigureAwait(false);
        }

        if (_relaxed is not null)
        {
            await _relaxed.DisposeAsync().ConfigureAwait(false);
        }
    }
}
