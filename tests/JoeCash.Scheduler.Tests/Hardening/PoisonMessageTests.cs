using JoeCash.Scheduler.Tests.Infrastructure;
using static JoeCash.Scheduler.Tests.Hardening.Setup;

namespace JoeCash.Scheduler.Tests.Hardening;

/// <summary>
/// A message that cannot be rendered or sent stays with itself: it is marked failed with the reason,
/// every other message goes out, nothing is left claimed, and the operator can mend and resend it.
/// </summary>
public sealed class PoisonMessageTests : IDisposable
{
    private readonly TempDirectory _folder = new();
    private readonly Infrastructure.Cli _cli;

    public PoisonMessageTests() => _cli = new Infrastructure.Cli(_folder);

    public void Dispose() => _folder.Dispose();

    /// <summary>Ways a stored message can be beyond rendering: written by an older version, or damaged.</summary>
    public static TheoryData<string, string, string> Poisons => new()
    {
        { "an address the libraries refuse", "UPDATE outbox_payloads SET payload = json_set(payload, '$.recipientEmail', 'eva@[127.0.0.1]') WHERE outbox_id = @id", "cannot" },
        { "an address with a source route", "UPDATE outbox_payloads SET payload = json_set(payload, '$.recipientEmail', 'a%evil@shop.test') WHERE outbox_id = @id", "cannot" },
        { "a payload that is not JSON", "UPDATE outbox_payloads SET payload = '{\"template\": \"invit' WHERE outbox_id = @id", "cannot render" },
        { "an empty payload", "UPDATE outbox_payloads SET payload = 'null' WHERE outbox_id = @id", "cannot render" },
        { "a template that does not exist", "UPDATE outbox_payloads SET payload = json_set(payload, '$.template', 'nonsense') WHERE outbox_id = @id", "cannot render" },
        { "a time zone that does not exist", "UPDATE outbox_payloads SET payload = json_set(payload, '$.calendar.zoneId', 'Mars/Olympus') WHERE outbox_id = @id", "cannot render" },
    };

    [Theory]
    [MemberData(nameof(Poisons))]
    public async Task MailSend_OnePoisonedMessage_FailsAloneAndTheOthersGoOut(string what, string damage, string reason)
    {
        await ThreeBookingsAsync(_cli);
        var poisoned = await QueryAsync<long>(_cli.DatabasePath, "SELECT min(id) FROM outbox WHERE recipient = 'k2@shop.test'");
        await ExecuteAsync(_cli.DatabasePath, damage, new { id = poisoned });

        var send = await _cli.RunAsync("mail", "send");

        Assert.True(send.ExitCode == 1, $"{what}: {send}");
        // The other two shops' invitations and the three technicians' own.
        Assert.Contains("5 sent, 0 to retry later, 1 failed", send.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", send.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, await QueryAsync<long>(_cli.DatabasePath, "SELECT count(*) FROM outbox WHERE status IN ('sending', 'pending')"));
        Assert.Equal(5, Directory.GetFiles(_folder.File("data/pickup"), "*.eml").Length);

        var list = await _cli.RunAsync("mail", "list", "--status", "failed", "--json");
        var failed = Assert.Single(list.Json.GetProperty("messages").EnumerateArray());
        Assert.Equal(poisoned, failed.GetProperty("id").GetInt64());
        Assert.Contains(reason, failed.GetProperty("lastError").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MailRetryTo_AFailedMessage_IsRenderedAnewForTheCorrectedAddress()
    {
        await ThreeBookingsAsync(_cli);
        var poisoned = await QueryAsync<long>(_cli.DatabasePath, "SELECT min(id) FROM outbox WHERE recipient = 'k2@shop.test'");
        await ExecuteAsync(_cli.DatabasePath, "UPDATE outbox_payloads SET payload = json_set(payload, '$.recipientEmail', 'eva@[127.0.0.1]') WHERE outbox_id = @id", new { id = poisoned });
        Assert.Equal(1, (await _cli.RunAsync("mail", "send")).ExitCode);
        var id = poisoned.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var refused = await _cli.RunAsync("mail", "retry", id, "--to", "eva@[127.0.0.1]");
        var missing = await _cli.RunAsync("mail", "retry", "999", "--to", "eva@shop.test");
        var retried = await _cli.RunAsync("mail", "retry", id, "--to", "Eva.Neu@Shop.Test");
        var send = await _cli.RunAsync("mail", "send");

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("--to: 'eva@[127.0.0.1]' names an IP address", refused.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("no failed message 999", missing.Stderr, StringComparison.Ordinal);
        Ok(retried);
        Assert.Contains("queued again for eva.neu@shop.test", retried.Stdout, StringComparison.Ordinal);
        Ok(send);
        Assert.Contains("1 sent", send.Stdout, StringComparison.Ordinal);
        var files = Directory.GetFiles(_folder.File("data/pickup"), "*.eml");
        Assert.Equal(6, files.Length); // three shops' invitations and three technicians' own
        Assert.Contains(files, f => MimeKit.MimeMessage.Load(f).To.Mailboxes.Single().Address == "eva.neu@shop.test");
        Assert.Equal("eva.neu@shop.test", await QueryAsync<string>(_cli.DatabasePath, "SELECT recipient FROM outbox WHERE id = @id", new { id = poisoned }));
    }

    [Fact]
    public async Task PickupFiles_AreNotReadableByOtherUsers()
    {
        await ThreeBookingsAsync(_cli);
        Ok(await _cli.RunAsync("mail", "send"));

        var none = UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
        Assert.Equal((UnixFileMode)0, File.GetUnixFileMode(_cli.DatabasePath) & none);
        Assert.Equal((UnixFileMode)0, File.GetUnixFileMode(_folder.File("data")) & none);
        Assert.Equal((UnixFileMode)0, File.GetUnixFileMode(_folder.File("data/pickup")) & none);
        Assert.All(Directory.GetFiles(_folder.File("data/pickup")), f => Assert.Equal((UnixFileMode)0, File.GetUnixFileMode(f) & none));
    }
}
