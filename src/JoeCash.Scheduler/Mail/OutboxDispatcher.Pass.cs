using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using NodaTime;

namespace JoeCash.Scheduler.Mail;

public sealed partial class OutboxDispatcher
{
    /// <summary>
    /// One <see cref="DispatchDueAsync"/>: a task that claims due messages batch by batch, one that renders them, as many
    /// sending threads as <see cref="MailOptions.Connections"/> (each with its own SMTP connection, opened when it gets
    /// its first message, rendering for itself when the renderer is behind), and the "sent" marks written in groups (<see cref="SentMarks"/>).
    /// </summary>
    /// <remarks>
    /// Every claimed message gets exactly one outcome — sent, retrying, failed — or, if the pass breaks off (the
    /// connection is lost, the login is refused), waits for the next attempt with the reason. A fault (the database)
    /// stops every task and surfaces after the marks of what was sent are written; the service's stop leaves the
    /// claims for the restart to requeue, as before.
    /// </remarks>
    private sealed partial class Pass
    {
        private readonly OutboxDispatcher _owner;
        private readonly CancellationToken _cancellation;
        private readonly CancellationTokenSource _stop;
        private readonly Channel<ClaimedMail> _due;
        private readonly Channel<OutgoingMail> _rendered;
        private readonly ConcurrentDictionary<long, ClaimedMail> _open = new();
        private readonly SentMarks _marks;
        private int _claimed;
        private int _sent;
        private int _retrying;
        private int _failed;
        private Exception? _brokenOff;

        public Pass(OutboxDispatcher owner, CancellationToken cancellation)
        {
            _owner = owner;
            _cancellation = cancellation;
            _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            // Messages rendered ahead per connection: enough that the renderer works in runs rather than one message per
            // wake-up (~10 KB each). What is rendered but not sent when a pass breaks off is put back like the rest.
            _rendered = Channel.CreateBounded<OutgoingMail>(new BoundedChannelOptions(16 * owner.Settings.Connections) { SingleWriter = true });
            // One batch waits claimed while the one before it is rendered and sent. Read by the renderer and, when it is
            // behind, by the connections themselves (TakeNext).
            _due = Channel.CreateBounded<ClaimedMail>(new BoundedChannelOptions(owner.Settings.BatchSize) { SingleWriter = true });
            _marks = owner.NewMarks(_stop);
        }

        public async Task<DispatchResult> RunAsync()
        {
            using (_stop)
            {
                var connections = _owner.Settings.Connections;
                var work = Task.WhenAll(
                [
                    Task.Run(() => StageAsync(ClaimAsync, () => _due.Writer.TryComplete())),
                    Task.Run(() => StageAsync(RenderAsync, () => _rendered.Writer.TryComplete())),
                    // Each connection on a thread of its own: it blocks on the server's replies (IMailSession).
                    .. Enumerable.Range(0, connections).Select(_ => StageAsync(() => Task.Factory.StartNew(
                        SendRendered, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default))),
                ]);
                try
                {
                    await work.ConfigureAwait(false);
                }
                catch (Exception) when (work.IsFaulted || work.IsCanceled)
                {
                    // Inspected below, once the marks of what was sent are written.
                }

                // Whatever happened, what the server accepted is recorded.
                await _marks.CompleteAsync().ConfigureAwait(false);
                _cancellation.ThrowIfCancellationRequested();
                if (work.Exception?.InnerExceptions.FirstOrDefault(e => e is not OperationCanceledException) is { } fault)
                {
                    ExceptionDispatchInfo.Throw(fault);
                }

                await SettleUnsentAsync().ConfigureAwait(false);
                _sent = _marks.Count;
                return new DispatchResult(_claimed, _sent, _retrying, _failed);
            }
        }

        /// <summary>
        /// Claims due messages a batch at a time until none is due. It claims the next batch as soon as the current one is
        /// handed on, so the renderer never waits for a claim (which, on SQLite, may wait for a reminder sweep's batch).
        /// </summary>
        private async Task ClaimAsync()
        {
            await using var connection = await _owner.OpenDatabaseAsync(_stop.Token).ConfigureAwait(false);
            while (!_stop.IsCancellationRequested)
            {
                var batch = await _owner.ClaimAsync(connection, _stop.Token).ConfigureAwait(false);
                _claimed += batch.Count;
                foreach (var mail in batch)
                {
                    _open[mail.Id] = mail;
                }

                foreach (var mail in batch)
                {
                    // Left open if the pass breaks off meanwhile: it is put back with the reason.
                    await _due.Writer.WriteAsync(mail, _stop.Token).ConfigureAwait(false);
                }

                if (batch.Count < _owner.Settings.BatchSize)
                {
                    break;
                }
            }
        }

        /// <summary>Renders claimed messages for the connections, a few ahead of them.</summary>
        private async Task RenderAsync()
        {
            await foreach (var mail in _due.Reader.ReadAllAsync(_stop.Token).ConfigureAwait(false))
            {
                if (await _owner.RenderAsync(mail).ConfigureAwait(false) is not { } message)
                {
                    Settle(mail.Id, Outcome.Failed);
                    continue;
                }

                await _rendered.Writer.WriteAsync(new OutgoingMail(mail.Id, mail.MessageId, mail.Recipient, message), _stop.Token).ConfigureAwait(false);
            }
        }

        /// <summary>
        /// Runs one stage of the pipeline: it ends quietly when the pass breaks off or the service stops (what it held stays
        /// open), stops the whole pass if it fails, and always tells the next stage that nothing more comes.
        /// </summary>
        private async Task StageAsync(Func<Task> stage, Action? done = null)
        {
            try
            {
                await stage().ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                // The pass broke off or the service stops.
            }
            catch
            {
                await _stop.CancelAsync().ConfigureAwait(false);
                throw;
            }
            finally
            {
                done?.Invoke();
            }
        }

        private void BreakOff(Exception reason)
        {
            Interlocked.CompareExchange(ref _brokenOff, reason, null);
            _stop.Cancel();
        }

        private void Settle(long id, Outcome outcome)
        {
            _open.TryRemove(id, out _);
            _ = outcome switch
            {
                Outcome.Retrying => Interlocked.Increment(ref _retrying),
                Outcome.Failed => Interlocked.Increment(ref _failed),
                _ => 0,
            };
        }

        /// <summary>
        /// What the pass claimed and never sent because it broke off: a refused login keeps every message waiting,
        /// uncharged, until the credentials are fixed; an unreachable server or a lost connection schedules each for
        /// its next attempt.
        /// </summary>
        private async Task SettleUnsentAsync()
        {
            var unsent = _open.Values.OrderBy(m => m.Id).ToList();
            if (unsent.Count == 0)
            {
                return;
            }

            var logger = _owner.Logger;
            var settings = _owner.Settings;
            switch (_brokenOff)
            {
                case AuthenticationException e:
                    // A refused login is a configuration fault, not an outage: say so loudly, charge no attempt.
                    var reason = $"the mail server refused the login: {e.Message} (check Mail:Smtp:Username and the password in JOECASH_Mail__Smtp__Password)";
                    logger.LogError("SMTP login refused; {Count} message(s) wait until the credentials are fixed: {Error}", unsent.Count, e.Message);
                    foreach (var mail in unsent)
                    {
                        await _owner.WriteAsync(c => t => c.HoldAsync(mail.Id, _owner.Now + Duration.FromTimeSpan(settings.RetryMaxDelay), reason, t)).ConfigureAwait(false);
                    }

                    throw new MailLoginRefusedException(reason, e);
                case { } e:
                    if (_marks.Count == 0 && _failed == 0 && _retrying == 0)
                    {
                        logger.LogWarning("Mail server unreachable ({Error}); {Count} message(s) wait for the next attempt", e.Message, unsent.Count);
                    }
                    else
                    {
                        logger.LogWarning("Connection lost while sending ({Error}); {Count} message(s) wait", e.Message, unsent.Count);
                    }

                    foreach (var mail in unsent)
                    {
                        Settle(mail.Id, await _owner.RetryLaterAsync(mail.Id, mail.MessageId, mail.Recipient, e).ConfigureAwait(false) ? Outcome.Retrying : Outcome.Failed);
                    }

                    break;
                default:
                    throw new InvalidOperationException($"The dispatch pass ended with {unsent.Count} claimed message(s) neither sent nor put back.");
            }
        }
    }
}
