using Dapper;
using JoeCash.Scheduler.Booking;
using JoeCash.Scheduler.Storage;
using JoeCash.Scheduler.Mail;
using JoeCash.Scheduler.Tests.Infrastructure;
using MimeKit;
using NodaTime;

namespace JoeCash.Scheduler.Tests.Mail;

/// <summary>
/// Booking, rescheduling and cancelling through the service, delivered by a real Postfix into a real
/// Dovecot mailbox, read back over IMAP.
/// </summary>
public abstract class MailStackTests(StorageProvider provider) : ProviderSuite(provider)
{
    public sealed class OnSqlite() : MailStackTests(StorageProvider.Sqlite);

    public sealed class OnPostgres() : MailStackTests(StorageProvider.PostgreSQL);

    private static string Method(MimeMessage message)
    {
        var part = message.BodyParts.OfType<TextPart>().Single(p => p.ContentType.IsMimeType("text", "calendar"));
        Assert.True(part.ContentType.Parameters.TryGetValue("method", out string? method));
        return method!;
    }

    private static string Calendar(MimeMessage message) =>
        message.BodyParts.OfType<TextPart>().Single(p => p.ContentType.IsMimeType("text", "calendar")).Text;

    private static async Task<string> StatusAsync(SchedulerHost host, long id)
    {
        await using var connection = await host.Database.OpenAsync();
        return await connection.ExecuteScalarAsync<string>("SELECT status FROM outbox WHERE id = @id", new { id }) ?? "";
    }

    [Fact]
    public async Task BookRescheduleCancel_DeliveredThroughPostfix_MailboxHoldsRequestUpdateAndCancel()
    {
        await using var host = await StartHostAsync(MailStack.SmtpSettings());
        var address = MailStack.NewAddress();
        await host.AddTechnicianAsync("Anna Berger");
        await host.AddCustomerAsync("K1", email: address);
        var start = host.NextWorkingDayAt(10);

        var booked = (await host.Booking.BookAsync(new BookingRequest("K1", "fault", "1", start, "Bondrucker", false, "test"))).Appointment!;
        var moved = (await host.Booking.RescheduleAsync(booked.Id, 1, start + Duration.FromHours(2), null, "test")).Appointment!;
        await host.Booking.CancelAsync(moved.Id, moved.Version, "Problem gelöst", "test");
        var dispatched = await host.Get<OutboxDispatcher>().DispatchDueAsync();

        Assert.Equal(6, dispatched.Sent); // to the shop and to the technician: invitation, update, cancellation
        var messages = await MailStack.WaitForMessagesAsync(address, 3);
        Assert.Equal(3, messages.Count);
        var byMethodAndSequence = messages
            .Select(m => (Method(m), Calendar(m)))
            .Select(x => (x.Item1, Sequence: x.Item2.Split('\n').Single(l => l.StartsWith("SEQUENCE:", StringComparison.Ordinal)).Trim()))
            .OrderBy(x => x.Sequence, StringComparer.Ordinal)
            .ToArray();
        Assert.Equal([("REQUEST", "SEQUENCE:0"), ("REQUEST", "SEQUENCE:1"), ("CANCEL", "SEQUENCE:2")], byMethodAndSequence);
        Assert.All(messages, m => Assert.Contains("UID:" + booked.Uid, Calendar(m).Replace("\r\n ", "", StringComparison.Ordinal).Replace("\n ", "", StringComparison.Ordinal), StringComparison.Ordinal));
        Assert.All(messages, m => Assert.Equal("support@joecash.test", m.From.Mailboxes.Single().Address));
        Assert.Contains(messages, m => m.Subject?.StartsWith("Abgesagt:", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task Dispatch_ServerDownThenBack_RetriedFromTheOutboxAndDeliveredOnce()
    {
        // A port where nothing listens: the "mail server is down".
        // About the shop's one message: the technician's own invitation is switched off here.
        await using var down = await StartHostAsync(new Dictionary<string, string?>(MailStack.SmtpSettings(port: FreePorts.Next())) { ["Scheduler:TechnicianInvitations"] = "false" });
        var address = MailStack.NewAddress();
        await down.AddTechnicianAsync("Anna Berger");
        await down.AddCustomerAsync("K1", email: address);
        await down.Booking.BookAsync(new BookingRequest("K1", "fault", "1", down.NextWorkingDayAt(10), null, false, "test"));

        var failedPass = await down.Get<OutboxDispatcher>().DispatchDueAsync();

        Assert.Equal((1, 0, 1, 0), (failedPass.Claimed, failedPass.Sent, failedPass.Retrying, failedPass.Failed));
        await using (var connection = await down.Database.OpenAsync())
        {
            var row = await connection.QuerySingleAsync<(string Status, int Attempts, string LastError)>("SELECT status, attempts, last_error FROM outbox");
            Assert.Equal(("pending", 1), (row.Status, row.Attempts));
            Assert.Contains("refused", row.LastError, StringComparison.OrdinalIgnoreCase);
        }

        // The server is back: the same database, now configured with the real Postfix, after the backoff.
        await using var up = await SchedulerHost.StartAsync(new Dictionary<string, string?>(MailStack.SmtpSettings()).Concat(down.StorageSettings).ToDictionary());
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        var retried = await up.Get<OutboxDispatcher>().DispatchDueAsync();
        var again = await up.Get<OutboxDispatcher>().DispatchDueAsync();

        Assert.Equal(1, retried.Sent);
        Assert.Equal(0, again.Claimed);
        Assert.Single(await MailStack.WaitForMessagesAsync(address, 1));
        Assert.Equal("sent", await StatusAsync(up, 1));
    }

    [Fact]
    public async Task Dispatch_RecipientRefusedWith5xx_MarkedFailedWithTheServersReplyAndRetryable()
    {
        await using var host = await StartHostAsync(new Dictionary<string, string?>(MailStack.SmtpSettings()) { ["Scheduler:TechnicianInvitations"] = "false" });
        await host.AddTechnicianAsync("Anna Berger");
        await host.AddCustomerAsync("K1", email: "kasse@elsewhere.invalid");
        await host.Booking.BookAsync(new BookingRequest("K1", "fault", "1", host.NextWorkingDayAt(10), null, false, "test"));

        var pass = await host.Get<OutboxDispatcher>().DispatchDueAsync();

        Assert.Equal(1, pass.Failed);
        await using var connection = await host.Database.OpenAsync();
        var row = await connection.QuerySingleAsync<(string Status, string LastError)>("SELECT status, last_error FROM outbox");
        Assert.Equal("failed", row.Status);
        Assert.StartsWith("5", row.LastError, StringComparison.Ordinal);
        Assert.True(await connection.RetryFailedAsync(1, host.Clock.GetCurrentInstant()));
        Assert.Equal("pending", await StatusAsync(host, 1));
    }

    [Fact]
    public async Task Dispatch_OverFourConnectionsInBatchesOfThree_EveryMessageDeliveredOnceAndMarkedSent()
    {
        await using var host = await StartHostAsync(new Dictionary<string, string?>(MailStack.SmtpSettings())
        {
            ["Scheduler:TechnicianInvitations"] = "false",
            ["Mail:Connections"] = "4",
            ["Mail:BatchSize"] = "3",
        });
        await host.AddTechnicianAsync("Anna Berger");
        await host.AddTechnicianAsync("Jonas Keller");
        var addresses = Enumerable.Range(0, 10).Select(_ => MailStack.NewAddress()).ToArray();
        for (var i = 0; i < addresses.Length; i++)
        {
            await host.AddCustomerAsync($"K{i + 1}", email: addresses[i]);
            var start = host.NextWorkingDayAt(8) + Duration.FromMinutes(75 * (i / 2));
            Assert.True((await host.Booking.BookAsync(new BookingRequest($"K{i + 1}", "fault", "any", start, null, false, "test"))).Succeeded);
        }

        var pass = await host.Get<OutboxDispatcher>().DispatchDueAsync();

        Assert.Equal((10, 10, 0, 0), (pass.Claimed, pass.Sent, pass.Retrying, pass.Failed));
        foreach (var address in addresses)
        {
            Assert.Single(await MailStack.WaitForMessagesAsync(address, 1));
        }

        await Task.Delay(TimeSpan.FromSeconds(1));
        foreach (var address in addresses)
        {
            Assert.Single(await MailStack.WaitForMessagesAsync(address, 1));
        }

        await using var connection = await host.Database.OpenAsync();
        var rows = (await connection.QueryAsync<(string Status, long? SentAt)>("SELECT status, sent_at FROM outbox")).ToList();
        Assert.Equal(10, rows.Count);
        Assert.All(rows, r => Assert.Equal("sent", r.Status));
        Assert.All(rows, r => Assert.NotNull(r.SentAt));
    }
}
