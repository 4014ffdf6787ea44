using System.Text;
using MimeKit;
using MimeKit.Tnef;

namespace JoeCash.Scheduler.Mail;

/// <summary>
/// Finds the iCalendar texts in an incoming email wherever calendar clients put them: an inline
/// <c>text/calendar</c> part (any transfer encoding, any depth of multipart), an <c>application/ics</c>
/// or <c>*.ics</c> attachment, an attached message, or inside Outlook's TNEF (<c>winmail.dat</c>).
/// Never the subject. Other attachments are not decoded, however big.
/// </summary>
public static class CalendarParts
{
    /// <summary>How deep attached messages and TNEF wrappers are followed; a real reply nests two or three.</summary>
    private const int MaxDepth = 8;

    // MimeKit's TNEF reader needs Windows code pages (1252), which .NET leaves out unless registered; without
    // them every Outlook TNEF answer throws, and the failed type initializer stays failed until a restart.
    static CalendarParts() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>The distinct calendar texts, in the order they appear (an inline part and its .ics copy count once).</summary>
    public static IReadOnlyList<string> Find(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var found = new List<string>();
        Collect(message, found, 0);
        return [.. found.Distinct(StringComparer.Ordinal)];
    }

    /// <summary>True if the structure promises a calendar (checked from headers only, without decoding anything).</summary>
    public static bool IsCalendar(ContentType type, string? fileName) =>
        type.IsMimeType("text", "calendar")
        || type.IsMimeType("text", "x-vcalendar")
        || type.IsMimeType("application", "ics")
        || (fileName ?? type.Name) is { } name && name.EndsWith(".ics", StringComparison.OrdinalIgnoreCase);

    /// <summary>True for Outlook's TNEF wrapper, which may hold a calendar.</summary>
    public static bool IsTnef(ContentType type, string? fileName) =>
        type.IsMimeType("application", "ms-tnef")
        || type.IsMimeType("application", "vnd.ms-tnef")
        || string.Equals(fileName ?? type.Name, "winmail.dat", StringComparison.OrdinalIgnoreCase);

    private static bool IsTnef(MimePart part) => IsTnef(part.ContentType, part.FileName);

    private static void Collect(MimeMessage message, List<string> found, int depth)
    {
        if (depth > MaxDepth || message.Body is null)
        {
            return;
        }

        foreach (var entity in message.BodyParts)
        {
            switch (entity)
            {
                case MessagePart { Message: { } attached }:
                    Collect(attached, found, depth + 1);
                    break;
                case TnefPart tnef:
                    CollectTnef(tnef, found, depth);
                    break;
                case MimePart { Content: { } content } part when IsTnef(part):
                    // winmail.dat sent as application/octet-stream: MimeKit did not see TNEF, so wrap it by hand.
                    CollectTnef(new TnefPart { Content = content }, found, depth);
                    break;
                case MimePart part when IsCalendar(part.ContentType, part.FileName):
                    if (Text(part) is { Length: > 0 } text)
                    {
                        // iCalendar lines end in CRLF; a decoded inline copy may come with LF. One form, so copies compare equal.
                        found.Add(text.ReplaceLineEndings("\r\n"));
                    }

                    break;
            }
        }
    }

    /// <summary>A damaged winmail.dat holds no calendar; it must not stop the reading of the rest.</summary>
    private static void CollectTnef(TnefPart tnef, List<string> found, int depth)
    {
        MimeMessage inner;
        try
        {
            inner = tnef.ConvertToMessage();
        }
        catch (Exception e) when (e is TnefException or FormatException or IOException or ArgumentException)
        {
            return;
        }

        Collect(inner, found, depth + 1);
    }

    private static string? Text(MimePart part)
    {
        if (part is TextPart textPart)
        {
            return textPart.Text;
        }

        if (part.Content is null)
        {
            return null;
        }

        // An application/ics attachment: iCalendar is UTF-8 unless its Content-Type says otherwise.
        using var stream = new MemoryStream();
        part.Content.DecodeTo(stream);
        var encoding = part.ContentType.CharsetEncoding ?? Encoding.UTF8;
        return encoding.GetString(stream.GetBuffer(), 0, (int)stream.Length);
    }
}
