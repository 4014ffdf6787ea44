using Dapper;
using JoeCash.Scheduler.Tests.Infrastructure;
using NodaTime;

namespace JoeCash.Scheduler.Tests.Service;

/// <summary>The service as a real process: prompt delivery, kill -9 in the middle of sending, the mail server down for minutes.</summary>
[Collection(nameof(ServiceProcesses))]
public sealed class ServiceProcessTests(ITestOutputHelper output) : IDisposable
{
    // The service process runs on the real clock, so the test reads the same one, through IClock as everywhere.
#pragma warning disable CA1859 // SystemClock's own GetCurrentInstant is banned; the interface is the point.
    private static readonly IClock Clock = SystemClock.Instance;
#pragma warning restore CA1859

    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    private Dictionary<string, string> Settings(int smtpPort, params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string>
        {
            ["Storage:Path"] = _folder.File("data/scheduler.db"),
            ["Mail:PickupDirectory"] = _folder.File("data/pickup"),
            ["Mail:Smtp:Host"] = "127.0.0.1",
            ["Mail:Smtp:Port"] = smtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Mail:Smtp:Security"] = "None",
            ["Reminders:SweepInterval"] = "00:00:01",
        };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        return settings;
    }

    private async Task<long> OutboxCountAsync(string where)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_folder.File("data/scheduler.db")};Pooling=False");
        return await connection.ExecuteScalarAsync<long>($"SELECT count(*) FROM outbox WHERE {where}");
    }

    [Fact]
    public async Task Serve_BookingFromTheCommandLine_ReachesTheSmtpServerWithinFiveSeconds()
    {
        var settings = Settings(MailStack.SmtpPort);
        var address = MailStack.NewAddress("prompt");
        await using (var host = await SchedulerHost.StartAsync(new Dictionary<string, string?>(settings.Select(kv => KeyValuePair.Create(kv.Key, (string?)kv.Value)))))
        {
            await host.AddTechnicianAsync("Anna Berger");
            await host.AddCustomerAsync("K1", email: address);
        }

        await using var service = await ServiceProcess.StartAsync(_folder.FullPath, settings);
        var cli = new Infrastructure.Cli(_folder);
        var when = Clock.GetCurrentInstant().InZone(DateTimeZoneProviders.Tzdb["Europe/Berlin"]).Date.PlusWeeks(3);
        while (when.DayOfWeek != IsoDayOfWeek.Wednesday)
        {
            when = when.PlusDays(1);
        }

        var booked = await cli.RunAsync("book", "--customer", "K1", "--type", "fault", "--technician", "1", "--at", $"{when:yyyy-MM-dd}T10:00", "--json");
        Assert.True(booked.ExitCode == 0, booked.ToString());
        var cancelled = await cli.RunAsync("cancel", booked.Json.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture), "--version", "1");
        Assert.True(cancelled.ExitCode == 0, cancelled.ToString());

        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_folder.File("data/scheduler.db")};Pooling=False");
        IReadOnlyList<(long CreatedAt, long? SentAt)> rows = [];
        // The shop's invitation and cancellation, and the technician's own two.
        for (var i = 0; i < 100 && (rows.Count < 4 || rows.Any(r => r.SentAt is null)); i++)
        {
            await Task.Delay(100);
            rows = [.. await connection.QueryAsync<(long, long?)>("SELECT created_at, sent_at FROM outbox ORDER BY id")];
        }

        Assert.Equal(4, rows.Count);
        var delays = rows.Select(r => TimeSpan.FromMilliseconds(r.SentAt!.Value - r.CreatedAt)).ToArray();
        output.WriteLine($"written to the outbox → accepted by Postfix: {string.Join(", ", delays.Select(d => $"{d.TotalMilliseconds:0} ms"))}");
        Assert.All(delays, d => Assert.True(d <= TimeSpan.FromSeconds(5), $"took {d}"));
        Assert.Equal(2, (await MailStack.WaitForMessagesAsync(address, 2)).Count);

        Assert.Equal(0, await service.StopAsync()); // SIGTERM: a clean exit
        Assert.Contains("Outbox dispatcher stopped", service.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_KilledHardWhileSendingAThousandReminders_EveryOneArrivesAfterTheRestart()
    {
        const int Reminders = 1000;
        var settings = Settings(MailStack.SmtpPort, ("Mail:BatchSize", "100"));
        var address = MailStack.NewAddress("chain");
        await DueReminders.BookAsync(settings, Reminders, address, notBefore: Duration.FromMinutes(30), dueAfter: Duration.FromMinutes(-1), invitationsAlreadySent: true); // due at once

        await using (var first = await ServiceProcess.StartAsync(_folder.FullPath, settings))
        {
            // Wait until sending is well under way, then pull the plug.
            for (var i = 0; i < 600 && await OutboxCountAsync("kind = 'reminder' AND status = 'sent'") < 150; i++)
            {
                await Task.Delay(50);
            }

            first.KillHard();
        }

        var sentBeforeKill = await OutboxCountAsync("kind = 'reminder' AND status = 'sent'");
        // What Postfix had accepted when the process died, once Postfix has handed it all to Dovecot.
        var acceptedBeforeKill = await SettledCountAsync(address);
        output.WriteLine($"killed with {sentBeforeKill} of {Reminders} reminders marked sent, {acceptedBeforeKill} accepted by the server, "
            + $"{await OutboxCountAsync("status = 'sending'")} claimed");
        Assert.InRange(sentBeforeKill, 1, Reminders - 1); // really in the middle of sending
        // "Sent" is written in groups of at most 100: accepted but not yet marked are at most a group and what was on the
        // wire, one message per connection (Mail:Connections, 3 as shipped).
        Assert.InRange(acceptedBeforeKill - sentBeforeKill, 0, 100 + 3);

        await using var second = await ServiceProcess.StartAsync(_folder.FullPath, settings);
        for (var i = 0; i < 1200 && await OutboxCountAsync("kind = 'reminder' AND status <> 'sent'") > 0; i++)
        {
            await Task.Delay(100);
        }

        Assert.Equal(Reminders, await OutboxCountAsync("kind = 'reminder' AND status = 'sent'"));
        var delivered = await MailStack.WaitForMessagesAsync(address, Reminders, TimeSpan.FromSeconds(60));
        // A repeated message counts toward the mailbox's total before Postfix has handed on the last distinct one: wait
        // for one more per repeat the dead process could have caused, until every distinct message is in.
        for (var more = 1; delivered.Select(m => m.MessageId).Distinct().Count() < Reminders && more <= acceptedBeforeKill - sentBeforeKill; more++)
        {
            delivered = await MailStack.WaitForMessagesAsync(address, Reminders + more, TimeSpan.FromSeconds(60));
        }

        var ids = delivered.Select(m => m.MessageId).ToArray();
        var duplicates = ids.Length - ids.Distinct().Count();
        output.WriteLine($"delivered {ids.Length} messages, {ids.Distinct().Count()} distinct, {duplicates} duplicate(s)");
        Assert.Equal(Reminders, ids.Distinct().Count());
        Assert.All(ids, id => Assert.StartsWith("reminder-", id, StringComparison.Ordinal));
        // Repeated: at most what the server had accepted and the dead process had not marked sent yet.
        Assert.InRange(duplicates, 0, acceptedBeforeKill - sentBeforeKill);
        Assert.Contains("Requeued", second.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_MailServerDownForTwoMinutes_EverythingDeliveredOnceItIsBack()
    {
        const int Appointments = 20;
        using var sink = new SmtpSink(2537);
        var settings = Settings(sink.Port, ("Mail:RetryBaseDelay", "00:00:02"), ("Mail:RetryMaxDelay", "00:00:10"));
        var due = await DueReminders.BookAsync(settings, Appointments, MailStack.NewAddress("down"), notBefore: Duration.FromMinutes(40), dueAfter: Duration.FromSeconds(30), invitationsAlreadySent: false);

        await using var service = await ServiceProcess.StartAsync(_folder.FullPath, settings);
        await Task.Delay(TimeSpan.FromMinutes(2)); // the mail server is down; the reminders fall due meanwhile

        Assert.True(Clock.GetCurrentInstant() > due, "the reminders fell due while the server was down");
        // Per appointment: the shop's invitation, the technician's own, the reminder.
        Assert.Equal(3 * Appointments, await OutboxCountAsync("status = 'pending' AND attempts >= 3 AND last_error LIKE '%refused%'"));
        await sink.StartAsync();
        for (var i = 0; i < 300 && await OutboxCountAsync("status <> 'sent'") > 0; i++)
        {
            await Task.Delay(100);
        }

        var ids = sink.MessageIds();
        output.WriteLine($"after the outage: {ids.Count} delivered, {ids.Distinct().Count()} distinct; {await OutboxCountAsync("1 = 1")} in the outbox");
        Assert.Equal(0, await OutboxCountAsync("status <> 'sent'"));
        Assert.Equal(3 * Appointments, ids.Count);
        Assert.Equal(3 * Appointments, ids.Distinct().Count());
        Assert.Equal(Appointments, ids.Count(id => id.StartsWith("reminder-", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Serve_RemindersQueuedAheadOfTheirTime_ReachTheMailboxAtTheirDueInstant_NotBefore()
    {
        const int Reminders = 5;
        // A poll every ten minutes: only the dispatcher's wake at the due instant can deliver them in time.
        var settings = Settings(MailStack.SmtpPort, ("Mail:PollInterval", "00:10:00"));
        var address = MailStack.NewAddress("ahead");
        var due = await DueReminders.BookAsync(settings, Reminders, address, notBefore: Duration.FromMinutes(30), dueAfter: Duration.FromSeconds(20), invitationsAlreadySent: true);

        await using var service = await ServiceProcess.StartAsync(_folder.FullPath, settings);
        // Reminders:QueueAhead is two minutes as shipped: the first sweep makes them emails, which wait for their instant.
        for (var i = 0; i < 100 && await OutboxCountAsync("kind = 'reminder'") < Reminders; i++)
        {
            await Task.Delay(100);
        }

        var queuedAt = Clock.GetCurrentInstant();
        Assert.True(queuedAt < due - Duration.FromSeconds(5), $"queued at {queuedAt}, due at {due}");
        Assert.Equal(Reminders, await OutboxCountAsync($"kind = 'reminder' AND status = 'pending' AND not_before = {due.ToUnixTimeMilliseconds()}"));
        await Task.Delay((due - Clock.GetCurrentInstant() - Duration.FromSeconds(2)).ToTimeSpan());
        Assert.Equal(0, await OutboxCountAsync("kind = 'reminder' AND status = 'sent'"));
        Assert.Empty(await MailStack.MessageIdsAsync(address));

        var delivered = await MailStack.WaitForMessagesAsync(address, Reminders, TimeSpan.FromSeconds(30));
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_folder.File("data/scheduler.db")};Pooling=False");
        var sentAt = (await connection.QueryAsync<long>("SELECT sent_at FROM outbox WHERE kind = 'reminder' AND status = 'sent'")).Select(Instant.FromUnixTimeMilliseconds).ToArray();
        output.WriteLine($"due {due}; accepted by Postfix {string.Join(", ", sentAt.Select(s => $"{(s - due).TotalMilliseconds:+0;-0} ms"))} after");
        Assert.Equal(Reminders, delivered.Select(m => m.MessageId).Distinct().Count());
        Assert.Equal(Reminders, sentAt.Length);
        Assert.All(sentAt, s => Assert.InRange(s - due, Duration.Zero, Duration.FromSeconds(3)));
    }

    /// <summary>How many messages the mailbox holds once nothing more arrives for a second.</summary>
    private static async Task<int> SettledCountAsync(string address)
    {
        var count = (await MailStack.MessageIdsAsync(address)).Count;
        for (var quiet = 0; quiet < 4; quiet++)
        {
            await Task.Delay(250);
            var now = (await MailStack.MessageIdsAsync(address)).Count;
            if (now != count)
            {
                (count, quiet) = (now, -1);
            }
        }

        return count;
    }
}

/// <summary>Service processes run one at a time, alone: they measure time and share the mail stack.</summary>
[CollectionDefinition(nameof(ServiceProcesses), DisableParallelization = true)]
public sealed class ServiceProcesses;
