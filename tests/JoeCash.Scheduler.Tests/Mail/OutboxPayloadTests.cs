using Dapper;
using JoeCash.Scheduler.Booking;
using JoeCash.Scheduler.Mail;
using JoeCash.Scheduler.Storage;
using JoeCash.Scheduler.Tests.Infrastructure;
using MimeKit;

namespace JoeCash.Scheduler.Tests.Mail;

/// <summary>The outbox's payloads in their own table (migration 0016): kept through the upgrade, re-addressed by a retry.</summary>
public abstract class OutboxPayloadTests(StorageProvider provider) : ProviderSuite(provider)
{
    public sealed class OnSqlite() : OutboxPayloadTests(StorageProvider.Sqlite);

    public sealed class OnPostgres() : OutboxPayloadTests(StorageProvider.PostgreSQL);

    private async Task<SchedulerHost> StartBookedAsync()
    {
        var host = await StartHostAsync();
        await host.AddTechnicianAsync("Anna Berger");
        await host.AddCustomerAsync("K1");
        var booked = await host.Booking.BookAsync(new BookingRequest("K1", "fault", "1", host.NextWorkingDayAt(10), null, false, "test"));
        Assert.True(booked.Succeeded, booked.Refusal?.Message);
        return host;
    }

    private static IReadOnlyList<MimeMessage> Pickup(SchedulerHost host) =>
        [.. Directory.GetFiles(((PickupDirectoryTransport)host.Get<IMailTransport>()).Directory, "*.eml").Order().Select(f => MimeMessage.Load(f))];

    [Fact]
    public async Task Migrate_MessagesQueuedBeforeTheUpgrade_AreStillSentWithTheirPayloads()
    {
        await using var host = await StartBookedAsync();
        await using (var connection = await host.Database.OpenAsync())
        {
            // The outbox as it was before 0016: each payload inline in its row, no table of payloads.
            await connection.ExecuteAsync("""
                ALTER TABLE outbox ADD COLUMN payload TEXT NOT NULL DEFAULT '';
                UPDATE outbox SET payload = (SELECT p.payload FROM outbox_payloads p WHERE p.outbox_id = outbox.id);
                DROP TABLE outbox_payloads;
                DELETE FROM schema_migrations WHERE version = 16;
                """);
        }

        var queued = await CountAsync(host, "status = 'pending'");

        var applied = await host.Get<Migrator>().MigrateAsync();
        var result = await host.Get<OutboxDispatcher>().DispatchDueAsync();

        Assert.Equal([16], applied);
        Assert.True(queued >= 2, $"the booking queued {queued} message(s)");
        Assert.Equal(queued, await CountAsync(host, "status = 'sent'"));
        Assert.Equal((queued, 0), (result.Sent, result.Failed));
        var sent = Pickup(host);
        Assert.Equal(queued, sent.Count);
        Assert.Contains(sent, m => m.To.Mailboxes.Single().Address == "k1@shop.test" && !string.IsNullOrEmpty(m.Subject));
    }

    [Fact]
    public async Task RetryAsync_FailedMessageToAnotherAddress_RowAndPayloadNameTheNewRecipient()
    {
        await using var host = await StartBookedAsync();
        long id;
        await using (var connection = await host.Database.OpenAsync())
        {
            id = await connection.ExecuteScalarAsync<long>("SELECT min(id) FROM outbox WHERE recipient = 'k1@shop.test'");
            await connection.ExecuteAsync("UPDATE outbox SET status = 'failed', last_error = '550 no such user' WHERE id = @id", new { id });
            await connection.ExecuteAsync("UPDATE outbox SET status = 'sent' WHERE id <> @id", new { id });
        }

        var retried = await host.Get<Outbox>().RetryAsync(id, "k1-neu@shop.test");
        var again = await host.Get<Outbox>().RetryAsync(id, "k1-other@shop.test");
        var result = await host.Get<OutboxDispatcher>().DispatchDueAsync();

        Assert.True(retried);
        Assert.False(again); // no longer failed: neither the row nor its payload changes
        Assert.Equal((1, 0), (result.Sent, result.Failed));
        Assert.Equal("k1-neu@shop.test", Pickup(host).Single().To.Mailboxes.Single().Address);
        await using var check = await host.Database.OpenAsync();
        Assert.Equal("k1-neu@shop.test", await check.ExecuteScalarAsync<string>("SELECT recipient FROM outbox WHERE id = @id", new { id }));
    }

    private static async Task<long> CountAsync(SchedulerHost host, string where)
    {
        await using var connection = await host.Database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>($"SELECT count(*) FROM outbox WHERE {where}");
    }
}
