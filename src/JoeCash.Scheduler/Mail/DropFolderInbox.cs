using MimeKit;

namespace JoeCash.Scheduler.Mail;

/// <summary>
/// The embedded default: answers saved as <c>*.eml</c> into a folder (<c>Mail:RepliesDirectory</c>) are
/// read in name order and moved to <c>processed/</c>, <c>review/</c> or, without a calendar, <c>not-answers/</c>.
/// Write a file under another name and rename it to <c>.eml</c> when complete.
/// </summary>
public sealed class DropFolderInbox(string directory) : IInbox
{
    // Handed out and not yet filed: the reader fetches the next batch while it applies this one.
    private readonly HashSet<string> _pending = new(StringComparer.Ordinal);

    public string Name => "files:" + Path.GetFullPath(directory);

    public Task<InboxBatch> NextAsync(InboxCursor? after, int max, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var items = new List<InboxItem>();
        foreach (var path in Directory.EnumerateFiles(directory, "*.eml").Where(p => !_pending.Contains(Path.GetFileName(p))).Order(StringComparer.Ordinal).Take(max))
        {
            MimeMessage message;
            try
            {
                message = MimeMessage.Load(path, cancellationToken);
            }
            catch (FormatException)
            {
                // Not a message at all: an item without calendar, moved aside with the other non-answers.
                message = new MimeMessage();
            }

            _pending.Add(Path.GetFileName(path));
            items.Add(new InboxItem("file:" + Path.GetFileName(path), items.Count, message));
        }

        return Task.FromResult(new InboxBatch(items, new InboxCursor(0, 0)));
    }

    public Task FileAsync(IReadOnlyList<(InboxItem Item, InboxFolder Folder)> decisions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(decisions);
        foreach (var (item, folder) in decisions)
        {
            var target = Path.Combine(directory, folder switch { InboxFolder.Processed => "processed", InboxFolder.Review => "review", _ => "not-answers" });
            Directory.CreateDirectory(target);
            var name = item.Source["file:".Length..];
            File.Move(Path.Combine(directory, name), Path.Combine(target, name), overwrite: true);
            _pending.Remove(name);
        }

        return Task.CompletedTask;
    }

    /// <summary>A directory listing costs nothing: look again every second.</summary>
    public Task WaitAsync(TimeSpan longest, CancellationToken cancellationToken) => Task.Delay(TimeSpan.FromSeconds(Math.Min(1, longest.TotalSeconds)), cancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
