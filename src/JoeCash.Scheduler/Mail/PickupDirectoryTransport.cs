using Microsoft.Extensions.Options;

namespace JoeCash.Scheduler.Mail;

/// <summary>
/// The embedded default: each message becomes a complete <c>.eml</c> file in the pickup folder, ready
/// to open in any mail client. Written to a temporary name and renamed, so a reader never sees half a file.
/// </summary>
public sealed class PickupDirectoryTransport(IOptions<MailOptions> options) : IMailTransport
{
    public string Directory { get; } = Path.GetFullPath(options.Value.PickupDirectory);

    public Task<IMailSession> OpenAsync(CancellationToken cancellationToken)
    {
        Storage.PrivateFiles.CreateDirectory(Directory);
        return Task.FromResult<IMailSession>(new Session(Directory));
    }

    /// <summary>A file name from the Message-ID: stable, so a re-delivery overwrites instead of duplicating.</summary>
    public static string FileNameFor(string messageId) =>
        string.Concat(messageId.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_')) + ".eml";

    private sealed class Session(string directory) : IMailSession
    {
        public void Send(OutgoingMail mail, CancellationToken cancellationToken)
        {
            var target = Path.Combine(directory, FileNameFor(mail.MessageId));
            var temporary = target + ".tmp";
            // 0640: an email holds a shop's contact details, not for every local user.
            using (var stream = Storage.PrivateFiles.Create(temporary, FileMode.Create))
            {
                mail.Message.WriteTo(MailRenderer.WireFormat, stream, cancellationToken);
            }

            File.Move(temporary, target, overwrite: true);
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
