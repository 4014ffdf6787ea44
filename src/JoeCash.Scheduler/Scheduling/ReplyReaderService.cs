using System.Diagnostics;
using System.Net.Sockets;
using JoeCash.Scheduler.Mail;
using JoeCash.Scheduler.Replies;
using JoeCash.Scheduler.Storage;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;

namespace JoeCash.Scheduler.Scheduling;

/// <summary>
/// Reads the shops' answers while the service runs: the support mailbox over IMAP (IDLE, or polling), or
/// the replies folder when no IMAP host is configured. One reader at a time across nodes (a lease in the
/// database); a lost connection is retried with growing pauses (1 s … 5 min) and never stops the service.
/// Each batch: read after the cursor, apply in one transaction, file the messages, move the cursor — a
/// crash anywhere in between re-reads messages whose answers are already recorded, and changes nothing.
/// </summary>
public sealed partial class ReplyReaderService(
    ReplyProcessor processor,
    Database database,
    Leases leases,
    Claimant claimant,
    IOptions<MailOptions> options,
    IClock clock,
    IHostApplicationLifetime lifetime,
    ILogger<ReplyReaderService> logger) : BackgroundService
{
    public const string LeaseName = "reply-reader";

    private static readonly Duration LeaseLength = Duration.FromSeconds(60);
    private static readonly TimeSpan Renewal = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan LongestPause = TimeSpan.FromMinutes(5);
    private static readonly Duration CursorInterval = Duration.FromSeconds(5);

    private bool _warmedUp;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var pause = TimeSpan.FromSeconds(1);
        LogStarted(logger, options.Value.UsesImap ? $"IMAP {options.Value.Imap.Host}:{options.Value.Imap.Port}/{options.Value.Imap.Folder}" : Path.GetFullPath(options.Value.RepliesDirectory));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!await leases.TryHoldAsync(LeaseName, claimant, LeaseLength, stoppingToken).ConfigureAwait(false))
                {
                    // Another node reads the mailbox; take over if it stops renewing.
                    await Task.Delay(Renewal, stoppingToken).ConfigureAwait(false);
                    continue;
                }

                await using var inbox = Open();
                await ReadAsync(inbox, () => pause = TimeSpan.FromSeconds(1), stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is IOException or SocketException or ProtocolException or ImapCommandException or AuthenticationException
                or ServiceNotConnectedException or FolderNotOpenException or OperationCanceledException || Database.IsBusy(e))
            {
                LogUnreachable(logger, e.Message, pause);
                await PauseAsync(pause, stoppingToken).ConfigureAwait(false);
                pause = pause * 2 < LongestPause ? pause * 2 : LongestPause;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A fault of the service (a damaged file, a bug): say so loudly, keep the rest of the service running, try again later.
                LogFailed(logger, e, pause);
                await PauseAsync(pause, stoppingToken).ConfigureAwait(false);
                pause = pause * 2 < LongestPause ? pause * 2 : LongestPause;
            }
        }

        try
        {
            await leases.ReleaseAsync(LeaseName, claimant, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            logger.LogDebug(e, "The reply reader's lease could not be released; it expires by itself");
        }
    }

    private IInbox Open() => options.Value.UsesImap ? new ImapInbox(options.Value.Imap) : new DropFolderInbox(options.Value.RepliesDirectory);

    /// <summary>
    /// Reads batch after batch as a pipeline of two lanes: while one batch is applied (database), the
    /// previous one is filed and the next fetched (IMAP), so a backlog costs about the slower lane, not
    /// the sum of all steps. A batch is filed only after its transaction committed, and the cursor moves
    /// only over filed batches, so a crash at any point re-reads messages whose answers are already
    /// recorded. The cursor is saved when the mailbox runs dry and at most every few seconds in between:
    /// it only spares re-reading the structure of emails left in the folder, moved ones are gone anyway.
    /// </summary>
    private async Task ReadAsync(IInbox inbox, Action connected, CancellationToken stoppingToken)
    {
        var renewed = clock.GetCurrentInstant();
        var batchSize = options.Value.Imap.BatchSize;
        var saved = await CursorAsync(inbox.Name, stoppingToken).ConfigureAwait(false);
        // The first time only: compile the reading and applying code while the mailbox connects (mostly waiting).
        var warming = _warmedUp ? Task.CompletedTask : Task.Run(() => WarmUpAsync(stoppingToken), stoppingToken);
        var batch = await inbox.NextAsync(saved, batchSize, stoppingToken).ConfigureAwait(false);
        connected();
        await warming.ConfigureAwait(false);
        var savedAt = clock.GetCurrentInstant();
        InboxCursor? filed = saved;
        Applied? unfiled = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            if (clock.GetCurrentInstant() - renewed > Duration.FromTimeSpan(Renewal))
            {
                if (!await leases.TryHoldAsync(LeaseName, claimant, LeaseLength, stoppingToken).ConfigureAwait(false))
                {
                    LogLeaseLost(logger);
                    return;
                }

                renewed = clock.GetCurrentInstant();
            }

            if (batch.Items.Count == 0)
            {
                if (unfiled is { } last)
                {
                    await inbox.FileAsync(last.Decisions, stoppingToken).ConfigureAwait(false);
                    unfiled = null;
                }

                if (saved != batch.Cursor)
                {
                    await SaveCursorAsync(inbox.Name, batch.Cursor, stoppingToken).ConfigureAwait(false);
                    saved = filed = batch.Cursor;
                    savedAt = clock.GetCurrentInstant();
                }

                await inbox.WaitAsync(Renewal, stoppingToken).ConfigureAwait(false);
                batch = await inbox.NextAsync(saved, batchSize, stoppingToken).ConfigureAwait(false);
                continue;
            }

            var current = batch;
            var previous = unfiled;
            var began = Stopwatch.GetTimestamp();
            var applying = Task.Run(() => TimedAsync(() => ApplyAsync(current, stoppingToken)), stoppingToken);
            var fetching = TimedAsync(() => FileThenNextAsync(inbox, previous, current.Cursor, batchSize, stoppingToken));
            await Task.WhenAll(applying, fetching).ConfigureAwait(false);
            LogBatch(logger, current.Items.Count, (await applying.ConfigureAwait(false)).Ms, (await fetching.ConfigureAwait(false)).Ms, Stopwatch.GetElapsedTime(began).TotalMilliseconds);
            if (previous is not null)
            {
                filed = previous.Batch.Cursor;
            }

            unfiled = new Applied(current, (await applying.ConfigureAwait(false)).Value);
            batch = (await fetching.ConfigureAwait(false)).Value;
            if (filed is { } done && done != saved && clock.GetCurrentInstant() - savedAt > CursorInterval)
            {
                await SaveCursorAsync(inbox.Name, done, stoppingToken).ConfigureAwait(false);
                saved = done;
                savedAt = clock.GetCurrentInstant();
            }
        }
    }

    private async Task WarmUpAsync(CancellationToken cancellationToken)
    {
        _warmedUp = true;
        try
        {
            // Not before the service has started (schema, Quartz, dispatcher, web server): on a small machine the
            // warm-up would only take the CPU from the start, and the first batch waits for it anyway.
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
            {
                await started.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            }

            await ReplyWarmUp.RunAsync(database, processor, clock, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Only a head start: the first batch compiles what is left.
            logger.LogDebug(e, "The reply reader's warm-up failed");
        }
    }

    /// <summary>The IMAP lane: file the batch applied before (if any), then fetch the one after <paramref name="after"/>.</summary>
    private static async Task<InboxBatch> FileThenNextAsync(IInbox inbox, Applied? previous, InboxCursor after, int batchSize, CancellationToken cancellationToken)
    {
        if (previous is not null)
        {
            await inbox.FileAsync(previous.Decisions, cancellationToken).ConfigureAwait(false);
        }

        return await inbox.NextAsync(after, batchSize, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<(T Value, double Ms)> TimedAsync<T>(Func<Task<T>> work)
    {
        var started = Stopwatch.GetTimestamp();
        var value = await work().ConfigureAwait(false);
        return (value, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <summary>Applies a batch and says where each message goes.</summary>
    private async Task<IReadOnlyList<(InboxItem Item, InboxFolder Folder)>> ApplyAsync(InboxBatch batch, CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        var replies = batch.Items
            .Select(i => i.Message is { } message ? InboundReply.From(message, i.Source, now) : new InboundReply(i.Source, null, now, [], "", []))
            .ToList();
        var results = await processor.ProcessAsync(replies, cancellationToken).ConfigureAwait(false);
        return [.. batch.Items.Zip(results, (item, result) => (item, result.Outcome switch
        {
            ReplyOutcome.Applied or ReplyOutcome.Recorded => InboxFolder.Processed,
            ReplyOutcome.Review => InboxFolder.Review,
            _ => InboxFolder.Leave,
        }))];
    }

    private async Task<InboxCursor?> CursorAsync(string mailbox, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.CursorAsync(mailbox).ConfigureAwait(false) is { } row ? new InboxCursor(row.UidValidity, row.LastUid) : null;
    }

    private async Task SaveCursorAsync(string mailbox, InboxCursor cursor, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.SaveCursorAsync(mailbox, cursor.Validity, cursor.Position).ConfigureAwait(false);
    }

    private static async Task PauseAsync(TimeSpan pause, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(pause, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    /// <summary>A batch whose answers are committed, and where each of its messages goes.</summary>
    private sealed record Applied(InboxBatch Batch, IReadOnlyList<(InboxItem Item, InboxFolder Folder)> Decisions);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reply reader started: {Mailbox}")]
    private static partial void LogStarted(ILogger logger, string mailbox);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Support mailbox unreachable ({Error}); trying again in {Pause}")]
    private static partial void LogUnreachable(ILogger logger, string error, TimeSpan pause);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reading the shops' answers failed; trying again in {Pause}")]
    private static partial void LogFailed(ILogger logger, Exception error, TimeSpan pause);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Reply batch of {Count}: applied in {Applied:0.0} ms, beside it the one before filed and the next fetched in {Fetched:0.0} ms; {Total:0.0} ms")]
    private static partial void LogBatch(ILogger logger, int count, double applied, double fetched, double total);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Another node took over reading the support mailbox")]
    private static partial void LogLeaseLost(ILogger logger);
}
