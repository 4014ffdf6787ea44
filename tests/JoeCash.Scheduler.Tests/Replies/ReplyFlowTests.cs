using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Tests.Infrastructure;
using MimeKit;

namespace JoeCash.Scheduler.Tests.Replies;

/// <summary>
/// The shops' answers end to end: a real invitation sent through Postfix into the shop's Dovecot mailbox,
/// the shop's client's answer sent back through Postfix to the support mailbox, a real <c>serve</c>
/// reading it over IMAP IDLE, and the appointment as <c>show</c> reads it.
/// </summary>
public sealed class ReplyFlowTests(ReplyEnvironment stack) : IClassFixture<ReplyEnvironment>
{
    public static TheoryData<ReplyClient, string, ResponseStatus> Answers => new()
    {
        { ReplyClient.OutlookDe, "ACCEPTED", ResponseStatus.Accepted },
        { ReplyClient.OutlookEn, "TENTATIVE", ResponseStatus.Tentative },
        { ReplyClient.Gmail, "ACCEPTED", ResponseStatus.Accepted },
        { ReplyClient.Apple, "TENTATIVE", ResponseStatus.Tentative },
        { ReplyClient.Thunderbird, "ACCEPTED", ResponseStatus.Accepted },
        { ReplyClient.OutlookTnef, "ACCEPTED", ResponseStatus.Accepted },
    };

    [Theory]
    [MemberData(nameof(Answers))]
    public async Task EachClientsAnswer_ChangesTheAppointment_WithWhenAndWho(ReplyClient client, string partStat, ResponseStatus expected)
    {
        var booked = await stack.BookAsync();
        var reply = ReplyShapes.Build(client, stack.Spec(booked, partStat), booked.Shop, stack.Support);
        await ReplyEnvironment.SendAsync(reply);

        var inbound = await stack.WaitForInboundAsync(reply.MessageId);

        Assert.Equal("applied", inbound.Outcome);
        var appointment = await stack.ReadAsync(booked.Appointment.Id);
        Assert.Equal(expected, appointment.Response);
        Assert.Equal(booked.Shop, appointment.RespondedBy);
        Assert.NotNull(appointment.RespondedAt);
        Assert.Equal(AppointmentStatus.Booked, appointment.Status);
        Assert.Contains("answered", await stack.AuditActionsAsync(booked.Appointment.Id));
    }

    [Fact]
    public async Task Decline_KeepsTheAppointment_AndAlertsTechnicianAndSupport_WithAlternatives()
    {
        var booked = await stack.BookAsync();
        var spec = stack.Spec(booked, "DECLINED") with { Comment = "Da ist die Filiale voll." };
        var reply = ReplyShapes.Build(ReplyClient.OutlookDe, spec, booked.Shop, stack.Support);
        await ReplyEnvironment.SendAsync(reply);

        Assert.Equal("applied", (await stack.WaitForInboundAsync(reply.MessageId)).Outcome);
        var appointment = await stack.ReadAsync(booked.Appointment.Id);
        Assert.Equal(ResponseStatus.Declined, appointment.Response);
        Assert.Equal(AppointmentStatus.Booked, appointment.Status);

        // The technician's mailbox holds their own invitation first, then the alert.
        var alert = (await MailStack.WaitForMessagesAsync(booked.TechnicianEmail, 2)).Single(m => (m.Subject ?? "").StartsWith("ABGELEHNT", StringComparison.Ordinal));
        Assert.Contains(booked.Customer, alert.Subject, StringComparison.Ordinal);
        var text = alert.TextBody ?? "";
        Assert.Contains("Da ist die Filiale voll.", text, StringComparison.Ordinal);
        var alternatives = text.Split('\n').Count(l => l.StartsWith("  - ", StringComparison.Ordinal));
        Assert.Equal(3, alternatives);
        // The support mailbox gets the same alert (the reader leaves it in the inbox: it has no calendar).
        var support = await MailStack.WaitForMessagesAsync(stack.Support, 1);
        Assert.Contains(support, m => (m.Subject ?? "").StartsWith("ABGELEHNT", StringComparison.Ordinal) && (m.Subject ?? "").Contains(booked.Customer, StringComparison.Ordinal));
    }

    [Fact]
    public async Task CounterProposal_BecomesARequest_AndAcceptingIt_MovesTheAppointmentWithAnUpdate()
    {
        var booked = await stack.BookAsync();
        var proposed = SchedulerHost.WorkingDaysAfter(booked.Appointment.Start, 1);
        var spec = stack.Spec(booked) with { Method = "COUNTER", ProposedStart = proposed, ProposedEnd = proposed + NodaTime.Duration.FromHours(1) };
        var reply = ReplyShapes.Build(ReplyClient.OutlookDe, spec, booked.Shop, stack.Support);
        await ReplyEnvironment.SendAsync(reply);
        Assert.Equal("applied", (await stack.WaitForInboundAsync(reply.MessageId)).Outcome);

        var proposals = stack.Host.Get<JoeCash.Scheduler.Replies.ProposalService>();
        var request = (await proposals.ListAsync(openOnly: true, 200)).Single(r => r.AppointmentId == booked.Appointment.Id);
        Assert.Equal(proposed, request.ProposedStart);
        Assert.True(request.FreeWhenReceived);

        var accepted = await proposals.AcceptAsync(request.Id, "dispatcher");
        Assert.True(accepted.Succeeded, accepted.Refusal?.Message);
        var moved = await stack.ReadAsync(booked.Appointment.Id);
        Assert.Equal(proposed, moved.Start);
        Assert.Equal(booked.Appointment.Sequence + 1, moved.Sequence);
        var update = (await MailStack.WaitForMessagesAsync(booked.Shop, 2))[^1];
        Assert.Contains("SEQUENCE:1", Calendar(update), StringComparison.Ordinal);
        Assert.Equal("accepted", (await proposals.ListAsync(openOnly: false, 200)).Single(r => r.Id == request.Id).Status);
    }

    [Fact]
    public async Task DecliningACounterProposal_SendsTheShopADeclineCounter_AndTheAppointmentStays()
    {
        var booked = await stack.BookAsync();
        var proposed = SchedulerHost.WorkingDaysAfter(booked.Appointment.Start, 2);
        var spec = stack.Spec(booked) with { Method = "COUNTER", ProposedStart = proposed, ProposedEnd = proposed + NodaTime.Duration.FromHours(1) };
        var reply = ReplyShapes.Build(ReplyClient.Gmail, spec, booked.Shop, stack.Support);
        await ReplyEnvironment.SendAsync(reply);
        Assert.Equal("applied", (await stack.WaitForInboundAsync(reply.MessageId)).Outcome);
        var proposals = stack.Host.Get<JoeCash.Scheduler.Replies.ProposalService>();
        var request = (await proposals.ListAsync(openOnly: true, 200)).Single(r => r.AppointmentId == booked.Appointment.Id);

        Assert.True((await proposals.DeclineAsync(request.Id, "dispatcher")).Succeeded);

        var answer = (await MailStack.WaitForMessagesAsync(booked.Shop, 2))[^1];
        Assert.Contains("METHOD:DECLINECOUNTER", Calendar(answer), StringComparison.Ordinal);
        Assert.Contains($"UID:{booked.Uid}", Calendar(answer).Replace("\r\n ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal(booked.Appointment.Start, (await stack.ReadAsync(booked.Appointment.Id)).Start);
        Assert.False((await proposals.DeclineAsync(request.Id, "dispatcher")).Succeeded);
    }

    [Fact]
    public async Task Refresh_SendsTheCurrentInvitationAgain_ToWhoAsked()
    {
        var booked = await stack.BookAsync();
        var spec = stack.Spec(booked) with { Method = "REFRESH" };
        var reply = ReplyShapes.Build(ReplyClient.Thunderbird, spec, booked.Shop, stack.Support);
        await ReplyEnvironment.SendAsync(reply);
        Assert.Equal("applied", (await stack.WaitForInboundAsync(reply.MessageId)).Outcome);

        var again = (await MailStack.WaitForMessagesAsync(booked.Shop, 2))[^1];
        Assert.Contains("METHOD:REQUEST", Calendar(again), StringComparison.Ordinal);
        Assert.Contains($"UID:{booked.Uid}", Calendar(again).Replace("\r\n ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.NotEqual(booked.Invitation.MessageId, again.MessageId);
    }

    [Fact]
    public async Task AnAnswerForAnotherShopsAddress_IsNotApplied_AndKeptForReview()
    {
        var booked = await stack.BookAsync();
        var other = await stack.BookAsync();
        // The other shop answers for this appointment's UID with its own address: never invited to it.
        var spec = stack.Spec(booked, "DECLINED") with { Attendee = other.Shop };
        var reply = ReplyShapes.Build(ReplyClient.OutlookEn, spec, other.Shop, stack.Support);
        await ReplyEnvironment.SendAsync(reply);

        var inbound = await stack.WaitForInboundAsync(reply.MessageId);
        Assert.Equal("review", inbound.Outcome);
        Assert.Contains("never invited", inbound.Reason, StringComparison.Ordinal);
        Assert.Equal(ResponseStatus.NeedsAction, (await stack.ReadAsync(booked.Appointment.Id)).Response);
    }

    [Fact]
    public async Task AForgedFrom_IsNotApplied_AndKeptForReview()
    {
        var booked = await stack.BookAsync();
        var stranger = MailStack.NewAddress("stranger").Replace("@shop.test", "@example.test", StringComparison.Ordinal);
        var reply = ReplyShapes.Build(ReplyClient.Gmail, stack.Spec(booked, "DECLINED"), stranger, stack.Support);
        await ReplyEnvironment.SendAsync(reply);

        var inbound = await stack.WaitForInboundAsync(reply.MessageId);
        Assert.Equal("review", inbound.Outcome);
        Assert.Contains(stranger, inbound.Reason, StringComparison.Ordinal);
        Assert.Equal(ResponseStatus.NeedsAction, (await stack.ReadAsync(booked.Appointment.Id)).Response);
        Assert.DoesNotContain("answered", await stack.AuditActionsAsync(booked.Appointment.Id));
    }

    [Fact]
    public async Task AnAnswerToTheOldTime_IsRecorded_ButDoesNotAcceptTheNewTime()
    {
        var booked = await stack.BookAsync();
        var moved = await stack.Host.Booking.RescheduleAsync(booked.Appointment.Id, booked.Appointment.Version, SchedulerHost.WorkingDaysAfter(booked.Appointment.Start, 1), null, "dispatcher");
        Assert.True(moved.Succeeded, moved.Refusal?.Message);
        var reply = ReplyShapes.Build(ReplyClient.Apple, stack.Spec(booked, "ACCEPTED", sequence: 0), booked.Shop, stack.Support);
        await ReplyEnvironment.SendAsync(reply);

        var inbound = await stack.WaitForInboundAsync(reply.MessageId);
        Assert.Equal("recorded", inbound.Outcome);
        Assert.Contains("older version", inbound.Reason, StringComparison.Ordinal);
        Assert.Equal(ResponseStatus.NeedsAction, (await stack.ReadAsync(booked.Appointment.Id)).Response);
        Assert.Contains("answer-outdated", await stack.AuditActionsAsync(booked.Appointment.Id));
    }

    [Fact]
    public async Task TheSameMessageDeliveredTwice_IsAppliedOnce()
    {
        var booked = await stack.BookAsync();
        var reply = ReplyShapes.Build(ReplyClient.OutlookDe, stack.Spec(booked, "DECLINED"), booked.Shop, stack.Support);
        await ReplyEnvironment.SendAsync(reply);
        await ReplyEnvironment.SendAsync(reply);
        await stack.WaitForInboundAsync(reply.MessageId);
        // Both copies are taken out of the inbox; the second changes nothing.
        await WaitUntilAsync(async () => (await stack.FoldersAsync()).Inbox == 0 || await UnansweredOnlyAsync());

        Assert.Single(await stack.AuditActionsAsync(booked.Appointment.Id), a => a == "answered");
        // Waits the whole 5 s for a third message that must not come: their own invitation and one alert.
        var received = await MailStack.WaitForMessagesAsync(booked.TechnicianEmail, 3, TimeSpan.FromSeconds(5));
        Assert.Equal(2, received.Count);
        Assert.Single(received, m => (m.Subject ?? "").StartsWith("ABGELEHNT", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ABrokenCalendar_IsKeptForReview_WithTheReason()
    {
        var booked = await stack.BookAsync();
        var reply = ReplyShapes.BrokenCalendar(booked.Shop, stack.Support);
        await ReplyEnvironment.SendAsync(reply);

        var inbound = await stack.WaitForInboundAsync(reply.MessageId);
        Assert.Equal("review", inbound.Outcome);
        Assert.Contains("calendar", inbound.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAnswerBesideAFiveMegabyteAttachment_IsApplied()
    {
        var booked = await stack.BookAsync();
        var reply = ReplyShapes.WithAttachment(ReplyShapes.Build(ReplyClient.Gmail, stack.Spec(booked), booked.Shop, stack.Support), 5 * 1024 * 1024);
        await ReplyEnvironment.SendAsync(reply);

        Assert.Equal("applied", (await stack.WaitForInboundAsync(reply.MessageId, TimeSpan.FromSeconds(60))).Outcome);
        Assert.Equal(ResponseStatus.Accepted, (await stack.ReadAsync(booked.Appointment.Id)).Response);
    }

    [Fact]
    public async Task APlainEmailToSupport_StaysInTheInbox_Unread()
    {
        var booked = await stack.BookAsync();
        var plain = ReplyShapes.Plain(booked.Shop, stack.Support, "Frage zur Rechnung", "Guten Tag, ich habe eine Frage zur Rechnung.");
        await ReplyEnvironment.SendAsync(plain);
        // Something the reader must see after it: an answer; once that is applied, the plain email has been passed over.
        var marker = ReplyShapes.Build(ReplyClient.Gmail, stack.Spec(booked), booked.Shop, stack.Support);
        await ReplyEnvironment.SendAsync(marker);
        await stack.WaitForInboundAsync(marker.MessageId);

        var folders = await stack.FoldersAsync();
        Assert.True(folders.Inbox >= 1, "the plain email left the inbox");
        Assert.Equal(folders.Inbox, folders.Unseen);
        await using var connection = await stack.Host.Database.OpenAsync();
        Assert.Equal(0L, await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, "SELECT count(*) FROM inbound_messages WHERE message_id = @id", new { id = plain.MessageId }));
    }

    private async Task<bool> UnansweredOnlyAsync()
    {
        var folders = await stack.FoldersAsync();
        return folders.Inbox == folders.Unseen;
    }

    private static string Calendar(MimeMessage message) =>
        message.BodyParts.OfType<TextPart>().First(p => p.ContentType.IsMimeType("text", "calendar")).Text;

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(20), "condition not met within 20 s");
            await Task.Delay(100);
        }
    }
}
