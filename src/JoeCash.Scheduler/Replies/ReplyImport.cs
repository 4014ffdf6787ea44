using MimeKit;
using NodaTime;

namespace JoeCash.Scheduler.Replies;

/// <summary>
/// Answers saved as files, processed by hand (<c>replies import</c>): the same reading, checks and
/// effects as the service's mailbox reader, and the same record, so a file imported twice, or imported
/// and then read from the mailbox, is applied once.
/// </summary>
public sealed class ReplyImport(ReplyProcessor processor, IClock clock)
{
    /// <summary>Reads every file first; a file that cannot be read stops the import before anything is applied.</summary>
    public async Task<Domain.Result<IReadOnlyList<ReplyResult>>> ImportAsync(IReadOnlyList<string> paths, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var now = clock.GetCurrentInstant();
        var replies = new List<InboundReply>();
        foreach (var path in paths)
        {
            if (!File.Exists(path))
            {
                return Domain.Result.Fail<IReadOnlyList<ReplyResult>>($"{path}: no such file.");
            }

            try
            {
                var message = await MimeMessage.LoadAsync(path, cancellationToken).ConfigureAwait(false);
                replies.Add(InboundReply.From(message, "import:" + Path.GetFileName(path), now));
            }
            catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
            {
                return Domain.Result.Fail<IReadOnlyList<ReplyResult>>($"{path}: cannot be read as an email ({e.Message}).");
            }
        }

        return Domain.Result.Ok(await processor.ProcessAsync(replies, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The latest answers read, newest first.</summary>
    public Task<IReadOnlyList<InboundRecord>> ListAsync(bool reviewOnly, int limit, CancellationToken cancellationToken) =>
        processor.ListAsync(reviewOnly, limit, cancellationToken);
}
