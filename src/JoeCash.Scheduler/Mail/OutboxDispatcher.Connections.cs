using MailKit.Security;

namespace JoeCash.Scheduler.Mail;

public sealed partial class OutboxDispatcher
{
    /// <summary>The connections of a pass: each on a thread of its own, taking rendered messages and sending them.</summary>
    private sealed partial class Pass
    {
        /// <summary>
        /// One connection, on a thread of its own: sends rendered messages until there are none, or the pass breaks off (what
        /// it had not sent stays open). It blocks where it waits — for the renderer, for the server — which on its own
        /// thread costs nothing and saves a thread-pool hop per server reply.
        /// </summary>
        private void SendRendered()
        {
            IMailSession? session = null;
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    if (TakeNext() is not { } mail)
                    {
                        if (!WaitForRendered())
                        {
                            break;
                        }

                        continue;
                    }

                    session ??= OpenAsync().GetAwaiter().GetResult();
                    if (session is null)
                    {
                        return;
                    }

                    // The caller's token, not the pass's: a message already on the wire finishes when another connection breaks.
                    // Completes at once when the server accepted it; only a refusal awaits the database here.
                    var (outcome, connectionError) = _owner.SendAsync(session, mail, _marks, _cancellation).GetAwaiter().GetResult();
                    if (outcome == Outcome.ConnectionLost)
                    {
                        BreakOff(connectionError!);
                        return;
                    }

                    Settle(mail.Id, outcome);
                }
            }
            finally
            {
                session?.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }

        /// <summary>
        /// The next message for a connection: one rendered ahead, or else a claimed one rendered here and now — a connection
        /// that renders for itself goes on at once, where waiting for the renderer costs a thread's wake-up, long on a busy
        /// machine. Null when nothing is claimed either.
        /// </summary>
        private OutgoingMail? TakeNext()
        {
            if (_rendered.Reader.TryRead(out var rendered))
            {
                return rendered;
            }

            while (!_stop.IsCancellationRequested && _due.Reader.TryRead(out var mail))
            {
                if (_owner.RenderAsync(mail).GetAwaiter().GetResult() is { } message)
                {
                    return new OutgoingMail(mail.Id, mail.MessageId, mail.Recipient, message);
                }

                Settle(mail.Id, Outcome.Failed);
            }

            return null;
        }

        /// <summary>Blocks until a rendered message is waiting (true) or none will come (false).</summary>
        private bool WaitForRendered()
        {
            var waiting = _rendered.Reader.WaitToReadAsync(_stop.Token);
            return waiting.IsCompletedSuccessfully ? waiting.Result : waiting.AsTask().GetAwaiter().GetResult();
        }

        private async Task<IMailSession?> OpenAsync()
        {
            try
            {
                return await _owner.OpenSessionAsync(_cancellation).ConfigureAwait(false);
            }
            catch (AuthenticationException e)
            {
                BreakOff(e);
                return null;
            }
            catch (Exception e) when (IsTransient(e, _cancellation))
            {
                BreakOff(e);
                return null;
            }
        }
    }
}
