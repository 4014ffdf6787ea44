using MimeKit;

namespace JoeCash.Scheduler.Mail;

/// <summary>Where a read message goes once its fate is known.</summary>
public enum InboxFolder
{
    /// <summary>Applied or recorded: out of the way, kept.</summary>
    Processed,

    /// <summary>Not applied: for a person, with the reason on record.</summary>
    Review,

    /// <summary>Not an answer: stays where it is, unread.</summary>
    Leave,
}

/// <summary>How far a mailbox has been read: the folder's UIDVALIDITY and the last UID done.</summary>
public readonly record struct InboxCursor(long Validity, long Position);

/// <summary>One message read from an inbox; <see cref="Message"/> is null when its structure shows no calendar (it was not downloaded).</summary>
public sealed record InboxItem(string Source, long Position, MimeMessage? Message);

/// <summary>The messages after a cursor, and the cursor of the last one.</summary>
public sealed record InboxBatch(IReadOnlyList<InboxItem> Items, InboxCursor Cursor);

/// <summary>
/// A mailbox the service reads answers from: the support mailbox over IMAP, or a folder of saved .eml
/// files. The reader takes a batch after its cursor, decides each message's folder, files them, and waits.
/// </summary>
public interface IInbox : IAsyncDisposable
{
    /// <summary>Names the mailbox in the cursor table: <c>user@host/INBOX</c>, <c>files:/path</c>.</summary>
    string Name { get; }

    Task<InboxBatch> NextAsync(InboxCursor? after, int max, CancellationToken cancellationToken);

    Task FileAsync(IReadOnlyList<(InboxItem Item, InboxFolder Folder)> decisions, CancellationToken cancellationToken);

    /// <summary>Returns when something may have arrived (IMAP IDLE), or after <paramref name="longest"/>.</summary>
    Task WaitAsync(TimeSpan longest, CancellationToken cancellationToken);
}
