using JoeCash.Scheduler.Calendars;
using JoeCash.Scheduler.Storage;
using JoeCash.Scheduler.Telemetry;
using Microsoft.Extensions.Logging;

namespace JoeCash.Scheduler.Replies;

/// <summary>
/// Applies a batch of incoming emails in one write transaction: every answer is recorded under its key
/// together with its effect, so reading the same email again finds the record and changes nothing; an
/// answer that fails is rolled back alone (the batch is done again with a savepoint per answer) and kept
/// for review.
/// A batch costs one commit, whatever its size: 2,000 waiting replies are not 2,000 disk flushes.
/// </summary>
public sealed partial class ReplyProcessor(Database database, ReplyService service, ILogger<ReplyProcessor> logger)
{
    public Task<IReadOnlyList<ReplyResult>> ProcessAsync(IReadOnlyList<InboundReply> replies, CancellationToken cancellationToken) =>
        ProcessAsync(replies, commit: true, cancellationToken);

    /// <summary>Without <paramref name="commit"/>, everything is done and then rolled back, and nothing is logged (<see cref="ReplyWarmUp"/>).</summary>
    internal async Task<IReadOnlyList<ReplyResult>> ProcessAsync(IReadOnlyList<InboundReply> replies, bool commit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(replies);
        var results = new ReplyResult[replies.Count];
        if (replies.All(r => r.Calendars.Count == 0))
        {
            Array.Fill(results, new ReplyResult(ReplyOutcome.NotAnAnswer, null, null));
            return results;
        }

        // Read every calendar before the write transaction starts: the writer lock is held for database work only.
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var keys = new string[replies.Count];
        var answers = new (ItipAnswer? Answer, string? Error)[replies.Count];
        for (var i = 0; i < replies.Count; i++)
        {
            if (replies[i].Calendars.Count > 0)
            {
                keys[i] = replies[i].Key;
                answers[i] = Read(replies[i].Calendars);
            }
        }

        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        // First without a savepoint per answer: nearly every batch applies cleanly. Should an answer fail,
        // the whole batch is rolled back and done again with one savepoint per answer, so that only that one
        // is rolled back and kept for review: the same outcome, at the cost of the faulty batch only.
        foreach (var careful in new[] { false, true })
        {
            await using var writing = await Database.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
            var transaction = writing.Transaction;
            var clean = await ApplyAllAsync(connection, transaction, replies, keys, answers, results, careful, cancellationToken).ConfigureAwait(false);
            if (clean && commit)
            {
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                break;
            }

            await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
            if (clean)
            {
                // A dry run (warm-up): done, nothing kept, nothing to say.
                return results;
            }
        }

        for (var i = 0; i < replies.Count; i++)
        {
            if (results[i] is { AlreadySeen: false, Outcome: ReplyOutcome.Review } review)
            {
                // A person has to look at it: say so where the operator looks.
                LogReview(logger, replies[i].Source, replies[i].SenderText, review.Reason ?? "");
            }
            else if (results[i] is { AlreadySeen: false, Outcome: not ReplyOutcome.NotAnAnswer } result)
            {
                LogResult(logger, replies[i].Source, result.Outcome, result.AppointmentId, result.Reason ?? "");
            }
        }

        SchedulerMetrics.RepliesApplied(System.Diagnostics.Stopwatch.GetElapsedTime(started));
        return results;
    }

    /// <summary>
    /// Applies every answer of the batch in <paramref name="transaction"/>; with <paramref name="careful"/>, each in
    /// a savepoint of its own. False if an answer failed while not careful: the transaction must be rolled back.
    /// </summary>
    private async Task<bool> ApplyAllAsync(
        System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, IReadOnlyList<InboundReply> replies, string[] keys,
        (ItipAnswer? Answer, string? Error)[] answers, ReplyResult[] results, bool careful, CancellationToken cancellationToken)
    {
        var facts = await AnswerFacts.ReadAsync(
            connection, transaction, [.. keys.Where(k => k is not null).Distinct()], [.. answers.Select(a => a.Answer?.Uid).OfType<string>().SelectMany(ReplyService.UidsToLookUp).Distinct()]).ConfigureAwait(false);
        using var writes = new AnswerWrites(connection, transaction);
        for (var i = 0; i < replies.Count; i++)
        {
            var reply = replies[i];
            if (reply.Calendars.Count == 0)
            {
                results[i] = new ReplyResult(ReplyOutcome.NotAnAnswer, null, null);
                continue;
            }

            var key = keys[i];
            if (facts.Seen(key) is { } seen)
            {
                results[i] = new ReplyResult(Outcome(seen.Outcome), seen.Reason, seen.AppointmentId, AlreadySeen: true);
                continue;
            }

            var (answer, error) = answers[i];
            if (careful)
            {
                await transaction.SaveAsync("answer", cancellationToken).ConfigureAwait(false);
            }

            try
            {
                results[i] = await ApplyAsync(connection, transaction, writes, facts, reply, key, answer, error).ConfigureAwait(false);
                if (careful)
                {
                    await transaction.ReleaseAsync("answer", cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is not (OperationCanceledException or OutOfMemoryException) && database.Describe(e) is null)
            {
                if (!careful)
                {
                    return false;
                }

                // This answer's fault (or a bug it hit), not the database's: roll it back alone and keep it for a person.
                await transaction.RollbackAsync("answer", cancellationToken).ConfigureAwait(false);
                LogFailed(logger, e, reply.Source);
                var reason = $"it could not be applied ({e.GetType().Name}: {e.Message}).";
                await InsertAsync(writes, facts, Record(reply, key, answer, ReplyOutcome.Review, reason, null)).ConfigureAwait(false);
                results[i] = new ReplyResult(ReplyOutcome.Review, reason, null);
            }
        }

        return true;
    }

    /// <summary>The latest answers read, newest first; only those kept for review if <paramref name="reviewOnly"/>.</summary>
    public async Task<IReadOnlyList<InboundRecord>> ListAsync(bool reviewOnly, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ListInboundAsync(reviewOnly, limit).ConfigureAwait(false);
    }

    /// <summary>The first calendar that reads as an answer, or the first calendar's problem.</summary>
    private static (ItipAnswer? Answer, string? Error) Read(IReadOnlyList<string> calendars)
    {
        string? error = null;
        foreach (var text in calendars)
        {
            var read = ItipReader.Read(text);
            if (read.IsSuccess)
            {
                return (read.Value, null);
            }

            error ??= read.Error;
        }

        return (null, error);
    }

    private async Task<ReplyResult> ApplyAsync(
        System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, AnswerWrites writes, AnswerFacts facts, InboundReply reply, string key, ItipAnswer? answer, string? error)
    {
        if (answer is null)
        {
            var unreadable = $"the calendar in it cannot be used: {error}";
            await InsertAsync(writes, facts, Record(reply, key, null, ReplyOutcome.Review, unreadable, null)).ConfigureAwait(false);
            return new ReplyResult(ReplyOutcome.Review, unreadable, null);
        }

        var recorded = false;
        var result = await service.ApplyAsync(connection, transaction, writes, facts, reply, answer, (outcome, reason, appointmentId) =>
        {
            recorded = true;
            return InsertAsync(writes, facts, Record(reply, key, answer, outcome, reason, appointmentId));
        }).ConfigureAwait(false);
        if (!recorded)
        {
            await InsertAsync(writes, facts, Record(reply, key, answer, result.Outcome, result.Reason, result.AppointmentId)).ConfigureAwait(false);
        }

        return result;
    }

    private static async Task<long> InsertAsync(AnswerWrites writes, AnswerFacts facts, InboundRecord record)
    {
        var id = await writes.InsertInboundAsync(record).ConfigureAwait(false);
        facts.Recorded(record with { Id = id });
        return id;
    }

    private static InboundRecord Record(InboundReply reply, string key, ItipAnswer? answer, ReplyOutcome outcome, string? reason, long? appointmentId) => new()
    {
        MessageKey = key,
        MessageId = reply.MessageId,
        Source = reply.Source,
        ReceivedAt = reply.ReceivedAt,
        Sender = reply.SenderText,
        Method = answer?.Method.Name(),
        Uid = answer?.Uid is { } uid ? Domain.UserText.Shown(uid, 200) : null,
        Sequence = answer?.Sequence,
        Attendee = answer?.Attendee is { } attendee ? Domain.UserText.Shown(attendee, 200) : null,
        Answer = answer?.Answer is { } a ? Domain.ResponseStatuses.Code(a) : null,
        AppointmentId = appointmentId,
        Outcome = OutcomeCode(outcome),
        Reason = reason,
    };

    public static string OutcomeCode(ReplyOutcome outcome) => outcome switch
    {
        ReplyOutcome.Applied => "applied",
        ReplyOutcome.Recorded => "recorded",
        ReplyOutcome.Review => "review",
        _ => "not-an-answer",
    };

    private static ReplyOutcome Outcome(string code) => code switch
    {
        "applied" => ReplyOutcome.Applied,
        "recorded" => ReplyOutcome.Recorded,
        _ => ReplyOutcome.Review,
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "The answer read from {Source} could not be applied; it is kept for review")]
    private static partial void LogFailed(ILogger logger, Exception error, string source);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Answer from {Source} ({Sender}) kept for review, not applied: {Reason}")]
    private static partial void LogReview(ILogger logger, string source, string sender, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Answer from {Source}: {Outcome} (appointment {AppointmentId}) {Reason}")]
    private static partial void LogResult(ILogger logger, string source, ReplyOutcome outcome, long? appointmentId, string reason);
}
