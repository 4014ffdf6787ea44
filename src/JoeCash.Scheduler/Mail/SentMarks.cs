using System.Threading.Channels;
using JoeCash.Scheduler.Storage;
using NodaTime;

namespace JoeCash.Scheduler.Mail;

/// <summary>
/// Records "sent" for messages the server accepted, in groups: whatever was accepted while the previous group was being
/// written goes into the next one, in one transaction. Under load a group holds the few messages of one write's time;
/// alone, a message is marked at once. So a crash can repeat at most those few (same Message-IDs), and the dispatcher
/// spends one transaction on many messages instead of one each.
/// </summary>
/// <remarks>
/// Relaxed durability (<c>synchronous=NORMAL</c>): a mark lost in a power cut means sending that message again, never
/// losing it. If writing a group fails, the pass is stopped and <see cref="CompleteAsync"/>
/// throws: the unmarked messages stay claimed and go again after their lease or the requeue, as after a crash.
/// </remarks>
internal sealed class SentMarks
{
    /// <summary>At most this many ids per UPDATE: one statement's parameters, and a bound on a repeat after a crash.</summary>
    private const int MaxGroup = 100;

    private readonly Channel<long> _accepted = Channel.CreateUnbounded<long>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Database _database;
    private readonly IClock _clock;
    private readonly CancellationTokenSource _stop;
    private Task? _writing;
    private int _started;
    private int _count;

    public SentMarks(Database database, IClock clock, CancellationTokenSource stop)
    {
        _database = database;
        _clock = clock;
        _stop = stop;
    }

    /// <summary>How many messages were marked sent.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>The server accepted the message <paramref name="id"/>.</summary>
    public void Add(long id)
    {
        _accepted.Writer.TryWrite(id);
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            // Started by the first accepted message: a pass that sends nothing opens no connection for marks.
            _writing = Task.Run(WriteAsync);
        }
    }

    /// <summary>Writes what is still waiting, then returns; throws if a group could not be written. Call it after the last <see cref="Add"/>.</summary>
    public Task CompleteAsync()
    {
        _accepted.Writer.TryComplete();
        return _writing ?? Task.CompletedTask;
    }

    private async Task WriteAsync()
    {
        try
        {
            var group = new List<long>(MaxGroup);
            await using var connection = await _database.OpenAsync(Durability.Relaxed, CancellationToken.None).ConfigureAwait(false);
            while (await _accepted.Reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
            {
                while (group.Count < MaxGroup && _accepted.Reader.TryRead(out var id))
                {
                    group.Add(id);
                }

                await Database.WriteRowsAsync(connection, t => connection.MarkSentAsync(group, _clock.GetCurrentInstant(), t), CancellationToken.None).ConfigureAwait(false);
                Interlocked.Add(ref _count, group.Count);
                group.Clear();
            }
        }
        catch
        {
            await _stop.CancelAsync().ConfigureAwait(false);
            throw;
        }
    }
}
