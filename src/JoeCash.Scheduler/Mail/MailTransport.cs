namespace JoeCash.Scheduler.Mail;

/// <summary>One rendered message to deliver, and its envelope recipient.</summary>
public sealed record OutgoingMail(long Id, string MessageId, string Recipient, MimeKit.MimeMessage Message);

/// <summary>Where email goes: an SMTP server, or the pickup folder. The I/O boundary of the outbox.</summary>
public interface IMailTransport
{
    /// <summary>Opens a session for a batch (one SMTP connection); throws if the server cannot be reached.</summary>
    Task<IMailSession> OpenAsync(CancellationToken cancellationToken);
}

/// <summary>A connected session; send many messages, then dispose.</summary>
/// <remarks>
/// Sending blocks the calling thread until the server answered: a connection is a strict request-reply exchange, and
/// a blocking socket read wakes the waiting thread directly, where an awaited one costs a thread-pool hop per reply —
/// three replies per message. The dispatcher gives each session a thread of its own.
/// </remarks>
public interface IMailSession : IAsyncDisposable
{
    void Send(OutgoingMail mail, CancellationToken cancellationToken);
}

/// <summary>The SMTP server refused the configured login: nothing can be sent until the credentials are fixed.</summary>
public sealed class MailLoginRefusedException(string message, Exception inner) : Exception(message, inner);
