using Ical.Net;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Invitations;
using MimeKit;
using NodaTime;
using static JoeCash.Scheduler.Tests.Invitations.Invitations;

namespace JoeCash.Scheduler.Tests.Invitations;

public sealed class InvitationComposerTests
{
    private static readonly Instant Start = Local(2026, 12, 1, 10);

    [Fact]
    public void Compose_Request_IsAMeetingRequestCalendarsShowWithAcceptDecline()
    {
        var message = Parse(Assert.Single(Composer().Compose(InvitationKind.Request, new AppointmentContext(Appointment(Start), Customer(), Anna, Type()), Now)));

        var mixed = Assert.IsType<Multipart>(message.Body);
        Assert.Equal("multipart/mixed", mixed.ContentType.MimeType);
        var alternative = Assert.IsType<MultipartAlternative>(mixed[0]);
        Assert.Equal(["text/plain", "text/html", "text/calendar"], alternative.Select(p => p.ContentType.MimeType));
        var calendarPart = CalendarPart(message);
        Assert.True(calendarPart.ContentType.Parameters.TryGetValue("method", out string? method));
        Assert.Equal("REQUEST", method);
        Assert.Equal("utf-8", calendarPart.ContentType.Charset);
        Assert.Equal("invite.ics", Assert.IsType<MimePart>(mixed[1]).FileName);
        Assert.Equal("auto-generated", message.Headers["Auto-Submitted"]);
        Assert.Equal("support@joecash.test", message.From.Mailboxes.Single().Address);
        Assert.Equal("joerg.mueller@shop.test", message.To.Mailboxes.Single().Address);
        Assert.Equal("JoeCash Fernwartung am Dienstag, 1. Dezember 2026, 10:00 Uhr – Kasse bitte nicht benutzen", message.Subject);

        var calendar = Calendar.Load(calendarPart.Text)!;
        var evt = Assert.Single(calendar.Events);
        Assert.Equal("REQUEST", calendar.Method);
        Assert.Equal("0123456789abcdef0123456789abcdef@scheduler.joecash.test", evt.Uid);
        Assert.Equal(0, evt.Sequence);
        Assert.Equal("mailto:support@joecash.test", evt.Organizer!.Value!.ToString());
        var attendee = Assert.Single(evt.Attendees);
        Assert.Equal("mailto:joerg.mueller@shop.test", attendee.Value!.ToString());
        Assert.True(attendee.Rsvp);
        Assert.Equal("NEEDS-ACTION", attendee.ParticipationStatus);
        Assert.Equal("OPAQUE", evt.Transparency);
        Assert.Equal("CONFIRMED", evt.Status);
        Assert.Equal("JoeCash Fernwartung – Kasse bitte nicht benutzen", evt.Summary);
        Assert.Equal(-15, (int)evt.Alarms.Single().Trigger!.Duration!.Value.ToTimeSpanUnspecified().TotalMinutes);
        // The VTIMEZONE is complete: both rules, not an empty shell.
        var timeZone = Assert.Single(calendar.TimeZones);
        Assert.Equal("Europe/Berlin", timeZone.TzId);
        Assert.Equal(2, timeZone.TimeZoneInfos.Count);
    }

    [Fact]
    public void Compose_Request_TextSaysWhatTheShopMustDo()
    {
        var context = new AppointmentContext(Appointment(Start), Customer(), Anna, Type(billable: true));

        var message = Parse(Assert.Single(Composer().Compose(InvitationKind.Request, context, Now)));
        var description = Assert.Single(Calendar.Load(CalendarPart(message).Text)!.Events).Description!;

        foreach (var text in new[] { message.TextBody, message.HtmlBody, description })
        {
            Assert.Contains("732 901 938", text, StringComparison.Ordinal);
            Assert.Contains("TeamViewer", text, StringComparison.Ordinal);
            Assert.Contains("nicht von den Filialmitarbeitern benutzt", text, StringComparison.Ordinal);
            Assert.Contains("unten links", text, StringComparison.Ordinal);
            Assert.Contains("gesondert berechnet", text, StringComparison.Ordinal);
            Assert.Contains("https://joecash.test/hilfe/fernwartung-rustdesk", text, StringComparison.Ordinal);
        }

        Assert.Contains("Dienstag, 1. Dezember 2026, 10:00–11:00 Uhr (MEZ)", message.TextBody, StringComparison.Ordinal);
        Assert.Contains("Anna Berger", message.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public void Compose_EnglishCustomerWithoutRustDeskId_EnglishTextThatAsksForTheId()
    {
        var context = new AppointmentContext(Appointment(Start) with { RustDeskId = null }, Customer(Language.En, rustDesk: null), Anna, Type());

        var message = Parse(Assert.Single(Composer().Compose(InvitationKind.Request, context, Now)));

        Assert.Equal("JoeCash remote maintenance on Tuesday, 1 December 2026, 10:00 – please do not use the till", message.Subject);
        Assert.Contains("We have no RustDesk ID on file", message.TextBody, StringComparison.Ordinal);
        Assert.Contains("must not use the till", message.TextBody, StringComparison.Ordinal);
        Assert.Equal("JoeCash remote maintenance – please do not use the till", Calendar.Load(CalendarPart(message).Text)!.Events.Single().Summary);
    }

    [Fact]
    public void Compose_UpdateAndCancel_SameUidHigherSequenceAndMatchingMethods()
    {
        var composer = Composer();
        var moved = Appointment(Start + Duration.FromHours(2), sequence: 1);
        var cancelled = Appointment(Start + Duration.FromHours(2), sequence: 2, status: AppointmentStatus.Cancelled);

        var update = Parse(Assert.Single(composer.Compose(InvitationKind.Update, new AppointmentContext(moved, Customer(), Anna, Type(), Appointment(Start)), Now)));
        var cancel = Parse(Assert.Single(composer.Compose(InvitationKind.Cancel, new AppointmentContext(cancelled, Customer(), Anna, Type()), Now)));

        var updateCalendar = Calendar.Load(CalendarPart(update).Text)!;
        var cancelCalendar = Calendar.Load(CalendarPart(cancel).Text)!;
        Assert.Equal(("REQUEST", 1), (updateCalendar.Method, updateCalendar.Events.Single().Sequence));
        Assert.Equal(("CANCEL", 2, "CANCELLED"), (cancelCalendar.Method, cancelCalendar.Events.Single().Sequence, cancelCalendar.Events.Single().Status));
        Assert.Equal(updateCalendar.Events.Single().Uid, cancelCalendar.Events.Single().Uid);
        Assert.True(CalendarPart(cancel).ContentType.Parameters.TryGetValue("method", out string? method));
        Assert.Equal("CANCEL", method);
        Assert.Equal("mailto:joerg.mueller@shop.test", cancelCalendar.Events.Single().Attendees.Single().Value!.ToString());
        Assert.Empty(cancelCalendar.Events.Single().Alarms);
        Assert.StartsWith("Geänderter Termin:", update.Subject, StringComparison.Ordinal);
        Assert.Contains("bisher Dienstag, 1. Dezember 2026, 10:00 Uhr", Flat(update.TextBody), StringComparison.Ordinal);
        Assert.StartsWith("Abgesagt:", cancel.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public void Compose_TwoContactAddresses_OneInvitationEachListingOnlyItsRecipient()
    {
        var composer = Composer();
        var context = new AppointmentContext(Appointment(Start), Customer(emails: ["a@shop.test", "b@shop.test"]), Anna, Type());

        var first = composer.Compose(InvitationKind.Request, context, Now);
        var again = composer.Compose(InvitationKind.Request, context, Now);

        Assert.Equal(2, first.Count);
        Assert.Equal(first.Select(m => m.MessageId), again.Select(m => m.MessageId)); // deterministic
        Assert.Equal(2, first.Select(m => m.MessageId).Distinct().Count());
        foreach (var message in first)
        {
            var attendee = Calendar.Load(CalendarPart(Parse(message)).Text)!.Events.Single().Attendees.Single();
            Assert.Equal("mailto:" + message.Recipient, attendee.Value!.ToString());
            Assert.Equal("<" + message.MessageId + ">", Parse(message).Headers[HeaderId.MessageId]);
        }
    }

    [Fact]
    public void Compose_HostileNamesAndNotes_CannotAddAHeaderOrACalendarLine()
    {
        // The booking path refuses control characters; this proves the writer is safe even if some got through.
        var customer = Customer(contact: "Eve\r\nBcc: evil@example.test", company: "Evil\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:forged");
        var appointment = Appointment(Start, notes: "Hallo\r\nATTENDEE:mailto:evil@example.test\r\nBEGIN:VALARM\nX-INJECT:1");

        var outbox = Assert.Single(Composer().Compose(InvitationKind.Request, new AppointmentContext(appointment, customer, Anna, Type()), Now));
        var message = Parse(outbox);
        var raw = System.Text.Encoding.UTF8.GetString(Render(outbox));

        Assert.DoesNotContain(message.Headers, h => h.Field.Equals("Bcc", StringComparison.OrdinalIgnoreCase));
        Assert.Equal("joerg.mueller@shop.test", message.To.Mailboxes.Single().Address);
        Assert.DoesNotContain("\nBcc:", raw, StringComparison.OrdinalIgnoreCase);
        var ics = CalendarPart(message).Text;
        Assert.DoesNotContain("\nATTENDEE:mailto:evil", ics, StringComparison.Ordinal);
        Assert.DoesNotContain("\nX-INJECT", ics, StringComparison.Ordinal);
        Assert.DoesNotContain("\nUID:forged", ics, StringComparison.Ordinal);
        var calendar = Calendar.Load(ics)!;
        var evt = Assert.Single(calendar.Events);
        Assert.Single(evt.Attendees);
        Assert.Single(evt.Alarms);
        Assert.Contains("ATTENDEE:mailto:evil@example.test", evt.Description, StringComparison.Ordinal); // kept as text, harmless
    }
}
