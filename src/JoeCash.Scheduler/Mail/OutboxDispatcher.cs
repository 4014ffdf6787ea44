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
/// Delivers the outbox: claims due messages, renders each from its payload, sends them over one
/// connection, and records each outcome.
/// Transient trouble (server unreachable, 4xx) reschedules with exponential backoff; a 5xx for a
/// message marks it failed with the server's reply. A message is marked sent right after the server
/// accepted it, so a crash can repeat at most the message in flight — never lose one.
/// </summary>
public sealed class OutboxDispatcher(
    Database database,
    Claimant claimant,
    IMailTransport transport,
    MailRenderer renderer,
    IClock clock,
    IOptions<MailOptions> options,
    ILogger<OutboxDispatcher> logger)
{
    /// <summary>Sends what is due now, in batches, until nothing is due; returns the totals.</summary>
    public async Task<DispatchResult> DispatchDueAsync(CancellationToken cancellationToken = default)
    {
        var total = new DispatchResult(0, 0, 0, 0);
        while (!cancellationToken.IsCancellationRequested)
        {
            var pass = await DispatchBatchAsync(cancellationToken).ConfigureAwait(false);
            total = new DispatchResult(total.Claimed + pass.Claimed, total.Sent + pass.Sent, total.Retrying + pass.Retrying, total.Failed + pass.Failed);
            if (pass.Claimed < options.Value.BatchSize || pass.Sent == 0)
            {
                break;
            }
        }

        return total;
    }

    public async Task<DispatchResult> DispatchBatchAsync(CancellationToken cancellationToken = default)
    {
        // Losing a "sent" mark on power loss only means sending again; a process crash loses nothing.
        await using var connection = await database.OpenAsync(Durability.Relaxed, cancellationToken).ConfigureAwait(false);

        IReadOnlyList<ClaimedMail> batch;
        var now = clock.GetCurrentInstant();
        await using (var writing = await Database.BeginClaimAsync(connection, cancellationToken).ConfigureAwait(false))
        {
            var transaction = writing.Transaction;
            batch = await connection.ClaimDueAsync(claimant.Name, now, now + Duration.FromTimeSpan(options.Value.ClaimLease), options.Value.BatchSize, transaction).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        if (batch.Count == 0)
        {
            return new DispatchResult(0, 0, 0, 0);
        }

        int sent = 0, retrying = 0;
        IMailSession session;
        try
        {
            session = await transport.OpenAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (AuthenticationException e)
        {
            // A refused login is a configuration fault, not an outage: say so loudly, charge no attempt,
            // and keep every message waiting for the corrected credentials.
            var reason = $"the mail server refused the login: {e.Message} (check Mail:Smtp:Username and the password in JOECASH_Mail__Smtp__Password)";
            logger.LogError("SMTP login refused; {Count} message(s) wait until the credentials are fixed: {Error}", batch.Count, e.Message);
            foreach (var mail in batch)
            {
                await Database.WriteRowsAsync(connection, t => connection.HoldAsync(mail.Id, clock.GetCurrentInstant() + Duration.FromTimeSpan(options.Value.RetryMaxDelay), reason, t), CancellationToken.None).ConfigureAwait(false);
            }

            throw new MailLoginRefusedException(reason, e);
        }
        catch (Exception e) when (IsTransient(e, cancellationToken))
        {
            logger.LogWarning("Mail server unreachable ({Error}); {Count} message(s) wait for the next attempt", e.Message, batch.Count);
            foreach (var mail in batch)
            {
                retrying += await RetryLaterAsync(connection, mail, e).ConfigureAwait(false) ? 1 : 0;
            }

            return new DispatchResult(batch.Count, 0, retrying, batch.Count - retrying);
        }

        await using (session.ConfigureAwait(false))
        {
            for (var i = 0; i < batch.Count; i++)
            {
                var (outcome, connectionError) = await DeliverAsync(connection, session, batch[i], cancellationToken).ConfigureAwait(false);
                if (outcome == Outcome.ConnectionLost)
                {
                    // The connection is gone: this and every later message of the batch wait for the next attempt.
                    logger.LogWarning("Connection lost while sending; {Count} message(s) wait", batch.Count - i);
                    foreach (var rest in batch.Skip(i))
                    {
                        retrying += await RetryLaterAsync(connection, rest, connectionError!).ConfigureAwait(false) ? 1 : 0;
                    }

                    break;
                }

                sent += outcome == Outcome.Sent ? 1 : 0;
                retrying += outcome == Outcome.Retrying ? 1 : 0;
            }
        }

        return new DispatchResult(batch.Count, sent, retrying, batch.Count - sent - retrying);
    }

    private enum Outcome
    {
        Sent,
        Retrying,
        Failed,
        ConnectionLost,
    }

    /// <summary>
    /// Renders and sends one message and records what happened to it. Whatever one message does — a
    /// payload that cannot be rendered, an address the server or a library refuses — stays with that
    /// message: it is marked failed with the reason, and the batch goes on.
    /// </summary>
    private async Task<(Outcome Outcome, Exception? ConnectionError)> DeliverAsync(DbConnection connection, IMailSession session, ClaimedMail mail, CancellationToken cancellationToken)
    {
        MimeKit.MimeMessage message;
        try
        {
            message = renderer.Render(mail.MessageId, mail.Payload);
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            // Templates are checked at start-up, so this is the message itself (a damaged row, an address from
            // before today's rule); retrying the same payload cannot mend it. 'mail retry ID --to' can.
            await Database.WriteRowsAsync(connection, t => connection.MarkFailedAsync(mail.Id, $"cannot render: {e.Message}", t), CancellationToken.None).ConfigureAwait(false);
            // The reason without the trace: it is the data, not the code, that is at fault, and 'mail list' shows it.
            logger.LogError("Cannot render {MessageId} to {Recipient}; marked failed: {Error}", mail.MessageId, mail.Recipient, e.Message);
            return (Outcome.Failed, null);
        }

        var sending = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            await session.SendAsync(new OutgoingMail(mail.Id, mail.MessageId, mail.Recipient, message), cancellationToken).ConfigureAwait(false);
        }
        catch (SmtpCommandException e) when ((int)e.StatusCode >= 500)
        {
            await Database.WriteRowsAsync(connection, t => connection.MarkFailedAsync(mail.Id, $"{(int)e.StatusCode} {e.Message}", t), CancellationToken.None).ConfigureAwait(false);
            logger.LogError("The mail server refused {MessageId} to {Recipient} for good: {Status} {Error}", mail.MessageId, mail.Recipient, (int)e.StatusCode, e.Message);
            return (Outcome.Failed, null);
        }
        catch (SmtpCommandException e)
        {
            // 4xx: this message only, try it again later; the connection may still serve the rest.
            return await RetryLaterAsync(connection, mail, e).ConfigureAwait(false) ? (Outcome.Retrying, null) : (Outcome.Failed, null);
        }
        catch (Exception e) when (IsTransient(e, cancellationToken))
        {
            return (Outcome.ConnectionLost, e);
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            // Refused before it reached the server (e.g. MimeKit cannot parse the recipient): this message only.
            await Database.WriteRowsAsync(connection, t => connection.MarkFailedAsync(mail.Id, $"cannot send: {e.GetType().Name}: {e.Message}", t), CancellationToken.None).ConfigureAwait(false);
            logger.LogError("Cannot send {MessageId} to {Recipient}; marked failed: {Error}", mail.MessageId, mail.Recipient, e.Message);
            return (Outcome.Failed, null);
        }

        // Through this process's write gate: a booking holding SQLite's writer lock is waited for, not slept on;
        // recorded even when the service is stopping (the message is gone).
        await Database.WriteRowsAsync(connection, t => connection.MarkSentAsync([mail.Id], clock.GetCurrentInstant(), t), CancellationToken.None).ConfigureAwait(false);
        SchedulerMetrics.Sent(System.Diagnostics.Stopwatch.GetElapsedTime(sending));
        // Debug: at thousands a minute an Information line per message costs ~14% of the send rate;
        // every pass logs its totals at Information, and every failure is a warning or an error.
        logger.LogDebug("Sent {MessageId} to {Recipient}", mail.MessageId, mail.Recipient);
        return (Outcome.Sent, null);
    }

    /// <summary>Reschedules with exponential backoff, or marks failed once the message is older than GiveUpAfter. True if rescheduled.</summary>
    private async Task<bool> RetryLaterAsync(DbConnection connection, ClaimedMail mail, Exception error)
    {
        var (attempts, createdAt) = await connection.AttemptsOfAsync(mail.Id).ConfigureAwait(false);
        var now = clock.GetCurrentInstant();
        var settings = options.Value;
        var reason = error is SmtpCommandException smtp ? $"{(int)smtp.StatusCode} {smtp.Message}" : $"{error.GetType().Name}: {error.Message}";
        if (now - createdAt > Duration.FromTimeSpan(settings.GiveUpAfter))
        {
            await Database.WriteRowsAsync(connection, t => connection.MarkFailedAsync(mail.Id, $"gave up after {attempts} attempts: {reason}", t), CancellationToken.None).ConfigureAwait(false);
            logger.LogError("Gave up on {MessageId} to {Recipient} after {Attempts} attempts: {Error}", mail.MessageId, mail.Recipient, attempts, reason);
            return false;
        }

        var delay = Backoff(attempts, settings.RetryBaseDelay, settings.RetryMaxDelay);
        await Database.WriteRowsAsync(connection, t => connection.RescheduleAsync(mail.Id, now + Duration.FromTimeSpan(delay), reason, t), CancellationToken.None).ConfigureAwait(false);
        logger.LogWarning("Will retry {MessageId} to {Recipient} in {Delay} (attempt {Attempts}): {Error}", mail.MessageId, mail.Recipient, delay, attempts, reason);
        return true;
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
