using System.Net.Sockets;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MimeKit;

namespace JoeCash.Scheduler.Mail;

/// <summary>
/// The support mailbox over IMAP (MailKit). Reads the UIDs after the cursor, downloads small messages
/// whole and big ones only if their structure holds a calendar (always with BODY.PEEK, so nothing is
/// marked read), moves answers to the processed or review folder (MOVE, or COPY + EXPUNGE where the
/// server lacks it) and leaves every other email untouched and unread. Waits with IDLE where the server offers it, by polling where not.
/// One connection, one reader: not thread-safe.
/// </summary>
public sealed class ImapInbox(ImapOptions options) : IInbox
{
    /// <summary>Emails up to this size are downloaded whole without looking at their structure first (with BODY.PEEK: nothing is marked read).</summary>
    private const int WholeUpTo = 256 * 1024;

    private readonly ImapClient _client = new() { Timeout = (int)options.Timeout.TotalMilliseconds };
    private IMailFolder? _folder;
    private IMailFolder? _processed;
    private IMailFolder? _review;
    private int _knownCount = -1;

    // UIDs found by the last SEARCH and not handed out yet, and the cursor the next batch must start from to use them.
    private readonly Queue<UniqueId> _ahead = new();
    private readonly HashSet<uint> _large = [];
    private (long Validity, long Position) _aheadFrom;

    public string Name => $"{options.Username}@{options.Host}:{options.Port}/{options.Folder}";

    public async Task<InboxBatch> NextAsync(InboxCursor? after, int max, CancellationToken cancellationToken)
    {
        var folder = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var validity = (long)folder.UidValidity;
        var from = after is { } cursor && cursor.Validity == validity ? cursor.Position : 0;
        _knownCount = folder.Count;
        if (folder.Count == 0)
        {
            _ahead.Clear();
            return new InboxBatch([], new InboxCursor(validity, from));
        }

        if (_ahead.Count == 0 || _aheadFrom != (validity, from))
        {
            // "UID n:*" always matches the newest message, even below n: filter. One SEARCH serves a whole
            // backlog: the UIDs beyond this batch are kept for the next ones, asked for again once used up.
            var range = SearchQuery.Uids(new UniqueIdRange(new UniqueId((uint)validity, (uint)from + 1), UniqueId.MaxValue));
            _ahead.Clear();
            foreach (var uid in (await folder.SearchAsync(range, cancellationToken).ConfigureAwait(false)).Where(u => u.Id > from).OrderBy(u => u.Id))
            {
                _ahead.Enqueue(uid);
            }

            _large.Clear();
            _large.UnionWith((await folder.SearchAsync(range.And(SearchQuery.LargerThan(WholeUpTo)), cancellationToken).ConfigureAwait(false)).Select(u => u.Id));
        }

        var uids = new List<UniqueId>(Math.Min(max, _ahead.Count));
        while (uids.Count < max && _ahead.TryDequeue(out var next))
        {
            uids.Add(next);
        }

        _aheadFrom = uids.Count > 0 ? (validity, uids[^1].Id) : default;
        if (uids.Count == 0)
        {
            return new InboxBatch([], new InboxCursor(validity, from));
        }

        // A big email is downloaded only if its structure holds a calendar; a small one (every calendar answer
        // is) whole at once, without asking for its structure first: one round trip instead of two.
        var wanted = uids.Where(u => !_large.Contains(u.Id)).ToList();
        var large = uids.Where(u => _large.Contains(u.Id)).ToList();
        if (large.Count > 0)
        {
            var summaries = await folder.FetchAsync(large, MessageSummaryItems.UniqueId | MessageSummaryItems.BodyStructure, cancellationToken).ConfigureAwait(false);
            wanted.AddRange(summaries.Where(s => s.Body is null || MayHoldCalendar(s.Body)).Select(s => s.UniqueId));
        }

        var messages = new Dictionary<uint, MimeMessage>();
        if (wanted.Count > 0 && folder is ImapFolder imap)
        {
            await imap.GetStreamsAsync(wanted, async (_, _, uid, stream, token) =>
                messages[uid.Id] = await MimeMessage.LoadAsync(stream, token).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }

        var items = uids.Select(u => new InboxItem($"imap:{options.Folder}/{validity}/{u.Id}", u.Id, messages.GetValueOrDefault(u.Id))).ToList();
        return new InboxBatch(items, new InboxCursor(validity, uids[^1].Id));
    }

    public async Task FileAsync(IReadOnlyList<(InboxItem Item, InboxFolder Folder)> decisions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(decisions);
        var folder = await OpenAsync(cancellationToken).ConfigureAwait(false);
        // Looked up (or created) when first needed, not before the first batch is read.
        _processed ??= await FolderAsync(options.ProcessedFolder, cancellationToken).ConfigureAwait(false);
        _review ??= await FolderAsync(options.ReviewFolder, cancellationToken).ConfigureAwait(false);
        foreach (var (target, destination) in new[] { (InboxFolder.Processed, _processed), (InboxFolder.Review, _review) })
        {
            var uids = decisions.Where(d => d.Folder == target).Select(d => new UniqueId(folder.UidValidity, (uint)d.Item.Position)).ToList();
            if (uids.Count > 0)
            {
                await folder.MoveToAsync(uids, destination, cancellationToken).ConfigureAwait(false);
                // Not folder.Count: a message that arrived meanwhile (told with the MOVE's answer) is not known yet.
                _knownCount -= uids.Count;
            }
        }
    }

    public async Task WaitAsync(TimeSpan longest, CancellationToken cancellationToken)
    {
        var folder = await OpenAsync(cancellationToken).ConfigureAwait(false);
        if (folder.Count != _knownCount)
        {
            // Something arrived while the last batch was handled: no need to wait.
            return;
        }

        if (!_client.Capabilities.HasFlag(ImapCapabilities.Idle))
        {
            await Task.Delay(options.PollInterval < longest ? options.PollInterval : longest, cancellationToken).ConfigureAwait(false);
            await _client.NoOpAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        using var done = new CancellationTokenSource(options.IdleRenewal < longest ? options.IdleRenewal : longest);
        void Arrived(object? sender, EventArgs e) => done.Cancel();
        folder.CountChanged += Arrived;
        try
        {
            await _client.IdleAsync(done.Token, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            folder.CountChanged -= Arrived;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            try
            {
                using var quick = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _client.DisconnectAsync(true, quick.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ProtocolException or ImapCommandException)
            {
                // Going away anyway.
            }
        }

        _client.Dispose();
    }

    /// <summary>True for any part a calendar may hide in: a calendar, an .ics file, TNEF, an attached message.</summary>
    private static bool MayHoldCalendar(BodyPart body) => body switch
    {
        BodyPartMultipart multipart => multipart.BodyParts.Any(MayHoldCalendar),
        BodyPartMessage => true,
        BodyPartBasic basic => CalendarParts.IsCalendar(basic.ContentType, basic.FileName) || CalendarParts.IsTnef(basic.ContentType, basic.FileName),
        _ => false,
    };

    private async Task<IMailFolder> OpenAsync(CancellationToken cancellationToken)
    {
        if (_folder is { IsOpen: true } && _client.IsConnected)
        {
            return _folder;
        }

        if (!_client.IsConnected)
        {
            var socket = await MailSockets.ConnectAsync(options.Host!, options.Port, cancellationToken).ConfigureAwait(false);
            await _client.ConnectAsync(socket, options.Host!, options.Port, options.Security.ToSocketOptions(), cancellationToken).ConfigureAwait(false);
            if (!string.IsNullOrEmpty(options.Username))
            {
                await _client.AuthenticateAsync(options.Username, options.Password ?? "", cancellationToken).ConfigureAwait(false);
            }
        }

        _folder = options.Folder.Equals("INBOX", StringComparison.OrdinalIgnoreCase)
            ? _client.Inbox
            : await _client.GetFolderAsync(options.Folder, cancellationToken).ConfigureAwait(false);
        await _folder.OpenAsync(FolderAccess.ReadWrite, cancellationToken).ConfigureAwait(false);
        return _folder;
    }

    /// <summary>The folder by name at the top of the personal namespace, created if it does not exist yet.</summary>
    private async Task<IMailFolder> FolderAsync(string name, CancellationToken cancellationToken)
    {
        var root = _client.GetFolder(_client.PersonalNamespaces[0]);
        try
        {
            return await root.GetSubfolderAsync(name, cancellationToken).ConfigureAwait(false)
                ?? throw new FolderNotFoundException(name);
        }
        catch (FolderNotFoundException)
        {
            return await root.CreateAsync(name, isMessageFolder: true, cancellationToken).ConfigureAwait(false)
                ?? throw new FolderNotFoundException(name);
        }
    }
}
