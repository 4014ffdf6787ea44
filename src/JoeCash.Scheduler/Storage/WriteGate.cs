using System.Collections.Concurrent;
using System.Data.Common;

namespace JoeCash.Scheduler.Storage;

/// <summary>
/// One writer at a time per database file inside this process, waited for asynchronously. SQLite has one writer
/// lock per file; without this gate, two writers of the same process (a booking and the dispatcher's "sent",
/// say) meet at SQLite's lock, and the loser sleeps on a thread-pool thread in Microsoft.Data.Sqlite's busy
/// loop (150 ms a round) — under load that sleep, not the work, sets every response time. With it, writers of
/// this process queue in order and wake the moment the previous one ends; SQLite's busy timeout is left for
/// other processes (a command-line verb while <c>serve</c> runs).
/// </summary>
/// <remarks>
/// Re-entrant per connection: a second write transaction on the connection that holds the gate (after the
/// first committed) does not wait for itself.
/// </remarks>
internal sealed class WriteGate : IDisposable
{
    private static readonly ConcurrentDictionary<string, WriteGate> Gates = new(StringComparer.Ordinal);

    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly Lock _lock = new();
    private DbConnection? _holder;
    private int _depth;

    /// <summary>The gate of the file <paramref name="dataSource"/>.</summary>
    public static WriteGate For(string dataSource) => Gates.GetOrAdd(dataSource, _ => new WriteGate());

    /// <summary>Waits for the turn of <paramref name="connection"/>; false if <paramref name="timeout"/> passed first.</summary>
    public async Task<bool> EnterAsync(DbConnection connection, TimeSpan timeout, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (ReferenceEquals(_holder, connection))
            {
                _depth++;
                return true;
            }
        }

        if (!await _turn.WaitAsync(timeout, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        lock (_lock)
        {
            _holder = connection;
            _depth = 1;
        }

        return true;
    }

    /// <summary>Gates live as long as the process; this is for a host that wants its semaphore back.</summary>
    public void Dispose() => _turn.Dispose();

    public void Exit(DbConnection connection)
    {
        lock (_lock)
        {
            if (!ReferenceEquals(_holder, connection) || --_depth > 0)
            {
                return;
            }

            _holder = null;
        }

        _turn.Release();
    }
}

/// <summary>
/// A write transaction and, on SQLite, this process's turn to write (<see cref="WriteGate"/>): disposing it ends
/// both (rolling back what was not committed). Pass <see cref="Transaction"/> to every statement.
/// </summary>
public sealed class WriteScope : IAsyncDisposable, IDisposable
{
    private readonly WriteGate? _gate;
    private readonly DbConnection _connection;
    private bool _disposed;

    internal WriteScope(DbTransaction transaction, WriteGate? gate, DbConnection connection)
    {
        Transaction = transaction;
        _gate = gate;
        _connection = connection;
    }

    public DbTransaction Transaction { get; }

    public Task CommitAsync(CancellationToken cancellationToken = default) => Transaction.CommitAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            await Transaction.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            _gate?.Exit(_connection);
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            Transaction.Dispose();
        }
        finally
        {
            _gate?.Exit(_connection);
        }
    }
}
