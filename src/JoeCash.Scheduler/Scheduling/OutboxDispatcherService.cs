using JoeCash.Scheduler.Mail;
using JoeCash.Scheduler.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;

namespace JoeCash.Scheduler.Scheduling;

/// <summary>
/// Keeps the outbox moving while the service runs: it delivers what is due as soon as a writer of this process rings
/// (<see cref="OutboxSignal"/>), when the next message waiting for its time (a reminder queued ahead, a retry) comes due,
/// and every poll interval, for messages written by other processes (the command line) into the same database.
/// </summary>
public sealed class OutboxDispatcherService(OutboxDispatcher dispatcher, Outbox outbox, OutboxSignal signal, ServiceFailure failure, IOptions<MailOptions> options, ILogger<OutboxDispatcherService> logger) : BackgroundService
{
    /// <summary>The least a loop waits between passes when something is (nearly) due.</summary>
    public static readonly TimeSpan ShortestWait = TimeSpan.FromMilliseconds(20);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.PollInterval;
        logger.LogInformation("Outbox dispatcher started, polling every {Interval}", interval);
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = interval;
            try
            {
                var result = await dispatcher.DispatchDueAsync(stoppingToken).ConfigureAwait(false);
                if (result.Claimed > 0)
                {
                    logger.LogInformation("Outbox pass: {Sent} sent, {Retrying} to retry, {Failed} failed", result.Sent, result.Retrying, result.Failed);
                }

                wait = Wait(await outbox.UntilNextClaimableAsync(stoppingToken).ConfigureAwait(false), interval);
            }
            catch (Exception e) when (Database.IsBusy(e))
            {
                // BUSY/LOCKED after the driver's own retries: another writer held the database for long; try again next tick,
                // with what this pass had claimed back in the queue at once rather than after its lease (the message on the
                // wire when the pass broke off may go twice, as after a crash).
                logger.LogWarning("Outbox pass skipped, database busy: {Error}", e.Message);
                await RequeueOwnClaimsAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (MailLoginRefusedException)
            {
                // Already logged as an error; the batch waits (uncharged) for Mail:RetryMaxDelay, then the login is tried again.
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Anything else is a fault of the service itself (a damaged file, a bug): stop with exit code 1
                // so that the service manager restarts it and a crash loop is visible, never a silent halt.
                failure.Report("Outbox dispatcher", e);
                return;
            }

            try
            {
                await signal.WaitAsync(wait, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        logger.LogInformation("Outbox dispatcher stopped");
    }

    /// <summary>
    /// Until the next message may be claimed, if that comes before the next poll: a reminder queued ahead of its time
    /// goes at its due instant, not up to a poll interval later. Never less than <see cref="ShortestWait"/>: on
    /// PostgreSQL a message another node is claiming right now is due but cannot be claimed here.
    /// </summary>
    public static TimeSpan Wait(Duration? untilNext, TimeSpan interval)
    {
        if (untilNext is not { } next || next.ToTimeSpan() >= interval)
        {
            return interval;
        }

        // next_attempt_at is stored in whole milliseconds: a millisecond past it, the message is due by the claim's clock.
        var wait = next.ToTimeSpan() + TimeSpan.FromMilliseconds(1);
        return wait < ShortestWait ? ShortestWait : wait;
    }

    private async Task RequeueOwnClaimsAsync(CancellationToken stoppingToken)
    {
        try
        {
            var requeued = await outbox.RequeueInterruptedAsync(stoppingToken).ConfigureAwait(false);
            if (requeued > 0)
            {
                logger.LogWarning("Requeued {Count} message(s) the skipped pass had claimed", requeued);
            }
        }
        catch (Exception e) when (Database.IsBusy(e))
        {
            // Still busy: the claims run out by their lease.
        }
    }
}
