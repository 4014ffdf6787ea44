using System.Security.Cryptography;
using System.Text;
using JoeCash.Scheduler.Mail;
using MimeKit;
using NodaTime;

namespace JoeCash.Scheduler.Replies;

/// <summary>What became of an incoming email.</summary>
public enum ReplyOutcome
{
    /// <summary>The answer changed the appointment (or queued what it asked for).</summary>
    Applied,

    /// <summary>A trusted answer that changes nothing now (an older SEQUENCE, a cancelled appointment): kept in the audit trail.</summary>
    Recorded,

    /// <summary>Not applied: untrusted or unreadable. Kept for a person, with the reason.</summary>
    Review,

    /// <summary>No calendar in it: an ordinary email for a person, left where it is, unread.</summary>
    NotAnAnswer,
}

/// <summary>An email from the support mailbox, with what the reader needs of it.</summary>
/// <param name="Source">Where it was read, for the record: <c>imap:INBOX/…</c>, <c>file:…</c>.</param>
/// <param name="MessageId">The Message-ID header, if it has a usable one.</param>
/// <param name="ReceivedAt">When the service read it.</param>
/// <param name="Senders">From and Sender addresses, lower case: who the message claims to come from.</param>
/// <param name="SenderText">From as written, for people reading the record.</param>
/// <param name="Calendars">The calendar texts found in it (<see cref="CalendarParts"/>).</param>
public sealed record InboundReply(
    string Source,
    string? MessageId,
    Instant ReceivedAt,
    IReadOnlyList<string> Senders,
    string SenderText,
    IReadOnlyList<string> Calendars)
{
    /// <summary>
    /// One key per answer: the same message delivered or read twice has the same key; a different answer
    /// that reuses a Message-ID (a forgery, a broken client) does not, because the calendar is part of it.
    /// </summary>
    public string Key
    {
        get
        {
            var calendar = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n", Calendars))))[..32];
            return MessageId is { Length: > 0 } id ? $"{id}#{calendar}" : $"{string.Join(",", Senders)}#{calendar}";
        }
    }

    public static InboundReply From(MimeMessage message, string source, Instant receivedAt)
    {
        ArgumentNullException.ThrowIfNull(message);
        var senders = message.From.Mailboxes.Concat(message.Sender is { } sender ? [sender] : [])
            .Select(m => m.Address.Trim().ToLowerInvariant())
            .Distinct(StringComparer.Ordinal)
            .ToArray();
        var messageId = message.MessageId is { Length: > 0 and <= 500 } id ? id : null;
        var from = message.From.ToString();
        return new InboundReply(
            source,
            messageId,
            receivedAt,
            senders,
            from.Length > 300 ? from[..300] : from,
            CalendarParts.Find(message));
    }
}

/// <summary>What the reader did with one email, and why.</summary>
/// <param name="Outcome">Applied, recorded, kept for review, or not an answer.</param>
/// <param name="Reason">Why it was only recorded, or kept for review.</param>
/// <param name="AppointmentId">The appointment it answered, if it named one of ours.</param>
/// <param name="AlreadySeen">The same answer was read before; nothing was done again.</param>
public sealed record ReplyResult(ReplyOutcome Outcome, string? Reason, long? AppointmentId, bool AlreadySeen = false);
