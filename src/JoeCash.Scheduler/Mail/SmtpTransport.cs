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
/// The socket comes from <see cref="MailSockets"/> (NoDelay). Messages go with MailKit's blocking API (see
/// <see cref="IMailSession"/>); connecting and the login stay asynchronous.
/// </remarks>
public sealed class SmtpTransport(IOptions<MailOptions> options) : IMailTransport
{
    public async Task<IMailSession> OpenAsync(CancellationToken cancellationToken)
    {
        var mail = options.Value;
        var smtp = mail.Smtp;
        var client = new SmtpClient { Timeout = (int)smtp.Timeout.TotalMilliseconds };
        try
        {
            var socket = await MailSockets.ConnectAsync(smtp.Host!, smtp.Port, cancellationToken).ConfigureAwait(false);
            await client.ConnectAsync(socket, smtp.Host!, smtp.Port, smtp.Security.ToSocketOptions(), cancellationToken).ConfigureAwait(false);
            if (!string.IsNullOrEmpty(smtp.Username))
            {
                await client.AuthenticateAsync(smtp.Username, smtp.Password ?? "", cancellationToken).ConfigureAwait(false);
            }

            return new Session(client, mail.Sender);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private sealed class Session(SmtpClient client, MailboxAddress sender) : IMailSession
    {
        public void Send(OutgoingMail mail, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(mail);
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
