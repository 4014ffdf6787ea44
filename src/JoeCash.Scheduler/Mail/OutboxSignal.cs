namespace JoeCash.Scheduler.Mail;

/// <summary>
/// "Messages are waiting": rung by a writer of this process right after it committed outbox rows (a booking, a reminder
/// sweep's batch), so the dispatcher starts at once instead of at its next poll. Messages written by other processes
/// (the command line, another node) are found by the poll (<see cref="MailOptions.PollInterval"/>).
/// </summary>
public sealed class OutboxSignal : IDisposable
{
    private readonly SemaphoreSlim _rung = new(0, 1);

    public void Ring()
    {
        try
        {
            _rung.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already rung and not yet heard: once is enough.
        }
    }

    /// <summary>Waits until rung or until <paramref name="timeout"/> passed; true if rung.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _rung.WaitAsync(timeout, cancellationToken);

    public void Dispose() => _rung.Dispose();
}
