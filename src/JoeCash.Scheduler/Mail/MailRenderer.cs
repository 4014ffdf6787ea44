using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using JoeCash.Scheduler.Calendars;
using Microsoft.Extensions.Options;
using MimeKit;
using MimeKit.Text;
using NodaTime;

namespace JoeCash.Scheduler.Mail;

/// <summary>
/// Turns any outbox payload into the email as it goes on the wire:
/// multipart/mixed { multipart/alternative { text/plain, text/html, text/calendar; method=… }, invite.ics }
/// when it carries a calendar, multipart/alternative { text/plain, text/html } otherwise. Headers go
/// through MimeKit, never string concatenation; user text reaches them only as encoded values. The
/// result is handed to the transport as it is.
/// </summary>
public sealed class MailRenderer(TemplateCatalog templates, IOptions<MailOptions> mailOptions, IEnumerable<IMailModelFinisher> finishers)
{
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        // Read case-blind, so rows that stored "REQUEST" before the method was typed still read.
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>CRLF line ends, as SMTP and .eml files want them, and a line end after the last line, as MailKit writes DATA.</summary>
    public static readonly FormatOptions WireFormat = CreateWireFormat();

    public MimeMessage Render(string messageId, string payloadJson) =>
        Render(messageId, JsonSerializer.Deserialize<MailPayload>(payloadJson, Json) ?? throw new InvalidDataException($"Outbox message {messageId} has an empty payload."));

    /// <summary>
    /// The message as the dispatcher sends it: rendered, and its body encoded once here (<see cref="EncodedBody"/>) instead
    /// of again on the connection while the server waits.
    /// </summary>
    public MimeMessage RenderForWire(string messageId, string payloadJson) => ForWire(Render(messageId, payloadJson));

    /// <summary><paramref name="message"/> with its body encoded once (<see cref="EncodedBody"/>): it writes the same bytes as before, every time.</summary>
    public static MimeMessage ForWire(MimeMessage message) => EncodedBody.Encode(message, WireFormat);

    public MimeMessage Render(string messageId, MailPayload payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var set = templates.Set(payload.Template);
        var model = finishers.Aggregate(ModelOf(messageId, payload, set), (m, finisher) => finisher.Finish(m));
        var language = payload.Language;
        var subject = MailText.SingleLine(templates.Render(language, set.Subject, model));
        var text = MailText.Wrap(templates.Render(language, set.Text, model));
        var html = templates.Render(language, set.Html, model);
        var created = Instant.FromUnixTimeMilliseconds(payload.CreatedAtMilliseconds);
        var message = Message(messageId, payload.RecipientEmail, payload.RecipientName, subject, text, html, created, out var alternative);
        if (payload.Calendar is { } c)
        {
            var description = set.CalendarDescription is { } d ? templates.Render(language, d, model).Trim() : "";
            var calendar = CalendarBuilder.Build(new CalendarEventData(
                c.Method,
                c.Uid,
                c.Sequence,
                Instant.FromUnixTimeMilliseconds(c.StartMilliseconds),
                Instant.FromUnixTimeMilliseconds(c.EndMilliseconds),
                created,
                DateTimeZoneProviders.Tzdb[c.ZoneId],
                c.Summary,
                description,
                c.Location,
                c.OrganizerEmail,
                c.OrganizerName,
                payload.RecipientEmail,
                payload.RecipientName,
                c.AlarmMinutesBefore));
            AddCalendar(message, alternative, c.Method, calendar);
        }

        return message;
    }

    /// <summary>The bytes exactly as they go on the wire (CRLF).</summary>
    public static byte[] ToBytes(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var stream = new MemoryStream();
        message.WriteTo(WireFormat, stream);
        return stream.ToArray();
    }

    private static object ModelOf(string messageId, MailPayload payload, TemplateSet set)
    {
        var stored = payload.Model is JsonElement element ? element : payload.Message ?? payload.Agenda;
        if (stored is not { } json)
        {
            return payload.Model ?? throw new InvalidDataException($"Outbox message {messageId} has no values to show.");
        }

        return json.ValueKind == JsonValueKind.Object
            ? json.Deserialize(set.Model, Json) ?? throw new InvalidDataException($"Outbox message {messageId} has no values to show.")
            : throw new InvalidDataException($"Outbox message {messageId} has no values to show.");
    }

    private MimeMessage Message(string messageId, string recipient, string recipientName, string subject, string text, string html, Instant created, out MultipartAlternative alternative)
    {
        var mail = mailOptions.Value;
        var message = new MimeMessage { Subject = subject, MessageId = messageId, Date = created.ToDateTimeOffset() };
        message.From.Add(mail.Sender);
        message.To.Add(new MailboxAddress(recipientName, recipient));
        // RFC 3834: machine-sent; Exchange: no out-of-office answers to the support mailbox.
        message.Headers.Add("Auto-Submitted", "auto-generated");
        message.Headers.Add("X-Auto-Response-Suppress", "OOF, AutoReply");
        alternative =
        [
            new TextPart(TextFormat.Plain) { Text = text, ContentTransferEncoding = ContentEncoding.QuotedPrintable },
            new TextPart(TextFormat.Html) { Text = html, ContentTransferEncoding = ContentEncoding.QuotedPrintable },
        ];
        message.Body = alternative;
        return message;
    }

    private static void AddCalendar(MimeMessage message, MultipartAlternative alternative, CalendarMethod method, string calendar)
    {
        var calendarPart = new TextPart("calendar") { Text = calendar, ContentTransferEncoding = ContentEncoding.Base64 };
        calendarPart.ContentType.Charset = "utf-8";
        // RFC 6047 §2.4: the MIME method must equal the body's METHOD, or Outlook refuses the invitation.
        calendarPart.ContentType.Parameters.Add("method", method.Name());
        alternative.Add(calendarPart);
        var attachment = new MimePart("application", "ics")
        {
            Content = new MimeContent(new MemoryStream(Encoding.UTF8.GetBytes(calendar))),
            ContentDisposition = new ContentDisposition(ContentDisposition.Attachment),
            ContentTransferEncoding = ContentEncoding.Base64,
            FileName = method == CalendarMethod.Cancel ? "cancel.ics" : "invite.ics",
        };
        message.Body = new Multipart("mixed") { alternative, attachment };
    }

    private static FormatOptions CreateWireFormat()
    {
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        format.EnsureNewLine = true;
        return format;
    }
}
