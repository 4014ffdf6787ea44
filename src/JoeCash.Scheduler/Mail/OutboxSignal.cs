namespace JoeCash.Scheduler.Mail;

/// <summary>
/// "Messages are waiting": rung by a writer of this process right after it committed outbox rows (a booking, a reminder
/// sweep's batch), so the dispatcher starts at once instead of at its next poll. Messages written by other processes
/// (the command line, another node) are found by the poll (<see cref="MailOptions.PollInterval"/>).
/// </summary>
public sealed class OutboxSignal : IDisposable
{
    private readonly SemaphoreSlim _rung = new(0, 1);
    private int _pending; // 1 from a ring until the dispatcher has heard it: further rings meanwhile add nothing

    /// <summary>
    /// Cheap when already rung (every booking rings): no second release of the semaphore, which would throw and be
    /// caught on each call.
    /// </summary>
    public void Ring()
    {
        if (Interlocked.Exchange(ref _pending, 1) == 0)
        {
            _rung.Release();
        }
    }

    /// <summary>
    /// Waits until rung or until <paramref name="timeout"/> passed; true if rung. A ring that comes while the woken
    /// dispatcher has not yet reset the flag is covered: its rows were committed before it rang, so the pass that
    /// follows this wait finds them.
    /// </summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var rung = await _rung.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        if (rung)
        {
            Volatile.Write(ref _pending, 0);
        }

        return rung;
    }

    public void Dispose() => _rung.Dispose();
}
