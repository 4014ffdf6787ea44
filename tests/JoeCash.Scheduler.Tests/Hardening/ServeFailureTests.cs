using JoeCash.Scheduler.Tests.Infrastructure;
using static JoeCash.Scheduler.Tests.Hardening.Setup;

namespace JoeCash.Scheduler.Tests.Hardening;

/// <summary>
/// <c>serve</c> as systemd runs it: a poisoned message does not stop it, and a part that fails for good
/// stops it with exit code 1 and a line that says what failed, so <c>Restart=on-failure</c> restarts it.
/// </summary>
[Collection(nameof(Service.ServiceProcesses))]
public sealed class ServeFailureTests : IDisposable
{
    private readonly TempDirectory _folder = new();
    private readonly Infrastructure.Cli _cli;

    public ServeFailureTests() => _cli = new Infrastructure.Cli(_folder);

    public void Dispose() => _folder.Dispose();

    private Dictionary<string, string> Settings() => new()
    {
        ["Storage:Path"] = _cli.DatabasePath,
        ["Mail:PickupDirectory"] = _folder.File("data/pickup"),
        ["Reminders:SweepInterval"] = "00:00:01",
    };

    private async Task<long> CountAsync(string where) => await QueryAsync<long>(_cli.DatabasePath, $"SELECT count(*) FROM outbox WHERE {where}");

    [Fact]
    public async Task Serve_PoisonedMessage_IsMarkedFailedAndTheServiceGoesOn()
    {
        await ThreeBookingsAsync(_cli);
        await ExecuteAsync(_cli.DatabasePath, "UPDATE outbox_payloads SET payload = json_set(payload, '$.recipientEmail', 'a%evil@shop.test') WHERE outbox_id IN (SELECT id FROM outbox WHERE recipient = 'k2@shop.test')");

        await using var service = await ServiceProcess.StartAsync(_folder.FullPath, Settings());
        for (var i = 0; i < 100 && await CountAsync("status IN ('pending', 'sending')") > 0; i++)
        {
            await Task.Delay(100);
        }

        await Task.Delay(TimeSpan.FromSeconds(2)); // a few more dispatcher passes over the failed row
        Assert.False(service.HasExited, service.Log);
        // Two shops' invitations and the three technicians' own.
        Assert.Equal(5, await CountAsync("status = 'sent'"));
        Assert.Equal(1, await CountAsync("status = 'failed' AND last_error LIKE 'cannot%'"));
        Assert.Equal(5, Directory.GetFiles(_folder.File("data/pickup"), "*.eml").Length);

        // The operator mends it while the service runs; the service sends it.
        var id = await QueryAsync<long>(_cli.DatabasePath, "SELECT id FROM outbox WHERE status = 'failed'");
        Ok(await _cli.RunAsync("mail", "retry", $"{id}", "--to", "k2-neu@shop.test"));
        for (var i = 0; i < 100 && await CountAsync("status = 'sent'") < 6; i++)
        {
            await Task.Delay(100);
        }

        Assert.Equal(6, await CountAsync("status = 'sent'"));
        Assert.Equal(0, await service.StopAsync());
    }

    /// <summary>Faults injected into the running service's database, and the part each one stops.</summary>
    public static TheoryData<string, string> Faults => new()
    {
        { "ALTER TABLE outbox RENAME TO outbox_lost", "Outbox dispatcher failed" },
        { "ALTER TABLE reminders RENAME TO reminders_lost", "Job joecash.reminder-sweep failed" },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task Serve_PartFailsForGood_ExitsWithCode1AndNamesIt(string fault, string logLine)
    {
        Ok(await _cli.RunAsync("migrate"));
        await using var service = await ServiceProcess.StartAsync(_folder.FullPath, Settings());

        await ExecuteAsync(_cli.DatabasePath, fault);
        var exitCode = await service.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.True(exitCode == 1, $"exit code {exitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none (still running)"}\n{service.Log}");
        Assert.Contains(logLine, service.Log, StringComparison.Ordinal);
        Assert.Contains("stopping the service (exit code 1)", service.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_StoppedWithSigterm_ExitsWithCode0()
    {
        Ok(await _cli.RunAsync("migrate"));
        await using var service = await ServiceProcess.StartAsync(_folder.FullPath, Settings());

        var code = await service.StopAsync();
        Assert.True(code == 0, $"exit {code}:\n{service.Log}");
    }
}
