using System.Text;
using JoeCash.Scheduler.Storage;
using MimeKit;
using NodaTime;

namespace JoeCash.Scheduler.Replies;

/// <summary>
/// Runs one built-in answer through every step the reader takes — MIME parsing, finding the calendar,
/// reading it, the batch's lookups and writes — and rolls the writes back. At start-up, while the
/// support mailbox connects, so the first real batch finds its code compiled instead of paying for the
/// JIT: the answer is the common one (ACCEPTED from the invited address) to the newest appointment that
/// has an invitation, so it takes the path most answers take; without one it takes the review path.
/// Nothing stays behind: no record, no audit line, no log line.
/// </summary>
public static class ReplyWarmUp
{
    public static async Task RunAsync(Database database, ReplyProcessor processor, IClock clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(processor);
        ArgumentNullException.ThrowIfNull(clock);
        (string Uid, int Sequence, string Recipient)? target;
        await using (var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false))
        {
            target = await connection.WarmUpTargetAsync().ConfigureAwait(false);
        }

        var (uid, sequence, recipient) = target ?? ($"warm-up-{Guid.NewGuid():N}@joecash.invalid", 0, "shop@joecash.invalid");
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(Sample(uid, sequence, recipient)));
        var message = await MimeMessage.LoadAsync(stream, cancellationToken).ConfigureAwait(false);
        var reply = InboundReply.From(message, "warm-up", clock.GetCurrentInstant());
        await processor.ProcessAsync([reply], commit: false, cancellationToken).ConfigureAwait(false);
    }

    private static string Sample(string uid, int sequence, string recipient) => string.Join("\r\n",
        $"From: Shop <{recipient}>",
        "To: <support@joecash.invalid>",
        "Subject: Accepted",
        $"Message-ID: <warm-up-{Guid.NewGuid():N}@joecash.invalid>",
        "MIME-Version: 1.0",
        "Content-Type: multipart/alternative; boundary=\"=_sample\"",
        "",
        "--=_sample",
        "Content-Type: text/plain; charset=utf-8",
        "",
        "Accepted.",
        "--=_sample",
        "Content-Type: text/calendar; charset=utf-8; method=REPLY",
        "Content-Transfer-Encoding: quoted-printable",
        "",
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//JoeCash//warm-up//EN",
        "METHOD:REPLY",
        "BEGIN:VEVENT",
        $"UID:{uid}",
        $"SEQUENCE:{sequence}",
        "DTSTAMP:20260101T000000Z",
        $"ATTENDEE;PARTSTAT=ACCEPTED;CN=Shop:mailto:{recipient}",
        "END:VEVENT",
        "END:VCALENDAR",
        "--=_sample--",
        "");
}
