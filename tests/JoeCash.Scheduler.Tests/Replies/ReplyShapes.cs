using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MimeKit;
using MimeKit.Tnef;
using NodaTime;
using NodaTime.Text;

namespace JoeCash.Scheduler.Tests.Replies;

/// <summary>The calendar clients whose answers the service must read, each with its own MIME and iCalendar habits.</summary>
public enum ReplyClient
{
    OutlookDe,
    OutlookEn,
    Gmail,
    Apple,
    Thunderbird,
    OutlookTnef,
}

/// <summary>
/// What an answer says: the invitation's UID and SEQUENCE, who answers, and how. <c>Method</c> is REPLY, COUNTER or
/// REFRESH (or anything else, to build hostile answers); <c>PartStat</c> is left out for REFRESH; <c>ProposedStart</c>
/// and <c>ProposedEnd</c> become DTSTART/DTEND in the client's style (COUNTER: the proposal).
/// </summary>
public sealed record ReplySpec(
    string Uid,
    int Sequence,
    string Attendee,
    string AttendeeName,
    string Organizer,
    string Method = "REPLY",
    string PartStat = "ACCEPTED",
    string? Comment = null,
    Instant? ProposedStart = null,
    Instant? ProposedEnd = null);

/// <summary>
/// Reply emails in the shapes real calendar clients send them (RFC 5546 iTIP over RFC 6047 iMIP): where the
/// calendar sits, how it is encoded, which time zone names and which subjects. Well-formed emails, so they can
/// be delivered through a real mail server.
/// </summary>
internal static class ReplyShapes
{
    private const string Crlf = "\r\n";

    private static readonly DateTimeZone Berlin = DateTimeZoneProviders.Tzdb["Europe/Berlin"];

    private static readonly InstantPattern UtcPattern = InstantPattern.CreateWithInvariantCulture("uuuuMMdd'T'HHmmss'Z'");

    private static readonly LocalDateTimePattern LocalPattern = LocalDateTimePattern.CreateWithInvariantCulture("uuuuMMdd'T'HHmmss");

    private static readonly LocalDateTimePattern GermanPattern = LocalDateTimePattern.CreateWithInvariantCulture("dd.MM.uuuu HH:mm");

    public static IReadOnlyList<ReplyClient> AllClients { get; } = Enum.GetValues<ReplyClient>();

    /// <summary>The iCalendar text as that client writes it, CRLF line ends, folded at 75 octets.</summary>
    public static string Calendar(ReplyClient client, ReplySpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var lines = client switch
        {
            ReplyClient.OutlookDe or ReplyClient.OutlookTnef => Outlook(spec, upperMailto: true, organizer: true, language: "de-DE"),
            ReplyClient.OutlookEn => Outlook(spec, upperMailto: false, organizer: false, language: "en-US"),
            ReplyClient.Gmail => Gmail(spec),
            ReplyClient.Apple => Apple(spec),
            ReplyClient.Thunderbird => Thunderbird(spec),
            _ => throw new ArgumentOutOfRangeException(nameof(client), client, null),
        };
        var builder = new StringBuilder();
        foreach (var line in lines)
        {
            builder.Append(Fold(line)).Append(Crlf);
        }

        return builder.ToString();
    }

    /// <summary>The reply email with the client's own calendar.</summary>
    public static MimeMessage Build(ReplyClient client, ReplySpec spec, string from, string to, string? messageId = null) =>
        Wrap(client, spec, Calendar(client, spec), from, to, messageId);

    /// <summary>The reply email in the client's MIME shape around any calendar text (for hostile or broken calendars).</summary>
    public static MimeMessage Wrap(ReplyClient client, ReplySpec spec, string calendar, string from, string to, string? messageId = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(calendar);
        var message = Envelope(from, to, Subject(client, spec), messageId);
        var text = BodyText(client, spec);
        message.Body = client switch
        {
            ReplyClient.OutlookDe or ReplyClient.OutlookEn => new MultipartAlternative
            {
                Plain(text),
                Html(text),
                CalendarText(calendar, spec.Method, ContentEncoding.Base64, charset: "utf-8"),
            },
            ReplyClient.Gmail => new Multipart("mixed")
            {
                new MultipartAlternative
                {
                    Plain(text),
                    Html(text),
                    // Gmail writes the inline copy 7bit; with non-ASCII text (a name with umlauts) it cannot, and quotes it.
                    CalendarText(calendar, spec.Method, IsAscii(calendar) ? ContentEncoding.SevenBit : ContentEncoding.QuotedPrintable, charset: "UTF-8"),
                },
                IcsAttachment(calendar),
            },
            ReplyClient.Apple => new Multipart("mixed")
            {
                Plain(text),
                AppleCalendar(calendar, spec.Method),
            },
            ReplyClient.Thunderbird => new Multipart("mixed")
            {
                new MultipartAlternative
                {
                    Plain(text),
                    CalendarText(calendar, spec.Method, ContentEncoding.EightBit, charset: "UTF-8"),
                },
                IcsAttachment(calendar),
            },
            ReplyClient.OutlookTnef => new Multipart("mixed")
            {
                Plain(text),
                Tnef(MessageClass(spec), Subject(client, spec), text, calendar),
            },
            _ => throw new ArgumentOutOfRangeException(nameof(client), client, null),
        };
        return message;
    }

    /// <summary>A shop writing to support in its own words: no calendar anywhere.</summary>
    public static MimeMessage Plain(string from, string to, string subject, string text)
    {
        var message = Envelope(from, to, subject, null);
        message.Body = Plain(text);
        return message;
    }

    /// <summary>A <c>text/calendar; method=REPLY</c> part that is no iCalendar: a cut-off VCALENDAR with garbage in it.</summary>
    public static MimeMessage BrokenCalendar(string from, string to)
    {
        var message = Envelope(from, to, "Angenommen: JoeCash Fernwartung", null);
        var calendar = string.Join(Crlf,
            "BEGIN:VCALENDAR",
            "METHOD:REPLY",
            "PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN",
            "VERSION:2.0",
            "BEGIN:VEVENT",
            "ATTENDEE;PARTSTAT=ACCEPTED;CN=\"unterbrochen:mailto:",
            "\u0001\u0002 ÿþ garbage without a colon",
            "DTSTART;TZID=W. Europe Standard Time:2026120",
            "UID:");
        message.Body = new MultipartAlternative
        {
            Plain("Angenommen."),
            CalendarText(calendar, "REPLY", ContentEncoding.Base64, charset: "utf-8"),
        };
        return message;
    }

    /// <summary>Adds a big attachment of random bytes beside the existing body (a scan, a photo of the till).</summary>
    public static MimeMessage WithAttachment(MimeMessage message, int bytes, string fileName = "scan.pdf")
    {
        ArgumentNullException.ThrowIfNull(message);
        var data = new byte[bytes];
        RandomNumberGenerator.Fill(data);
        var attachment = new MimePart(fileName.EndsWith(".pdf", StringComparison.OrdinalIgnoreCase) ? "application/pdf" : "application/octet-stream")
        {
            Content = new MimeContent(new MemoryStream(data)),
            ContentDisposition = new ContentDisposition(ContentDisposition.Attachment),
            ContentTransferEncoding = ContentEncoding.Base64,
            FileName = fileName,
        };
        var mixed = new Multipart("mixed");
        if (message.Body is Multipart { ContentType.MediaSubtype: var subtype } existing && string.Equals(subtype, "mixed", StringComparison.OrdinalIgnoreCase))
        {
            foreach (var part in existing.ToList())
            {
                existing.Remove(part);
                mixed.Add(part);
            }
        }
        else if (message.Body is { } body)
        {
            mixed.Add(body);
        }

        mixed.Add(attachment);
        message.Body = mixed;
        return message;
    }

    /// <summary>The whole message as bytes, CRLF line ends as SMTP and IMAP carry it.</summary>
    public static byte[] ToBytes(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var stream = new MemoryStream();
        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Dos;
        message.WriteTo(options, stream);
        return stream.ToArray();
    }

    // ---- envelopes and texts ----

    private static MimeMessage Envelope(string from, string to, string subject, string? messageId)
    {
        var message = new MimeMessage
        {
            Subject = subject,
            Date = TimeProvider.System.GetUtcNow(),
            MessageId = messageId ?? $"{Guid.NewGuid():N}@shop.test",
        };
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse(to));
        return message;
    }

    private static string Subject(ReplyClient client, ReplySpec spec)
    {
        const string Title = "JoeCash Fernwartung – Kasse bitte nicht benutzen";
        var method = spec.Method.ToUpperInvariant();
        var partStat = spec.PartStat.ToUpperInvariant();
        return client switch
        {
            ReplyClient.OutlookDe or ReplyClient.OutlookTnef => method switch
            {
                "COUNTER" => $"Neuer Zeitvorschlag: {Title}",
                "REFRESH" => $"Aktualisieren: {Title}",
                _ => partStat switch
                {
                    "DECLINED" => $"Abgelehnt: {Title}",
                    "TENTATIVE" => $"Mit Vorbehalt angenommen: {Title}",
                    _ => $"Angenommen: {Title}",
                },
            },
            ReplyClient.OutlookEn => method switch
            {
                "COUNTER" => $"New Time Proposed: {Title}",
                "REFRESH" => $"Refresh: {Title}",
                _ => partStat switch
                {
                    "DECLINED" => $"Declined: {Title}",
                    "TENTATIVE" => $"Tentative: {Title}",
                    _ => $"Accepted: {Title}",
                },
            },
            ReplyClient.Gmail => partStat switch
            {
                "DECLINED" => $"Einladung abgelehnt: {Title} @ Di. 1. Dez. 2026 10:00 - 11:00 (MEZ) ({spec.Attendee})",
                "TENTATIVE" => $"Einladung vorläufig angenommen: {Title} @ Di. 1. Dez. 2026 10:00 - 11:00 (MEZ) ({spec.Attendee})",
                _ => $"Einladung angenommen: {Title} @ Di. 1. Dez. 2026 10:00 - 11:00 (MEZ) ({spec.Attendee})",
            },
            ReplyClient.Apple => partStat switch
            {
                "DECLINED" => $"Einladung: {Title} (abgelehnt)",
                "TENTATIVE" => $"Einladung: {Title} (vielleicht)",
                _ => $"Einladung: {Title} (zugesagt)",
            },
            ReplyClient.Thunderbird => partStat switch
            {
                "DECLINED" => $"Zugesagt? Nein – abgelehnt: {Title}",
                "TENTATIVE" => $"Vorläufig zugesagt: {Title}",
                _ => $"Zugesagt: {Title}",
            },
            _ => Title,
        };
    }

    private static string BodyText(ReplyClient client, ReplySpec spec)
    {
        var who = $"{spec.AttendeeName} <{spec.Attendee}>";
        var text = spec.Method.ToUpperInvariant() switch
        {
            "COUNTER" when spec.ProposedStart is { } start =>
                $"{who} hat eine neue Zeit vorgeschlagen: {GermanPattern.Format(start.InZone(Berlin).LocalDateTime)} Uhr.",
            "REFRESH" => $"{who} bittet um die aktuelle Einladung.",
            _ => client is ReplyClient.OutlookEn
                ? $"{who} has {spec.PartStat.ToLowerInvariant()} this invitation."
                : $"{who} hat diese Einladung beantwortet: {spec.PartStat}.",
        };
        return spec.Comment is { } comment ? text + "\n\n" + comment + "\n" : text + "\n";
    }

    private static TextPart Plain(string text) => new("plain")
    {
        Text = text,
        ContentTransferEncoding = ContentEncoding.QuotedPrintable,
    };

    private static TextPart Html(string text) => new("html")
    {
        Text = "<html><head><meta charset=\"utf-8\"></head><body><p>"
            + System.Net.WebUtility.HtmlEncode(text).Replace("\n", "<br>", StringComparison.Ordinal)
            + "</p></body></html>",
        ContentTransferEncoding = ContentEncoding.QuotedPrintable,
    };

    private static TextPart CalendarText(string calendar, string method, ContentEncoding encoding, string charset)
    {
        var part = new TextPart("calendar")
        {
            ContentTransferEncoding = encoding,
        };
        part.SetText(Encoding.UTF8, calendar);
        part.ContentType.Charset = charset;
        part.ContentType.Parameters.Add("method", method);
        return part;
    }

    private static MimePart IcsAttachment(string calendar) => new("application", "ics")
    {
        Content = new MimeContent(new MemoryStream(Encoding.UTF8.GetBytes(calendar))),
        ContentDisposition = new ContentDisposition(ContentDisposition.Attachment) { FileName = "invite.ics" },
        ContentTransferEncoding = ContentEncoding.Base64,
        ContentType = { Name = "invite.ics" },
    };

    private static TextPart AppleCalendar(string calendar, string method)
    {
        var part = CalendarText(calendar, method, ContentEncoding.QuotedPrintable, charset: "utf-8");
        var name = $"iCal-{Guid.NewGuid().ToString("N")[..16]}.ics";
        part.ContentType.Name = name;
        part.ContentDisposition = new ContentDisposition(ContentDisposition.Attachment) { FileName = name };
        return part;
    }

    private static bool IsAscii(string text) => text.All(char.IsAscii);

    // ---- calendars ----

    private static IEnumerable<string> Outlook(ReplySpec spec, bool upperMailto, bool organizer, string language)
    {
        const string Zone = "W. Europe Standard Time";
        var mailto = upperMailto ? "MAILTO:" : "mailto:";
        var stamp = Stamp();
        yield return "BEGIN:VCALENDAR";
        yield return $"METHOD:{spec.Method}";
        yield return "PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN";
        yield return "VERSION:2.0";
        yield return "X-MS-OLK-FORCEINSPECTOROPEN:TRUE";
        // Outlook's own VTIMEZONE: the Windows name, rules anchored in 1601.
        yield return "BEGIN:VTIMEZONE";
        yield return $"TZID:{Zone}";
        yield return "BEGIN:STANDARD";
        yield return "DTSTART:16011028T030000";
        yield return "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10";
        yield return "TZOFFSETFROM:+0200";
        yield return "TZOFFSETTO:+0100";
        yield return "END:STANDARD";
        yield return "BEGIN:DAYLIGHT";
        yield return "DTSTART:16010325T020000";
        yield return "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3";
        yield return "TZOFFSETFROM:+0100";
        yield return "TZOFFSETTO:+0200";
        yield return "END:DAYLIGHT";
        yield return "END:VTIMEZONE";
        yield return "BEGIN:VEVENT";
        yield return Attendee($"ATTENDEE{PartStat(spec)};CN={Param(spec.AttendeeName)}", mailto, spec.Attendee);
        yield return "CLASS:PUBLIC";
        if (spec.Comment is { } comment)
        {
            yield return $"COMMENT;LANGUAGE={language}:{Text(comment)}";
        }

        yield return $"CREATED:{stamp}";
        if (spec.ProposedEnd is { } end)
        {
            yield return $"DTEND;TZID={Zone}:{Local(end)}";
        }

        yield return $"DTSTAMP:{stamp}";
        if (spec.ProposedStart is { } start)
        {
            yield return $"DTSTART;TZID={Zone}:{Local(start)}";
        }

        yield return $"LAST-MODIFIED:{stamp}";
        if (organizer)
        {
            yield return $"ORGANIZER;CN=JoeCash Support:{mailto}{spec.Organizer}";
        }

        yield return "PRIORITY:5";
        yield return $"SEQUENCE:{spec.Sequence.ToString(CultureInfo.InvariantCulture)}";
        yield return $"SUMMARY;LANGUAGE={language}:JoeCash Fernwartung – Kasse bitte nicht benutzen";
        yield return "TRANSP:OPAQUE";
        yield return $"UID:{spec.Uid}";
        yield return "X-MICROSOFT-CDO-BUSYSTATUS:BUSY";
        yield return "X-MICROSOFT-CDO-IMPORTANCE:1";
        yield return "X-MICROSOFT-DISALLOW-COUNTER:FALSE";
        yield return "X-MS-OLK-AUTOFILLLOCATION:FALSE";
        yield return "X-MS-OLK-CONFTYPE:0";
        yield return "END:VEVENT";
        yield return "END:VCALENDAR";
    }

    private static IEnumerable<string> Gmail(ReplySpec spec)
    {
        var stamp = Stamp();
        yield return "BEGIN:VCALENDAR";
        yield return "PRODID:-//Google Inc//Google Calendar 70.9054//EN";
        yield return "VERSION:2.0";
        yield return "CALSCALE:GREGORIAN";
        yield return $"METHOD:{spec.Method}";
        yield return "BEGIN:VEVENT";
        if (spec.ProposedStart is { } start)
        {
            yield return $"DTSTART:{UtcPattern.Format(start)}";
        }

        if (spec.ProposedEnd is { } end)
        {
            yield return $"DTEND:{UtcPattern.Format(end)}";
        }

        yield return $"DTSTAMP:{stamp}";
        yield return $"ORGANIZER;CN={Param(spec.Organizer)}:mailto:{spec.Organizer}";
        yield return $"UID:{spec.Uid}";
        // Google puts the attendee's note into the ATTENDEE line (X-RESPONSE-COMMENT), not into a COMMENT property.
        var comment = spec.Comment is { } note ? $";X-RESPONSE-COMMENT={Quoted(note)}" : "";
        yield return Attendee(
            $"ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT{PartStat(spec)};CN={Param(spec.AttendeeName)}{comment};X-NUM-GUESTS=0",
            "mailto:",
            spec.Attendee);
        yield return $"CREATED:{stamp}";
        yield return $"LAST-MODIFIED:{stamp}";
        yield return $"SEQUENCE:{spec.Sequence.ToString(CultureInfo.InvariantCulture)}";
        yield return "STATUS:CONFIRMED";
        yield return "SUMMARY:JoeCash Fernwartung – Kasse bitte nicht benutzen";
        yield return "TRANSP:OPAQUE";
        yield return "END:VEVENT";
        yield return "END:VCALENDAR";
    }

    private static IEnumerable<string> Apple(ReplySpec spec)
    {
        var stamp = Stamp();
        yield return "BEGIN:VCALENDAR";
        yield return $"METHOD:{spec.Method}";
        yield return "VERSION:2.0";
        yield return "PRODID:-//Apple Inc.//macOS 15.0//EN";
        if (spec.ProposedStart is not null || spec.ProposedEnd is not null)
        {
            foreach (var line in BerlinTimeZone(thunderbird: false))
            {
                yield return line;
            }
        }

        yield return "BEGIN:VEVENT";
        yield return Attendee(
            $"ATTENDEE;CN={Quoted(spec.AttendeeName)};CUTYPE=INDIVIDUAL;EMAIL={Quoted(spec.Attendee)}{PartStat(spec)}",
            "mailto:",
            spec.Attendee);
        if (spec.Comment is { } comment)
        {
            yield return $"COMMENT:{Text(comment)}";
        }

        if (spec.ProposedEnd is { } end)
        {
            yield return $"DTEND;TZID=Europe/Berlin:{Local(end)}";
        }

        yield return $"DTSTAMP:{stamp}";
        if (spec.ProposedStart is { } start)
        {
            yield return $"DTSTART;TZID=Europe/Berlin:{Local(start)}";
        }

        yield return $"ORGANIZER;CN=JoeCash Support:mailto:{spec.Organizer}";
        yield return "REQUEST-STATUS:2.0;Success";
        yield return $"SEQUENCE:{spec.Sequence.ToString(CultureInfo.InvariantCulture)}";
        yield return "SUMMARY:JoeCash Fernwartung – Kasse bitte nicht benutzen";
        yield return $"UID:{spec.Uid}";
        yield return "END:VEVENT";
        yield return "END:VCALENDAR";
    }

    private static IEnumerable<string> Thunderbird(ReplySpec spec)
    {
        var stamp = Stamp();
        yield return "BEGIN:VCALENDAR";
        yield return "PRODID:-//Mozilla.org/NONSGML Mozilla Calendar V1.1//EN";
        yield return "VERSION:2.0";
        yield return $"METHOD:{spec.Method}";
        foreach (var line in BerlinTimeZone(thunderbird: true))
        {
            yield return line;
        }

        yield return "BEGIN:VEVENT";
        yield return $"CREATED:{stamp}";
        yield return $"LAST-MODIFIED:{stamp}";
        yield return $"DTSTAMP:{stamp}";
        yield return $"UID:{spec.Uid}";
        yield return "SUMMARY:JoeCash Fernwartung – Kasse bitte nicht benutzen";
        yield return $"ORGANIZER;CN=JoeCash Support:mailto:{spec.Organizer}";
        yield return Attendee($"ATTENDEE;RSVP=TRUE;CN={Param(spec.AttendeeName)}{PartStat(spec)};ROLE=REQ-PARTICIPANT", "mailto:", spec.Attendee);
        if (spec.ProposedStart is { } start)
        {
            yield return $"DTSTART;TZID=Europe/Berlin:{Local(start)}";
        }

        if (spec.ProposedEnd is { } end)
        {
            yield return $"DTEND;TZID=Europe/Berlin:{Local(end)}";
        }

        yield return $"SEQUENCE:{spec.Sequence.ToString(CultureInfo.InvariantCulture)}";
        if (spec.Comment is { } comment)
        {
            yield return $"COMMENT:{Text(comment)}";
        }

        yield return "END:VEVENT";
        yield return "END:VCALENDAR";
    }

    private static IEnumerable<string> BerlinTimeZone(bool thunderbird)
    {
        yield return "BEGIN:VTIMEZONE";
        yield return "TZID:Europe/Berlin";
        if (thunderbird)
        {
            yield return "X-LIC-LOCATION:Europe/Berlin";
        }

        yield return "BEGIN:DAYLIGHT";
        yield return "TZOFFSETFROM:+0100";
        yield return "TZOFFSETTO:+0200";
        yield return "TZNAME:CEST";
        yield return "DTSTART:19700329T020000";
        yield return "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU";
        yield return "END:DAYLIGHT";
        yield return "BEGIN:STANDARD";
        yield return "TZOFFSETFROM:+0200";
        yield return "TZOFFSETTO:+0100";
        yield return "TZNAME:CET";
        yield return "DTSTART:19701025T030000";
        yield return "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU";
        yield return "END:STANDARD";
        yield return "END:VTIMEZONE";
    }

    private static string PartStat(ReplySpec spec) =>
        string.Equals(spec.Method, "REFRESH", StringComparison.OrdinalIgnoreCase) || string.IsNullOrEmpty(spec.PartStat)
            ? ""
            : $";PARTSTAT={spec.PartStat}";

    private static string Attendee(string nameAndParameters, string mailto, string address) => $"{nameAndParameters}:{mailto}{address}";

    private static string Stamp() => UtcPattern.Format(Instant.FromDateTimeOffset(TimeProvider.System.GetUtcNow()));

    private static string Local(Instant instant) => LocalPattern.Format(instant.InZone(Berlin).LocalDateTime);

    /// <summary>A parameter value: bare when it may be, else quoted (RFC 5545 §3.2).</summary>
    private static string Param(string value) => value.IndexOfAny([',', ';', ':', '"']) >= 0 ? Quoted(value) : value;

    private static string Quoted(string value) => "\"" + value.Replace("\"", "'", StringComparison.Ordinal).Replace("\r", "", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal) + "\"";

    /// <summary>A TEXT value escaped (RFC 5545 §3.3.11).</summary>
    private static string Text(string value) => value
        .Replace("\\", "\\\\", StringComparison.Ordinal)
        .Replace(";", "\\;", StringComparison.Ordinal)
        .Replace(",", "\\,", StringComparison.Ordinal)
        .Replace("\r\n", "\\n", StringComparison.Ordinal)
        .Replace("\n", "\\n", StringComparison.Ordinal);

    /// <summary>Folds a content line at 75 octets without splitting a UTF-8 sequence (RFC 5545 §3.1).</summary>
    private static string Fold(string line)
    {
        var builder = new StringBuilder();
        var octets = 0;
        var limit = 75;
        for (var i = 0; i < line.Length; i++)
        {
            var length = char.IsHighSurrogate(line[i]) && i + 1 < line.Length ? 2 : 1;
            var size = Encoding.UTF8.GetByteCount(line.AsSpan(i, length));
            if (octets + size > limit)
            {
                builder.Append(Crlf).Append(' ');
                octets = 0;
                limit = 74;
            }

            builder.Append(line, i, length);
            octets += size;
            i += length - 1;
        }

        return builder.ToString();
    }

    // ---- TNEF ----

    private static string MessageClass(ReplySpec spec) => spec.Method.ToUpperInvariant() switch
    {
        "COUNTER" => "IPM.Schedule.Meeting.Resp.Tent",
        _ => spec.PartStat.ToUpperInvariant() switch
        {
            "DECLINED" => "IPM.Schedule.Meeting.Resp.Neg",
            "TENTATIVE" => "IPM.Schedule.Meeting.Resp.Tent",
            _ => "IPM.Schedule.Meeting.Resp.Pos",
        },
    };

    /// <summary>
    /// <c>winmail.dat</c> as Exchange writes it, holding the calendar as an attachment named invite.ics. MimeKit 4 can
    /// read TNEF but has no writer, so the stream is written here by the format ([MS-OXTNEF] 2.1.3): a signature, a key,
    /// then attributes (level, id, length, data, 16-bit sum of the data).
    /// </summary>
    private static TnefPart Tnef(string messageClass, string subject, string body, string calendar)
    {
        using var stream = new MemoryStream();
        Span<byte> header = stackalloc byte[6];
        BinaryPrimitives.WriteUInt32LittleEndian(header, 0x223E9F78);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], 0x0001);
        stream.Write(header);

        Span<byte> version = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(version, 0x00010000);
        Attribute(stream, TnefAttributeLevel.Message, TnefAttributeTag.TnefVersion, version);
        Span<byte> codepage = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(codepage, 1252);
        Attribute(stream, TnefAttributeLevel.Message, TnefAttributeTag.OemCodepage, codepage);
        Attribute(stream, TnefAttributeLevel.Message, TnefAttributeTag.MessageClass, Ansi(messageClass));
        Attribute(stream, TnefAttributeLevel.Message, TnefAttributeTag.Subject, Ansi(subject));
        Attribute(stream, TnefAttributeLevel.Message, TnefAttributeTag.Body, Ansi(body.Replace("\n", "\r\n", StringComparison.Ordinal)));

        // attAttachRendData starts an attachment: type 1 (file), position, width, height, flags.
        Span<byte> render = stackalloc byte[14];
        BinaryPrimitives.WriteUInt16LittleEndian(render, 1);
        BinaryPrimitives.WriteUInt32LittleEndian(render[2..], 0xFFFFFFFF);
        BinaryPrimitives.WriteUInt16LittleEndian(render[6..], 32);
        BinaryPrimitives.WriteUInt16LittleEndian(render[8..], 32);
        BinaryPrimitives.WriteUInt32LittleEndian(render[10..], 0);
        Attribute(stream, TnefAttributeLevel.Attachment, TnefAttributeTag.AttachRenderData, render);
        Attribute(stream, TnefAttributeLevel.Attachment, TnefAttributeTag.AttachTitle, Ansi("invite.ics"));
        Attribute(stream, TnefAttributeLevel.Attachment, TnefAttributeTag.AttachData, Encoding.UTF8.GetBytes(calendar));

        return new TnefPart
        {
            Content = new MimeContent(new MemoryStream(stream.ToArray())),
            ContentTransferEncoding = ContentEncoding.Base64,
            ContentDisposition = new ContentDisposition(ContentDisposition.Attachment) { FileName = "winmail.dat" },
            ContentType = { Name = "winmail.dat" },
        };
    }

    private static byte[] Ansi(string text)
    {
        // Windows-1252 is not available under invariant globalization; Latin-1 covers the same letters for these texts.
        var bytes = Encoding.Latin1.GetBytes(text);
        return [.. bytes, 0];
    }

    private static void Attribute(Stream stream, TnefAttributeLevel level, TnefAttributeTag tag, ReadOnlySpan<byte> data)
    {
        Span<byte> head = stackalloc byte[9];
        head[0] = (byte)level;
        BinaryPrimitives.WriteUInt32LittleEndian(head[1..], (uint)tag);
        BinaryPrimitives.WriteUInt32LittleEndian(head[5..], (uint)data.Length);
        stream.Write(head);
        stream.Write(data);
        var sum = 0;
        foreach (var b in data)
        {
            sum = (sum + b) & 0xFFFF;
        }

        Span<byte> checksum = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(checksum, (ushort)sum);
        stream.Write(checksum);
    }
}
