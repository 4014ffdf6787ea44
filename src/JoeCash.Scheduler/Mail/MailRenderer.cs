using System.Text;
using System.Text.Json;
using JoeCash.Scheduler.Invitations;
using Microsoft.Extensions.Options;
using MimeKit;
using MimeKit.Text;
using NodaTime;

namespace JoeCash.Scheduler.Mail;

/// <summary>
/// Turns an outbox payload into the email as it goes on the wire:
/// multipart/mixed { multipart/alternative { text/plain, text/html, text/calendar; method=… }, invite.ics }
/// for invitations, multipart/alternative { text/plain, text/html } otherwise. Headers go through
/// MimeKit, never string concatenation; user text reaches them only as encoded values.
/// </summary>
public sealed class MailRenderer(TemplateCatalog templates, IOptions<MailOptions> mailOptions)
{
    public static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    private static readonly FormatOptions WireFormat = CreateWireFormat();

    public byte[] Render(string messageId, string payloadJson) =>
        Render(messageId, JsonSerializer.Deserialize<MailPayload>(payloadJson, Json) ?? throw new InvalidDataException($"Outbox message {messageId} has an empty payload."));

    public byte[] Render(string messageId, MailPayload payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        object model = (object?)payload.Message ?? payload.Agenda ?? throw new InvalidDataException($"Outbox message {messageId} has no values to show.");
        var language = payload.Language;
        var subject = InvitationComposer.SingleLine(templates.Render(language, payload.Template + ".subject", model));
        var text = MailText.Wrap(templates.Render(language, payload.Template + ".txt", model));
        var html = templates.Render(language, payload.Template + ".html", model);
        var created = Instant.FromUnixTimeMilliseconds(payload.CreatedAtMilliseconds);
        string? calendar = null;
        if (payload.Calendar is { } c)
        {
            calendar = CalendarBuilder.Build(new CalendarEventData(
                c.Method,
                c.Uid,
                c.Sequence,
                Instant.FromUnixTimeMilliseconds(c.StartMilliseconds),
                Instant.FromUnixTimeMilliseconds(c.EndMilliseconds),
                created,
                DateTimeZoneProviders.Tzdb[c.ZoneId],
                c.Summary,
                templates.Render(language, "invitation.description", model).Trim(),
                c.Location,
                c.OrganizerEmail,
                c.OrganizerName,
                payload.RecipientEmail,
                payload.RecipientName,
                c.AlarmMinutesBefore));
        }

        return Serialize(Message(messageId, payload.RecipientEmail, payload.RecipientName, subject, text, html, calendar, created));
    }

    private MimeMessage Message(string messageId, string recipient, string recipientName, string subject, string text, string html, string? calendar, Instant created)
    {
        var mail = mailOptions.Value;
        var message = new MimeMessage { Subject = subject, MessageId = messageId, Date = created.ToDateTimeOffset() };
        message.From.Add(mail.Sender);
        message.To.Add(new MailboxAddress(recipientName, recipient));
        // RFC 3834: machine-sent; Exchange: no out-of-office answers to the support mailbox.
        message.Headers.Add("Auto-Submitted", "auto-generated");
        message.Headers.Add("X-Auto-Response-Suppress", "OOF, AutoReply");

        var alternative = new MultipartAlternative
        {
            new TextPart(TextFormat.Plain) { Text = text, ContentTransferEncoding = ContentEncoding.QuotedPrintable },
            new TextPart(TextFormat.Html) { Text = html, ContentTransferEncoding = ContentEncoding.QuotedPrintable },
        };
        if (calendar is null)
        {
            message.Body = alternative;
            return message;
        }

        var method = calendar.Contains("METHOD:CANCEL", StringComparison.Ordinal) ? CalendarBuilder.Cancel : CalendarBuilder.Request;
        var calendarPart = new TextPart("calendar") { Text = calendar, ContentTransferEncoding = ContentEncoding.Base64 };
        calendarPart.ContentType.Charset = "utf-8";
        // RFC 6047 §2.4: the MIME method must equal the body's METHOD, or Outlook refuses the invitation.
        calendarPart.ContentType.Parameters.Add("method", method);
        alternative.Add(calendarPart);
        var attachment = new MimePart("application", "ics")
        {
            Content = new MimeContent(new MemoryStream(Encoding.UTF8.GetBytes(calendar))),
            ContentDisposition = new ContentDisposition(ContentDisposition.Attachment),
            ContentTransferEncoding = ContentEncoding.Base64,
            FileName = method == CalendarBuilder.Cancel ? "cancel.ics" : "invite.ics",
        };
        message.Body = new Multipart("mixed") { alternative, attachment };
        return message;
    }

    private static byte[] Serialize(MimeMessage message)
    {
        using var stream = new MemoryStream();
        message.WriteTo(WireFormat, stream);
        return stream.ToArray();
    }

    private static FormatOptions CreateWireFormat()
    {
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        return format;
    }
}
