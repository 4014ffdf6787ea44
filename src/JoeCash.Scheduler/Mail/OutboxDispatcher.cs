using System.Data.Common;
using System.Net.Sockets;
using JoeCash.Scheduler.Storage;
using JoeCash.Scheduler.Telemetry;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;

namespace JoeCash.Scheduler.Mail;

/// <summary>What one dispatch pass did.</summary>
public sealed record DispatchResult(int Claimed, int Sent, int Retrying, int Failed);

/// <summary>
/// Delivers the outbox: claims due messages, renders each from its payload, sends them over
/// <see cref="MailOptions.Connections"/> SMTP connections at once, and records each outcome.
/// Transient trouble (server unreachable, 4xx) reschedules with exponential backoff; a 5xx for a
/// message marks it failed with the server's reply. "Sent" is recorded in small groups right after the
/// server accepted the messages, so a crash can repeat the messages on the wire and the few accepted since
/// the last group was written (same Message-IDs) — never lose one.
/// </summary>
/// <remarks>
/// A pass is a pipeline (<see cref="Pass"/>): one task claims and renders, each connection sends what is rendered,
/// one task writes the "sent" marks. On a 2-core machine rendering the next message while the previous one is on
/// the wire, and marking a group in one transaction instead of one per message, is what lets the dispatcher keep
/// up with the mail server (tests/JoeCash.Scheduler.Benchmarks, <c>dispatch</c>).
/// </remarks>
public sealed partial class OutboxDispatcher(
    Database database,
    Claimant claimant,
    IMailTransport transport,
    MailRenderer renderer,
    IClock clock,
    IOptions<MailOptions> options,
    ILogger<OutboxDispatcher> logger)
{
    /// <summary>Sends what is due now, until nothing is due; returns the totals.</summary>
    /// <exception cref="MailLoginRefusedException">The server refused the login; every claimed message waits, uncharged.</exception>
    public async Task<DispatchResult> DispatchDueAsync(CancellationToken cancellationToken = default)
    {
        var pass = new Pass(this, cancellationToken);
        return await pass.RunAsync().ConfigureAwait(false);
    }

    private MailOptions Settings => options.Value;

    private ILogger Logger => logger;

    private Instant Now => clock.GetCurrentInstant();

    /// <summary>Losing a "sent" mark on power loss only means sending again; a process crash loses nothing.</summary>
    private Task<DbConnection> OpenDatabaseAsync(CancellationToken cancellationToken) => database.OpenAsync(Durability.Relaxed, cancellationToken);

    private SentMarks NewMarks(CancellationTokenSource stop) => new(database, clock, stop);

    private Task<IMailSession> OpenSessionAsync(CancellationToken cancellationToken) => transport.OpenAsync(cancellationToken);

    /// <summary>Claims the next batch of due messages for this node, in a transaction of its own on <paramref name="connection"/>.</summary>
    private async Task<IReadOnlyList<ClaimedMail>> ClaimAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        await using var writing = await Database.BeginClaimAsync(connection, cancellationToken).ConfigureAwait(false);
        var batch = await connection.ClaimDueAsync(claimant.Name, now, now + Duration.FromTimeSpan(Settings.ClaimLease), Settings.BatchSize, writing.Transaction).ConfigureAwait(false);
        await writing.CommitAsync(CancellationToken.None).ConfigureAwait(false);
        return batch;
    }

    private enum Outcome
    {
        Sent,
        Retrying,
        Failed,
        ConnectionLost,
    }

    /// <summary>
    /// Renders one claimed message; null if its payload cannot be rendered, which is the message's fault (templates
    /// are checked at start-up: a damaged row, an address from before today's rule), so it is marked failed with the
    /// reason — retrying the same payload cannot mend it; 'mail retry ID --to' can.
    /// </summary>
    private async Task<MimeKit.MimeMessage?> RenderAsync(ClaimedMail mail)
    {
        try
        {
            return renderer.RenderForWire(mail.MessageId, mail.Payload);
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            await WriteAsync(c => t => c.MarkFailedAsync(mail.Id, $"cannot render: {e.Message}", t)).ConfigureAwait(false);
            // The reason without the trace: it is the data, not the code, that is at fault, and 'mail list' shows it.
            logger.LogError("Cannot render {MessageId} to {Recipient}; marked failed: {Error}", mail.MessageId, mail.Recipient, e.Message);
            return null;
        }
    }

    /// <summary>
    /// Sends one rendered message and records what happened to it. Whatever one message does — an address the
    /// server or a library refuses — stays with that message: it is marked failed with the reason, and the others
    /// go on. A message the server accepted joins the next group of "sent" marks.
    /// </summary>
    private async Task<(Outcome Outcome, Exception? ConnectionError)> SendAsync(IMailSession session, OutgoingMail mail, SentMarks marks, CancellationToken cancellationToken)
    {
        var sending = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            // Blocks this connection's own thread until the server answered (IMailSession); on success nothing below awaits.
            session.Send(mail, cancellationToken);
        }
        catch (SmtpCommandException e) when ((int)e.StatusCode >= 500)
        {
            await WriteAsync(c => t => c.MarkFailedAsync(mail.Id, $"{(int)e.StatusCode} {e.Message}", t)).ConfigureAwait(false);
            logger.LogError("The mail server refused {MessageId} to {Recipient} for good: {Status} {Error}", mail.MessageId, mail.Recipient, (int)e.StatusCode, e.Message);
            return (Outcome.Failed, null);
        }
        catch (SmtpCommandException e)
        {
            // 4xx: this message only, try it again later; the connection may still serve the rest.
            return await RetryLaterAsync(mail.Id, mail.MessageId, mail.Recipient, e).ConfigureAwait(false) ? (Outcome.Retrying, null) : (Outcome.Failed, null);
        }
        catch (Exception e) when (IsTransient(e, cancellationToken))
        {
            return (Outcome.ConnectionLost, e);
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            // Refused before it reached the server (e.g. MimeKit cannot parse the recipient): this message only.
            await WriteAsync(c => t => c.MarkFailedAsync(mail.Id, $"cannot send: {e.GetType().Name}: {e.Message}", t)).ConfigureAwait(false);
            logger.LogError("Cannot send {MessageId} to {Recipient}; marked failed: {Error}", mail.MessageId, mail.Recipient, e.Message);
            return (Outcome.Failed, null);
        }

        marks.Add(mail.Id);
        SchedulerMetrics.Sent(System.Diagnostics.Stopwatch.GetElapsedTime(sending));
        // Debug: at thousands a minute an Information line per message costs ~14% of the send rate;
        // every pass logs its totals at Information, and every failure is a warning or an error.
        logger.LogDebug("Sent {MessageId} to {Recipient}", mail.MessageId, mail.Recipient);
        return (Outcome.Sent, null);
    }

    /// <summary>Reschedules with exponential backoff, or marks failed once the message is older than GiveUpAfter. True if rescheduled.</summary>
    private async Task<bool> RetryLaterAsync(long id, string messageId, string recipient, Exception error)
    {
        await using var connection = await OpenDatabaseAsync(CancellationToken.None).ConfigureAwait(false);
        var (attempts, createdAt) = await connection.AttemptsOfAsync(id).ConfigureAwait(false);
        var now = clock.GetCurrentInstant();
        var settings = options.Value;
        var reason = error is SmtpCommandException smtp ? $"{(int)smtp.StatusCode} {smtp.Message}" : $"{error.GetType().Name}: {error.Message}";
        if (now - createdAt > Duration.FromTimeSpan(settings.GiveUpAfter))
        {
            await Database.WriteRowsAsync(connection, t => connection.MarkFailedAsync(id, $"gave up after {attempts} attempts: {reason}", t), CancellationToken.None).ConfigureAwait(false);
            logger.LogError("Gave up on {MessageId} to {Recipient} after {Attempts} attempts: {Error}", messageId, recipient, attempts, reason);
            return false;
        }

        var delay = Backoff(attempts, settings.RetryBaseDelay, settings.RetryMaxDelay);
        await Database.WriteRowsAsync(connection, t => connection.RescheduleAsync(id, now + Duration.FromTimeSpan(delay), reason, t), CancellationToken.None).ConfigureAwait(false);
        logger.LogWarning("Will retry {MessageId} to {Recipient} in {Delay} (attempt {Attempts}): {Error}", messageId, recipient, delay, attempts, reason);
        return true;
    }

    /// <summary>
    /// One mark on one claimed row, in a transaction of its own on a connection of its own (the pass's tasks run side by
    /// side, and a connection serves one at a time); recorded even when the service is stopping. Relaxed durability:
    /// losing such a mark in a power cut means sending again, never losing a message.
    /// </summary>
    private async Task WriteAsync(Func<DbConnection, Func<DbTransaction, Task>> write)
    {
        await using var connection = await OpenDatabaseAsync(CancellationToken.None).ConfigureAwait(false);
        await Database.WriteRowsAsync(connection, write(connection), CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>base · 2^(attempts−1), capped.</summary>
    public static TimeSpan Backoff(int attempts, TimeSpan baseDelay, TimeSpan maxDelay)
    {
        var exponent = Math.Clamp(attempts - 1, 0, 20);
        var delay = baseDelay * Math.Pow(2, exponent);
        return delay > maxDelay ? maxDelay : delay;
    }

    /// <summary>Trouble with the connection rather than with one message: worth another try later.</summary>
    private static bool IsTransient(Exception e, CancellationToken cancellationToken) =>
        e is SocketException or IOException or TimeoutException or ServiceNotConnectedException or ServiceNotAuthenticatedException
            or SmtpProtocolException or SslHandshakeException
        || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested);
}
