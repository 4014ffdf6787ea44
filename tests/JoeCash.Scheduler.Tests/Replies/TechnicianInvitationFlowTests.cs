using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Tests.Infrastructure;
using MimeKit;

namespace JoeCash.Scheduler.Tests.Replies;

/// <summary>
/// The technician's own invitation end to end: booked, sent by a real <c>serve</c> through Postfix into the
/// technician's Dovecot mailbox beside the shop's; the technician's calendar accepting it sends a REPLY to
/// the support mailbox, which is recorded as not the shop's answer (never applied, never kept for review).
/// </summary>
public sealed class TechnicianInvitationFlowTests(ReplyEnvironment stack) : IClassFixture<ReplyEnvironment>
{
    private static string CalendarText(MimeMessage message) =>
        message.BodyParts.OfType<TextPart>().First(p => p.ContentType.IsMimeType("text", "calendar")).Text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n ", "", StringComparison.Ordinal);

    private static string Line(string calendar, string name) =>
        calendar.Split('\n').First(l => l.StartsWith(name + ":", StringComparison.Ordinal) || l.StartsWith(name + ";", StringComparison.Ordinal));

    [Fact]
    public async Task Booking_TheShopAndTheTechnicianEachReceiveAnInvitation_WithDifferentUids()
    {
        var booked = await stack.BookAsync(language: "en");

        var received = await MailStack.WaitForMessagesAsync(booked.TechnicianEmail, 1);

        var invitation = Assert.Single(received);
        Assert.Equal(booked.TechnicianEmail, invitation.To.Mailboxes.Single().Address);
        Assert.Equal(stack.Support, invitation.From.Mailboxes.Single().Address);
        Assert.StartsWith("Fernwartung ", invitation.Subject, StringComparison.Ordinal); // staff language, though the shop reads English
        Assert.StartsWith("JoeCash remote maintenance", booked.Invitation.Subject, StringComparison.Ordinal);
        var calendar = CalendarText(invitation);
        var uid = Line(calendar, "UID")["UID:".Length..];
        Assert.Equal("tech-" + booked.Uid, uid);
        Assert.NotEqual(booked.Uid, uid);
        Assert.Equal("METHOD:REQUEST", Line(calendar, "METHOD"));
        Assert.EndsWith(":mailto:" + booked.TechnicianEmail, Line(calendar, "ATTENDEE"), StringComparison.Ordinal);
        Assert.EndsWith(":mailto:" + stack.Support, Line(calendar, "ORGANIZER"), StringComparison.Ordinal);
        Assert.Contains(booked.Customer, invitation.Subject, StringComparison.Ordinal);
        Assert.Contains("RustDesk:   732 901 938", invitation.TextBody, StringComparison.Ordinal);
        Assert.NotEqual(booked.Invitation.MessageId, invitation.MessageId);
    }

    [Fact]
    public async Task TheTechniciansAcceptOfTheirCopy_IsRecordedAsNotTheShopsAnswer_NotAppliedNotReview()
    {
        var booked = await stack.BookAsync();
        var invitation = Assert.Single(await MailStack.WaitForMessagesAsync(booked.TechnicianEmail, 1));
        var techUid = Line(CalendarText(invitation), "UID")["UID:".Length..];
        var before = await stack.FoldersAsync();

        var spec = new ReplySpec(techUid, 0, booked.TechnicianEmail, "Tech", stack.Support, PartStat: "ACCEPTED");
        var reply = ReplyShapes.Build(ReplyClient.Thunderbird, spec, booked.TechnicianEmail, stack.Support);
        await ReplyEnvironment.SendAsync(reply);
        var inbound = await stack.WaitForInboundAsync(reply.MessageId);

        Assert.Equal("recorded", inbound.Outcome);
        Assert.Equal(booked.Appointment.Id, inbound.AppointmentId);
        Assert.Contains("not the shop's answer", inbound.Reason, StringComparison.Ordinal);
        Assert.Contains("technician's own copy", inbound.Reason, StringComparison.Ordinal);
        var appointment = await stack.ReadAsync(booked.Appointment.Id);
        Assert.Equal(ResponseStatus.NeedsAction, appointment.Response);
        Assert.Null(appointment.RespondedBy);
        Assert.DoesNotContain("answered", await stack.AuditActionsAsync(booked.Appointment.Id));

        // Filed with the processed answers, not left for a person.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        var after = await stack.FoldersAsync();
        while (after.Processed == before.Processed && waited.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(100);
            after = await stack.FoldersAsync();
        }

        Assert.Equal(before.Processed + 1, after.Processed);
        Assert.Equal(before.Review, after.Review);
    }
}
