using System.Text;
using JoeCash.Scheduler.Calendars;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Mail;
using MimeKit;
using MimeKit.Tnef;
using NodaTime;

namespace JoeCash.Scheduler.Tests.Replies;

/// <summary>
/// Every client's answer, written to bytes and read back as the service receives it, yields one calendar that
/// <see cref="ItipReader"/> understands; broken and hostile answers fail with a sentence that names the problem.
/// </summary>
public sealed class ReplyParsingTests
{
    private const string Uid = "a1b2c3d4e5f60718293a4b5c6d7e8f90@joecash.test";
    private const string Shop = "joerg.mueller@shop.test";
    private const string Support = "support@joecash.test";

    private static readonly DateTimeZone Berlin = DateTimeZoneProviders.Tzdb["Europe/Berlin"];

    public static TheoryData<string, string> ClientsAndAnswers()
    {
        var data = new TheoryData<string, string>();
        foreach (var client in ReplyShapes.AllClients)
        {
            foreach (var partStat in new[] { "ACCEPTED", "TENTATIVE", "DECLINED" })
            {
                data.Add(client.ToString(), partStat);
            }
        }

        return data;
    }

    public static TheoryData<string> Clients() => [.. ReplyShapes.AllClients.Select(c => c.ToString())];

    [Theory]
    [MemberData(nameof(ClientsAndAnswers))]
    public void Reply_EveryClientAndAnswer_OneCalendarReadBack(string clientName, string partStat)
    {
        var client = Enum.Parse<ReplyClient>(clientName);
        var spec = Spec(partStat: partStat, sequence: 3);

        var message = RoundTrip(ReplyShapes.Build(client, spec, Shop, Support));

        var calendar = Assert.Single(CalendarParts.Find(message));
        var result = ItipReader.Read(calendar);
        Assert.True(result.IsSuccess, result.Error);
        var answer = result.Value;
        Assert.Equal(CalendarMethod.Reply, answer.Method);
        Assert.Equal(Uid, answer.Uid);
        Assert.Equal(3, answer.Sequence);
        Assert.Equal(Shop, answer.Attendee);
        Assert.Equal(Expected(partStat), answer.Answer);
        Assert.Null(answer.Comment);
        Assert.Null(answer.Proposed);
    }

    [Theory]
    [MemberData(nameof(Clients))]
    public void Reply_MixedCaseAttendeeAddress_ReadLowerCase(string clientName)
    {
        var client = Enum.Parse<ReplyClient>(clientName);
        var spec = Spec() with { Attendee = "Joerg.Mueller@Shop.TEST" };

        var result = ItipReader.Read(Assert.Single(CalendarParts.Find(RoundTrip(ReplyShapes.Build(client, spec, Shop, Support)))));

        Assert.True(result.IsSuccess, result.Error);
        Assert.Equal(Shop, result.Value.Attendee);
    }

    [Theory]
    [MemberData(nameof(Clients))]
    public void Reply_WithComment_CommentRead(string clientName)
    {
        var client = Enum.Parse<ReplyClient>(clientName);
        const string Comment = "Passt, aber bitte erst ab 10:15; vorher läuft die Inventur, danke!";
        var spec = Spec(partStat: "TENTATIVE", comment: Comment);

        var result = ItipReader.Read(Assert.Single(CalendarParts.Find(RoundTrip(ReplyShapes.Build(client, spec, Shop, Support)))));

        Assert.True(result.IsSuccess, result.Error);
        Assert.Equal(ResponseStatus.Tentative, result.Value.Answer);
        Assert.Equal(Comment, result.Value.Comment);
    }

    [Fact]
    public void Shapes_WhereEachClientPutsTheCalendar()
    {
        var spec = Spec();

        var outlook = RoundTrip(ReplyShapes.Build(ReplyClient.OutlookDe, spec, Shop, Support));
        var alternative = Assert.IsType<MultipartAlternative>(outlook.Body);
        Assert.Equal(["text/plain", "text/html", "text/calendar"], alternative.Select(p => p.ContentType.MimeType));
        Assert.Equal(ContentEncoding.Base64, Assert.IsType<TextPart>(alternative[2]).ContentTransferEncoding);
        Assert.Equal("REPLY", alternative[2].ContentType.Parameters["method"]);
        Assert.StartsWith("Angenommen: ", outlook.Subject, StringComparison.Ordinal);
        Assert.Contains("TZID:W. Europe Standard Time", ReplyShapes.Calendar(ReplyClient.OutlookDe, spec), StringComparison.Ordinal);
        Assert.Contains(":MAILTO:", Unfold(ReplyShapes.Calendar(ReplyClient.OutlookDe, spec)), StringComparison.Ordinal);
        Assert.DoesNotContain("ORGANIZER", ReplyShapes.Calendar(ReplyClient.OutlookEn, spec), StringComparison.Ordinal);

        var gmail = RoundTrip(ReplyShapes.Build(ReplyClient.Gmail, spec, Shop, Support));
        var mixed = Assert.IsType<Multipart>(gmail.Body);
        Assert.Equal("multipart/mixed", mixed.ContentType.MimeType);
        Assert.Equal(["text/plain", "text/html", "text/calendar"], Assert.IsType<MultipartAlternative>(mixed[0]).Select(p => p.ContentType.MimeType));
        Assert.Equal("application/ics", mixed[1].ContentType.MimeType);
        Assert.Equal("invite.ics", Assert.IsType<MimePart>(mixed[1]).FileName);
        Assert.Contains("PRODID:-//Google Inc//Google Calendar 70.9054//EN", ReplyShapes.Calendar(ReplyClient.Gmail, spec), StringComparison.Ordinal);

        var apple = RoundTrip(ReplyShapes.Build(ReplyClient.Apple, spec, Shop, Support));
        var appleCalendar = Assert.IsType<TextPart>(Assert.IsType<Multipart>(apple.Body)[1]);
        Assert.Equal(ContentEncoding.QuotedPrintable, appleCalendar.ContentTransferEncoding);
        Assert.True(appleCalendar.IsAttachment);
        Assert.StartsWith("iCal-", appleCalendar.FileName, StringComparison.Ordinal);

        var thunderbird = RoundTrip(ReplyShapes.Build(ReplyClient.Thunderbird, spec, Shop, Support));
        Assert.Equal(["text/plain", "text/calendar"], Assert.IsType<MultipartAlternative>(Assert.IsType<Multipart>(thunderbird.Body)[0]).Select(p => p.ContentType.MimeType));

        var tnef = RoundTrip(ReplyShapes.Build(ReplyClient.OutlookTnef, spec, Shop, Support));
        var winmail = Assert.IsType<TnefPart>(Assert.IsType<Multipart>(tnef.Body)[1]);
        Assert.Equal("winmail.dat", winmail.FileName);
        var converted = winmail.ConvertToMessage();
        var ics = Assert.Single(converted.Attachments.OfType<MimePart>());
        Assert.Equal("invite.ics", ics.FileName);
        Assert.Equal(ReplyShapes.Calendar(ReplyClient.OutlookTnef, spec)[..60], Assert.Single(CalendarParts.Find(tnef))[..60]);

        // Subjects differ per client and language; the service must not read them.
        var subjects = ReplyShapes.AllClients.Select(c => ReplyShapes.Build(c, spec, Shop, Support).Subject).ToList();
        Assert.Equal(subjects.Count - 1, subjects.Distinct(StringComparer.Ordinal).Count()); // OutlookDe and its TNEF twin share theirs
        Assert.All(ReplyShapes.AllClients, c => Assert.False(string.IsNullOrEmpty(ReplyShapes.Build(c, spec, Shop, Support).MessageId)));
    }

    [Fact]
    public void Shapes_GermanSubjectsPerAnswer()
    {
        Assert.StartsWith("Abgelehnt: ", ReplyShapes.Build(ReplyClient.OutlookDe, Spec(partStat: "DECLINED"), Shop, Support).Subject, StringComparison.Ordinal);
        Assert.StartsWith("Mit Vorbehalt angenommen: ", ReplyShapes.Build(ReplyClient.OutlookDe, Spec(partStat: "TENTATIVE"), Shop, Support).Subject, StringComparison.Ordinal);
        Assert.StartsWith("Neuer Zeitvorschlag: ", ReplyShapes.Build(ReplyClient.OutlookDe, Counter(Instant.FromUtc(2026, 12, 2, 9, 0)), Shop, Support).Subject, StringComparison.Ordinal);
        Assert.StartsWith("Accepted: ", ReplyShapes.Build(ReplyClient.OutlookEn, Spec(), Shop, Support).Subject, StringComparison.Ordinal);
        Assert.StartsWith("Einladung angenommen: ", ReplyShapes.Build(ReplyClient.Gmail, Spec(), Shop, Support).Subject, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Clients))]
    public void Counter_EveryClient_ProposedInstantsRead(string clientName)
    {
        var client = Enum.Parse<ReplyClient>(clientName);
        var start = Local(2026, 12, 2, 14, 30);
        var spec = Counter(start, start + Duration.FromHours(1));

        var result = ItipReader.Read(Assert.Single(CalendarParts.Find(RoundTrip(ReplyShapes.Build(client, spec, Shop, Support)))));

        Assert.True(result.IsSuccess, result.Error);
        Assert.Equal(CalendarMethod.Counter, result.Value.Method);
        Assert.Equal(new Interval(start, start + Duration.FromHours(1)), result.Value.Proposed);
    }

    [Theory]
    [InlineData(2027, 3, 28, 10, 0, 60)] // spring forward: CEST from 03:00, so 10:00 is 08:00 UTC
    [InlineData(2027, 3, 28, 1, 30, 60)] // across the gap: 01:30 CET to 03:30 CEST is one hour
    [InlineData(2027, 10, 31, 10, 0, 90)] // fall back: CET again from 03:00, so 10:00 is 09:00 UTC
    [InlineData(2027, 10, 31, 1, 30, 180)] // across the repeated hour: 01:30 CEST to 03:30 CET is three hours
    [InlineData(2027, 7, 15, 9, 0, 60)] // summer
    [InlineData(2027, 1, 15, 9, 0, 60)] // winter
    public void Counter_OutlookWindowsZone_ProposedInstantsOnClockChangeDays(int year, int month, int day, int hour, int minute, int minutes)
    {
        var start = Local(year, month, day, hour, minute);
        var end = start + Duration.FromMinutes(minutes);
        Assert.Equal(1, Berlin.MapLocal(end.InZone(Berlin).LocalDateTime).Count); // a wall time written with a TZID names one instant
        var spec = Counter(start, end);

        var calendar = Assert.Single(CalendarParts.Find(RoundTrip(ReplyShapes.Build(ReplyClient.OutlookDe, spec, Shop, Support))));
        Assert.Contains("DTSTART;TZID=W. Europe Standard Time:", calendar, StringComparison.Ordinal);
        var result = ItipReader.Read(calendar);

        Assert.True(result.IsSuccess, result.Error);
        Assert.Equal(new Interval(start, end), result.Value.Proposed);
    }

    [Fact]
    public void Counter_SpringForwardDay_TenOClockIsEightUtc()
    {
        var spec = Counter(Instant.FromUtc(2027, 3, 28, 8, 0), Instant.FromUtc(2027, 3, 28, 9, 0));

        var calendar = Unfold(Assert.Single(CalendarParts.Find(RoundTrip(ReplyShapes.Build(ReplyClient.OutlookDe, spec, Shop, Support)))));
        Assert.Contains("DTSTART;TZID=W. Europe Standard Time:20270328T100000", calendar, StringComparison.Ordinal);
        var result = ItipReader.Read(calendar);

        Assert.True(result.IsSuccess, result.Error);
        Assert.Equal(Instant.FromUtc(2027, 3, 28, 8, 0), result.Value.Proposed!.Value.Start);
        Assert.Equal(Instant.FromUtc(2027, 3, 28, 9, 0), result.Value.Proposed!.Value.End);
    }

    [Fact]
    public void Counter_RepeatedHourInUtc_SecondHalfThirtyIsOneThirtyUtc()
    {
        // 02:30 on 2027-10-31 happens twice in Berlin; in UTC (Gmail) the second one is 01:30Z, unambiguous.
        var start = Instant.FromUtc(2027, 10, 31, 1, 30);
        var spec = Counter(start, start + Duration.FromHours(1));

        var calendar = Assert.Single(CalendarParts.Find(RoundTrip(ReplyShapes.Build(ReplyClient.Gmail, spec, Shop, Support))));
        Assert.Contains("DTSTART:20271031T013000Z", calendar, StringComparison.Ordinal);
        var result = ItipReader.Read(calendar);

        Assert.True(result.IsSuccess, result.Error);
        Assert.Equal(new Interval(start, start + Duration.FromHours(1)), result.Value.Proposed);
    }

    [Theory]
    [MemberData(nameof(Clients))]
    public void Refresh_EveryClient_Read(string clientName)
    {
        var client = Enum.Parse<ReplyClient>(clientName);
        var spec = Spec(sequence: 2) with { Method = "REFRESH" };

        var calendar = Assert.Single(CalendarParts.Find(RoundTrip(ReplyShapes.Build(client, spec, Shop, Support))));
        Assert.DoesNotContain("PARTSTAT", calendar, StringComparison.Ordinal);
        var result = ItipReader.Read(calendar);

        Assert.True(result.IsSuccess, result.Error);
        Assert.Equal(CalendarMethod.Refresh, result.Value.Method);
        Assert.Equal(Uid, result.Value.Uid);
        Assert.Equal(2, result.Value.Sequence);
        Assert.Equal(Shop, result.Value.Attendee);
        Assert.Null(result.Value.Answer);
        Assert.Null(result.Value.Proposed);
    }

    [Fact]
    public void BrokenCalendar_FoundButReadFailsWithAMessage()
    {
        var message = RoundTrip(ReplyShapes.BrokenCalendar(Shop, Support));

        var result = ItipReader.Read(Assert.Single(CalendarParts.Find(message)));

        Assert.False(result.IsSuccess);
        Assert.False(string.IsNullOrWhiteSpace(result.Error));
    }

    [Theory]
    [InlineData("BEGIN:VCALENDAR\r\nMETHOD:REPLY\r\nBEGIN:VEVENT\r\nUID:x@joecash.test\r\n")]
    [InlineData("this is not a calendar at all")]
    [InlineData("")]
    [InlineData("BEGIN:VCALENDAR\r\nMETHOD:REPLY\r\nEND:VCALENDAR\r\n")]
    public void Read_NotACalendar_Fails(string text)
    {
        var result = ItipReader.Read(text);

        Assert.False(result.IsSuccess);
        Assert.False(string.IsNullOrWhiteSpace(result.Error));
    }

    [Fact]
    public void Plain_NoCalendarFound()
    {
        var message = RoundTrip(ReplyShapes.Plain(Shop, Support, "Angenommen: Fernwartung", "Hallo, der Termin passt uns. BEGIN:VCALENDAR steht hier nur als Text."));

        Assert.Empty(CalendarParts.Find(message));
    }

    [Theory]
    [InlineData("application/ms-tnef")]
    [InlineData("application/octet-stream")]
    public void Find_GarbageWinmailDat_NoCalendarAndNoException(string mimeType)
    {
        var message = ReplyShapes.Plain(Shop, Support, "AW: Termin", "Siehe Anhang.");
        message = ReplyShapes.WithAttachment(message, 4096, "winmail.dat");
        var winmail = message.Attachments.OfType<MimePart>().Single(p => p.FileName == "winmail.dat");
        winmail.ContentType.MediaType = mimeType.Split('/')[0];
        winmail.ContentType.MediaSubtype = mimeType.Split('/')[1];

        var parsed = RoundTrip(message);

        Assert.Empty(CalendarParts.Find(parsed));
    }

    [Fact]
    public void Gmail_WithFiveMegabyteAttachment_CalendarStillFound()
    {
        var message = ReplyShapes.WithAttachment(ReplyShapes.Build(ReplyClient.Gmail, Spec(partStat: "DECLINED"), Shop, Support), 5 * 1024 * 1024);

        var bytes = ReplyShapes.ToBytes(message);
        Assert.True(bytes.Length > 5 * 1024 * 1024);
        var parsed = MimeMessage.Load(new MemoryStream(bytes));
        Assert.Equal(3, Assert.IsType<Multipart>(parsed.Body).Count);
        Assert.Equal("scan.pdf", parsed.Attachments.OfType<MimePart>().Last().FileName);
        var result = ItipReader.Read(Assert.Single(CalendarParts.Find(parsed)));

        Assert.True(result.IsSuccess, result.Error);
        Assert.Equal(ResponseStatus.Declined, result.Value.Answer);
    }

    [Theory]
    [MemberData(nameof(Clients))]
    public void WithAttachment_EveryClient_CalendarStillFound(string clientName)
    {
        var client = Enum.Parse<ReplyClient>(clientName);
        var message = RoundTrip(ReplyShapes.WithAttachment(ReplyShapes.Build(client, Spec(), Shop, Support), 64 * 1024, "kasse.jpg"));

        Assert.Contains(message.Attachments, a => a is MimePart { FileName: "kasse.jpg" });
        Assert.True(ItipReader.Read(Assert.Single(CalendarParts.Find(message))).IsSuccess);
    }

    [Theory]
    [InlineData("Gmail")]
    [InlineData("Thunderbird")]
    public void InlineAndAttachedCopy_WrittenWithUnixLineEnds_StillOneDistinctText(string clientName)
    {
        // MimeMessage.WriteTo with the default options writes LF on Linux: the inline (7bit/8bit/QP) copy then reads
        // back with LF, the base64 invite.ics keeps its CRLF. A mailbox stored with LF line ends does the same.
        var client = Enum.Parse<ReplyClient>(clientName);
        using var stream = new MemoryStream();
        ReplyShapes.Build(client, Spec(), Shop, Support).WriteTo(stream);
        stream.Position = 0;

        var texts = CalendarParts.Find(MimeMessage.Load(stream));

        Assert.Single(texts);
    }

    [Fact]
    public void Read_NoAttendee_Fails()
    {
        var calendar = Lines(ReplyShapes.Calendar(ReplyClient.Thunderbird, Spec()), drop: "ATTENDEE");

        var result = ItipReader.Read(calendar);

        Assert.False(result.IsSuccess);
        Assert.Contains("ATTENDEE", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TwoAttendeesBothAnswering_Fails()
    {
        var calendar = Unfold(ReplyShapes.Calendar(ReplyClient.Apple, Spec()));
        var attendee = calendar.Split("\r\n").Single(l => l.StartsWith("ATTENDEE", StringComparison.Ordinal));
        calendar = calendar.Replace(attendee, attendee + "\r\n" + attendee.Replace(Shop, "filialleitung@shop.test", StringComparison.Ordinal).Replace("ACCEPTED", "DECLINED", StringComparison.Ordinal), StringComparison.Ordinal);

        var result = ItipReader.Read(calendar);

        Assert.False(result.IsSuccess);
        Assert.Contains("ATTENDEE", result.Error, StringComparison.Ordinal);
        Assert.Contains("2", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TwoAttendeesOneUnanswered_TheAnsweringOneIsTaken()
    {
        var calendar = Unfold(ReplyShapes.Calendar(ReplyClient.OutlookEn, Spec(partStat: "DECLINED")));
        var attendee = calendar.Split("\r\n").Single(l => l.StartsWith("ATTENDEE", StringComparison.Ordinal));
        calendar = calendar.Replace(attendee, "ATTENDEE;PARTSTAT=NEEDS-ACTION;CN=Other:mailto:other@shop.test\r\n" + attendee, StringComparison.Ordinal);

        var result = ItipReader.Read(calendar);

        Assert.True(result.IsSuccess, result.Error);
        Assert.Equal(Shop, result.Value.Attendee);
        Assert.Equal(ResponseStatus.Declined, result.Value.Answer);
    }

    [Theory]
    [MemberData(nameof(Clients))]
    public void Read_Delegated_Fails(string clientName)
    {
        var client = Enum.Parse<ReplyClient>(clientName);
        var calendar = Assert.Single(CalendarParts.Find(RoundTrip(ReplyShapes.Build(client, Spec(partStat: "DELEGATED"), Shop, Support))));

        var result = ItipReader.Read(calendar);

        Assert.False(result.IsSuccess);
        Assert.Contains("DELEGATED", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NoPartStat_Fails()
    {
        var calendar = Unfold(ReplyShapes.Calendar(ReplyClient.Thunderbird, Spec())).Replace(";PARTSTAT=ACCEPTED", "", StringComparison.Ordinal);

        var result = ItipReader.Read(calendar);

        Assert.False(result.IsSuccess);
        Assert.Contains("PARTSTAT", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("REQUEST")]
    [InlineData("CANCEL")]
    [InlineData("DECLINECOUNTER")]
    public void Read_OrganizerMethod_Fails(string method)
    {
        var calendar = ReplyShapes.Calendar(ReplyClient.OutlookDe, Spec() with { Method = method });

        var result = ItipReader.Read(calendar);

        Assert.False(result.IsSuccess);
        Assert.Contains(method, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NoMethod_Fails()
    {
        var result = ItipReader.Read(Lines(ReplyShapes.Calendar(ReplyClient.Gmail, Spec()), drop: "METHOD:"));

        Assert.False(result.IsSuccess);
        Assert.Contains("METHOD", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NoUid_Fails()
    {
        var calendar = Lines(ReplyShapes.Calendar(ReplyClient.Gmail, Spec()), drop: "UID:");
        Assert.DoesNotContain("UID", calendar, StringComparison.Ordinal);

        var result = ItipReader.Read(calendar);

        Assert.False(result.IsSuccess, $"an answer without UID was read with UID {(result.IsSuccess ? result.Value.Uid : null)}");
        Assert.Contains("UID", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_AttendeeNotMailto_Fails()
    {
        var calendar = Unfold(ReplyShapes.Calendar(ReplyClient.Thunderbird, Spec())).Replace($"mailto:{Shop}", "urn:uuid:5f0c1b8e-0000-4000-8000-000000000001", StringComparison.Ordinal);

        var result = ItipReader.Read(calendar);

        Assert.False(result.IsSuccess);
        Assert.Contains("mailto", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Counter_FloatingStart_Fails()
    {
        var calendar = Unfold(ReplyShapes.Calendar(ReplyClient.OutlookDe, Counter(Local(2026, 12, 2, 14, 0))))
            .Replace("DTSTART;TZID=W. Europe Standard Time:", "DTSTART:", StringComparison.Ordinal)
            .Replace("DTEND;TZID=W. Europe Standard Time:", "DTEND:", StringComparison.Ordinal);
        Assert.Contains("DTSTART:20261202T140000\r\n", calendar, StringComparison.Ordinal);

        var result = ItipReader.Read(calendar);

        Assert.False(result.IsSuccess);
        Assert.Contains("floating", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Counter_NoStart_Fails()
    {
        var result = ItipReader.Read(ReplyShapes.Calendar(ReplyClient.Gmail, Spec() with { Method = "COUNTER" }));

        Assert.False(result.IsSuccess);
        Assert.Contains("DTSTART", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Counter_EndBeforeStart_Fails()
    {
        var start = Local(2026, 12, 2, 14, 0);
        var result = ItipReader.Read(ReplyShapes.Calendar(ReplyClient.Thunderbird, Counter(start, start - Duration.FromHours(1))));

        Assert.False(result.IsSuccess);
        Assert.Contains("ends before it starts", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Counter_UnknownZone_Fails()
    {
        var calendar = Unfold(ReplyShapes.Calendar(ReplyClient.Apple, Counter(Local(2026, 12, 2, 14, 0))))
            .Replace("TZID=Europe/Berlin", "TZID=Mars/Olympus_Mons", StringComparison.Ordinal)
            .Replace("TZID:Europe/Berlin", "TZID:Mars/Olympus_Mons", StringComparison.Ordinal);

        var result = ItipReader.Read(calendar);

        Assert.False(result.IsSuccess, $"an unknown zone was read as {(result.IsSuccess ? result.Value.Proposed : null)}");
    }

    [Fact]
    public void Build_SameMessageIdWhenGiven_RandomOtherwise()
    {
        var given = ReplyShapes.Build(ReplyClient.Apple, Spec(), Shop, Support, "fixed-1@shop.test");
        var first = ReplyShapes.Build(ReplyClient.Apple, Spec(), Shop, Support);
        var second = ReplyShapes.Build(ReplyClient.Apple, Spec(), Shop, Support);

        Assert.Equal("fixed-1@shop.test", given.MessageId);
        Assert.EndsWith("@shop.test", first.MessageId, StringComparison.Ordinal);
        Assert.NotEqual(first.MessageId, second.MessageId);
        Assert.NotEqual(DateTimeOffset.MinValue, first.Date);
    }

    [Fact]
    public void Calendar_LinesFoldedAtSeventyFiveOctets()
    {
        var spec = Spec(comment: string.Concat(Enumerable.Repeat("Müller prüft die Kassenschublade. ", 8))) with { AttendeeName = "Jörg Müller-Lüdenscheidt, Filialleitung Süd" };

        foreach (var client in ReplyShapes.AllClients)
        {
            var calendar = ReplyShapes.Calendar(client, spec);
            Assert.All(calendar.Split("\r\n"), line => Assert.True(Encoding.UTF8.GetByteCount(line) <= 75, $"{client}: {line}"));
            Assert.EndsWith("END:VCALENDAR\r\n", calendar, StringComparison.Ordinal);
        }
    }

    private static ReplySpec Spec(string partStat = "ACCEPTED", int sequence = 0, string? comment = null) =>
        new(Uid, sequence, Shop, "Jörg Müller", Support, PartStat: partStat, Comment: comment);

    private static ReplySpec Counter(Instant start, Instant? end = null) =>
        Spec(sequence: 1) with { Method = "COUNTER", PartStat = "TENTATIVE", ProposedStart = start, ProposedEnd = end ?? start + Duration.FromHours(1) };

    private static ResponseStatus Expected(string partStat) => partStat switch
    {
        "ACCEPTED" => ResponseStatus.Accepted,
        "TENTATIVE" => ResponseStatus.Tentative,
        "DECLINED" => ResponseStatus.Declined,
        _ => throw new ArgumentOutOfRangeException(nameof(partStat), partStat, null),
    };

    private static Instant Local(int year, int month, int day, int hour, int minute) =>
        new LocalDateTime(year, month, day, hour, minute).InZoneLeniently(Berlin).ToInstant();

    /// <summary>Written to bytes as SMTP carries it and parsed back, as the service receives it.</summary>
    private static MimeMessage RoundTrip(MimeMessage message) => MimeMessage.Load(new MemoryStream(ReplyShapes.ToBytes(message)));

    private static string Unfold(string calendar) => calendar.Replace("\r\n ", "", StringComparison.Ordinal);

    private static string Lines(string calendar, string drop) =>
        string.Join("\r\n", Unfold(calendar).Split("\r\n").Where(l => !l.StartsWith(drop, StringComparison.Ordinal)));
}
