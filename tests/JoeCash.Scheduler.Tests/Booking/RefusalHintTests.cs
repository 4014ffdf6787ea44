using JoeCash.Scheduler.Tests.Infrastructure;

namespace JoeCash.Scheduler.Tests.Booking;

/// <summary>Issue 9: the service words no option; the command line adds its own for its user.</summary>
public sealed class RefusalHintTests : IDisposable
{
    private readonly TempDirectory _folder = new();
    private readonly Infrastructure.Cli _cli;

    public RefusalHintTests() => _cli = new Infrastructure.Cli(_folder);

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Book_RefusedForTheCommandLine_MessageThenTheOptionToUse()
    {
        Assert.Equal(0, (await _cli.RunAsync("migrate")).ExitCode);
        Assert.Equal(0, (await _cli.RunAsync("technician", "add", "--name", "Anna Berger", "--email", "anna@joecash.test", "--state", "BY")).ExitCode);
        Assert.Equal(0, (await _cli.RunAsync("customer", "add", "--number", "K1", "--company", "Bäckerei Müller", "--state", "BY", "--contact", "Erika", "--email", "erika@shop.test")).ExitCode);
        var day = CliDates.WorkingTuesday();

        var cost = await _cli.RunAsync("book", "--customer", "K1", "--type", "training", "--at", day.At(10));
        var costJson = await _cli.RunAsync("book", "--customer", "K1", "--type", "training", "--at", day.At(10), "--json");
        var twice = await _cli.RunAsync("book", "--customer", "K1", "--type", "fault", "--at", "2026-10-25T02:30");

        Assert.Equal(2, cost.ExitCode);
        Assert.Contains("needs the shop's acknowledgment of the cost notice: ", cost.Stderr, StringComparison.Ordinal);
        Assert.Contains("book again with --acknowledge-cost.", cost.Stderr, StringComparison.Ordinal);
        Assert.Equal("cost-not-acknowledged", costJson.Json.GetProperty("code").GetString());
        Assert.Contains("--acknowledge-cost", costJson.Json.GetProperty("hint").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("--", costJson.Json.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains("occurs twice in Europe/Berlin (at +02 and at +01). Choose with --earlier or --later, or give the offset.", twice.Stderr, StringComparison.Ordinal);
    }
}
