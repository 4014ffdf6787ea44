using System.Net.Sockets;
using MailKit.Net.Smtp;
using Microsoft.Extensions.Options;
using MimeKit;

namespace JoeCash.Scheduler.Mail;

/// <summary>
/// Sends over SMTP with MailKit: one connection per batch, MAIL FROM the support mailbox, RCPT TO the
/// stored recipient, DATA the rendered message as it is.
/// </summary>
/// <remarks>
/// The socket comes from <see cref="MailSockets"/> (NoDelay), behind a write buffer (<see cref="WriteBuffer"/>). Messages go with MailKit's blocking API (see
/// <see cref="IMailSession"/>); connecting and the login stay asynchronous.
/// </remarks>
public sealed class SmtpTransport(IOptions<MailOptions> options) : IMailTransport
{
    /// <summary>
    /// What MailKit writes between two reads from the server goes out in one send: a whole message (MailKit writes it in
    /// 4 KB blocks) instead of a send — and a wake-up of the server — per block.
    /// </summary>
    private const int WriteBuffer = 64 * 1024;

    public async Task<IMailSession> OpenAsync(CancellationToken cancellationToken)
    {
        var mail = options.Value;
        var smtp = mail.Smtp;
        var client = new SmtpClient { Timeout = (int)smtp.Timeout.TotalMilliseconds };
        Socket? socket = null;
        try
        {
            socket = await MailSockets.ConnectAsync(smtp.Host!, smtp.Port, cancellationToken).ConfigureAwait(false);
            // MailKit times out its own socket; a stream it is handed it cannot (BufferedStream has no timeouts), so the
            // socket does: the session's blocking sends and reads, and the asynchronous greeting and login below.
            socket.SendTimeout = socket.ReceiveTimeout = client.Timeout;
            // BufferedStream sends what it holds when MailKit flushes (after a command, after the message's final dot) and
            // before every read, so a TLS handshake or a pipelined MAIL FROM/RCPT TO never waits in the buffer.
            var stream = new BufferedStream(new NetworkStream(socket, ownsSocket: true), WriteBuffer);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(smtp.Timeout);
            await client.ConnectAsync(stream, smtp.Host!, smtp.Port, smtp.Security.ToSocketOptions(), timeout.Token).ConfigureAwait(false);
            if (!string.IsNullOrEmpty(smtp.Username))
            {
                await client.AuthenticateAsync(smtp.Username, smtp.Password ?? "", timeout.Token).ConfigureAwait(false);
            }

            return new Session(client, socket, mail.Sender);
        }
        catch
        {
            client.Dispose();
            socket?.Dispose();
            throw;
        }
    }

    private sealed class Session(SmtpClient client, Socket socket, MailboxAddress sender) : IMailSession
    {
        public void Send(OutgoingMail mail, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(mail);
            // MailKit cannot cancel a blocking read on a stream it did not open; closing the socket ends it at once (the
            // message on the wire then counts as interrupted, as when MailKit's own socket was cancelled).
            using var abort = cancellationToken.Register(static state => ((Socket)state!).Dispose(), socket);
            // MAIL FROM and RCPT TO go in one write when the server offers PIPELINING (MailKit does that by itself).
            client.Send(MailRenderer.WireFormat, mail.Message, sender, [MailboxAddress.Parse(mail.Recipient)], cancellationToken);
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                if (client.IsConnected)
                {
                    await client.DisconnectAsync(quit: true).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is IOException or SocketException or MailKit.ProtocolException or OperationCanceledException)
            {
                // The messages are already accepted or already rescheduled; a failed QUIT changes nothing.
            }
            finally
            {
                client.Dispose();
            }
        }
    }
}
