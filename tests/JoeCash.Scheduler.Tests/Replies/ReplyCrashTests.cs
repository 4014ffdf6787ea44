using Dapper;
using JoeCash.Scheduler.Booking;
using JoeCash.Scheduler.Tests.Infrastructure;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using MimeKit;

namespace JoeCash.Scheduler.Tests.Replies;

/// <summary>
/// Nothing accepted is lost and nothing is applied twice: 500 answers wait in the support mailbox, the
/// service is killed with SIGKILL while it works through them, and after a restart every answer is
/// applied exactly once and every message has left the inbox exactly once.
/// </summary>
public sealed class ReplyCrashTests : IAsyncLifetime
{
    private const int Appointments = 50;
    private const int AnswersEach = 10;

    private readonly TempDirectory _folder = new();
    private readonly string _support = MailStack.NewAddress("crash").Replace("@shop.test", "@joecash.test", StringComparison.Ordinal);
    private SchedulerHost _host = null!;

    public async ValueTask InitializeAsync() =>
        _host = await SchedulerHost.StartAsync(new Dictionary<string, string?> { ["Mail:From"] = _support });

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        _folder.Dispose();
    }

    [Fact]
    public async Task KilledWhileApplying500Answers_AppliesEachExactlyOnceAfterTheRestart()
    {
        var answers = new List<MimeMessage>();
        var start = _host.NextWorkingDayAt(10);
        for (var i = 0; i < Appointments; i++)
        {
            var number = $"K{70_000_000 + i}";
            var shop = $"crash{i}-{Guid.NewGuid():N}"[..20] + "@shop.test";
            await _host.AddCustomerAsync(number, email: shop);
            var technician = await _host.AddTechnicianAsync("Crash " + Guid.NewGuid().ToString("N")[..10]);
            var booked = await _host.Booking.BookAsync(new BookingRequest(number, "fault", $"{technician}", start, null, false, "test"));
            Assert.True(booked.Succeeded, booked.Refusal?.Message);
            for (var n = 0; n < AnswersEach; n++)
            {
                var spec = new ReplySpec(booked.Appointment!.Uid, 0, shop, "Erika Muster", _support, PartStat: n % 2 == 0 ? "ACCEPTED" : "TENTATIVE");
                answers.Add(ReplyShapes.Build(ReplyShapes.AllClients[n % ReplyShapes.AllClients.Count], spec, shop, _support));
            }
        }

        await AppendAsync(answers);
        var settings = new Dictionary<string, string>
        {
            ["Storage:Path"] = _host.DatabasePath,
            ["Mail:From"] = _support,
            ["Mail:PickupDirectory"] = _folder.File("pickup"),
            ["Mail:Imap:Host"] = "127.0.0.1",
            ["Mail:Imap:Port"] = $"{MailStack.ImapPort}",
            ["Mail:Imap:Security"] = "None",
            ["Mail:Imap:Username"] = _support,
            ["Mail:Imap:Password"] = "secret",
            ["Mail:Imap:BatchSize"] = "25",
        };

        await using (var first = await ServiceProcess.StartAsync(_folder.FullPath, settings))
        {
            await WaitAsync(async () => await CountAsync("SELECT count(*) FROM inbound_messages") >= 100, first.Log);
            first.KillHard();
        }

        var atKill = await CountAsync("SELECT count(*) FROM inbound_messages");
        Assert.True(atKill < answers.Count, $"all {atKill} answers were done before the kill: the test proves nothing");

        await using var second = await ServiceProcess.StartAsync(_folder.FullPath, settings);
        await WaitAsync(async () => await CountAsync("SELECT count(*) FROM inbound_messages") == answers.Count && await InboxCountAsync() == 0, second.Log);

        Assert.Equal(answers.Count, await CountAsync("SELECT count(*) FROM inbound_messages WHERE outcome = 'applied'"));
        Assert.Equal(answers.Count, await CountAsync("SELECT count(DISTINCT message_id) FROM inbound_messages"));
        Assert.Equal(answers.Count, await CountAsync("SELECT count(*) FROM appointment_audit WHERE action = 'answered'"));
        Assert.Equal(Appointments, await CountAsync("SELECT count(*) FROM appointments WHERE response = 'tentative'"));
        Assert.Equal(answers.Count, await FolderCountAsync("Processed"));
    }

    private async Task AppendAsync(IReadOnlyList<MimeMessage> messages)
    {
        using var client = await ConnectAsync();
        foreach (var message in messages)
        {
            await client.Inbox.AppendAsync(message);
        }

        await client.DisconnectAsync(true);
    }

    private async Task<int> InboxCountAsync()
    {
        using var client = await ConnectAsync();
        await client.Inbox.StatusAsync(StatusItems.Count);
        var count = client.Inbox.Count;
        await client.DisconnectAsync(true);
        return count;
    }

    private async Task<int> FolderCountAsync(string name)
    {
        using var client = await ConnectAsync();
        var folder = await client.GetFolder(client.PersonalNamespaces[0]).GetSubfolderAsync(name);
        await folder.StatusAsync(StatusItems.Count);
        var count = folder.Count;
        await client.DisconnectAsync(true);
        return count;
    }

    private async Task<ImapClient> ConnectAsync()
    {
        var client = new ImapClient();
        await client.ConnectAsync("127.0.0.1", MailStack.ImapPort, SecureSocketOptions.None);
        await client.AuthenticateAsync(_support, "secret");
        return client;
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var connection = await _host.Database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>(sql);
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, string log)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(120), "not done within 120 s; serve log:\n" + log);
            await Task.Delay(20);
        }
    }
}
