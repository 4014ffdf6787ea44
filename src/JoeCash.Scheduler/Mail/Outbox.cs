using JoeCash.Scheduler.Storage;
using NodaTime;

namespace JoeCash.Scheduler.Mail;

/// <summary>One page of the outbox and the count per status: what <c>mail list</c> shows and the HTTP API will return.</summary>
public sealed record OutboxPage(IReadOnlyDictionary<string, long> Counts, IReadOnlyList<OutboxEntry> Messages);

/// <summary>How the outbox is doing: messages waiting (pending or being sent), when the oldest of them was queued, the last send the server accepted.</summary>
public sealed record OutboxHealth(long Waiting, Instant? OldestWaiting, Instant? LastSent);

/// <summary>
/// The outbox as an operator sees it: list it, put a failed message back (to a corrected address if
/// need be), and take back what this service had claimed when it stopped. Each action is one
/// connection and, where it writes, one statement.
/// </summary>
public sealed class Outbox(Database database, Claimant claimant, IClock clock)
{
    /// <summary>The statuses a message can have, in the order a message passes them.</summary>
    public static readonly IReadOnlyList<string> Statuses = ["pending", "sending", "sent", "failed"];

    public async Task<OutboxPage> ListAsync(string? status, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var entries = await connection.ListOutboxAsync(status, limit).ConfigureAwait(false);
        var counts = await connection.OutboxCountsAsync().ConfigureAwait(false);
        return new OutboxPage(counts, entries);
    }

    /// <summary>The backlog and the last successful send (the dispatcher records each accepted message's sent_at).</summary>
    public async Task<OutboxHealth> HealthAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.OutboxHealthAsync(clock.GetCurrentInstant()).ConfigureAwait(false);
    }

    /// <summary>How long until a message may be claimed (a reminder queued ahead of its time, a retry, a lapsed lease); null when none waits.</summary>
    public async Task<Duration?> UntilNextClaimableAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.NextClaimableAsync().ConfigureAwait(false) is { } next ? next - clock.GetCurrentInstant() : null;
    }

    /// <summary>
    /// Queues failed message <paramref name="id"/> again, due now; with <paramref name="recipient"/> (already
    /// checked by the address rule) it goes there instead and is rendered anew. False if no failed message has that id.
    /// </summary>
    public async Task<bool> RetryAsync(long id, string? recipient, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var now = clock.GetCurrentInstant();
        if (recipient is null)
        {
            return await connection.RetryFailedAsync(id, now).ConfigureAwait(false);
        }

        // The row and its payload change together: both name the new recipient, or neither does.
        var retried = false;
        await Database.WriteRowsAsync(
            connection, async t => retried = await connection.RetryFailedToAsync(id, recipient, now, t).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        return retried;
    }

    /// <summary>At start: this claimant's unfinished claims back to the queue at once; returns how many.</summary>
    public async Task<int> RequeueInterruptedAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.RequeueInterruptedAsync(claimant.Name, clock.GetCurrentInstant()).ConfigureAwait(false);
    }
}
