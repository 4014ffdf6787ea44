using JoeCash.Scheduler.Tests.Infrastructure;

namespace JoeCash.Scheduler.Tests.Technicians;

/// <summary>Issue 11: <c>technician edit</c> through the real command line: what is given changes, booked appointments never move.</summary>
public sealed class TechnicianEditCliTests : IDisposable
{
    private readonly TempDirectory _folder = new();
    private readonly Infrastructure.Cli _cli;

    public TechnicianEditCliTests() => _cli = new Infrastructure.Cli(_folder);

    public void Dispose() => _folder.Dispose();

    /// <summary>Anna (1, Berlin, Mon–Fri 08:00–17:00, at most 5 a day) has K1 at 14:00 on a working Tuesday.</summary>
    private async Task SetUpAsync()
    {
        string[][] steps =
        [
            ["migrate"],
            ["technician", "add", "--name", "Anna Berger", "--email", "anna@joecash.test", "--state", "BY", "--daily-cap", "5"],
            ["customer", "add", "--number", "K1", "--company", "Bäckerei Müller", "--state", "BY", "--contact", "Erika", "--email", "erika@shop.test"],
            ["book", "--customer", "K1", "--type", "fault", "--technician", "1", "--at", CliDates.WorkingTuesday().At(14)],
        ];
        foreach (var args in steps)
        {
            var result = await _cli.RunAsync(args);
            Assert.True(result.ExitCode == 0, result.ToString());
        }
    }

    private async Task<string> TechniciansAsync() => (await _cli.RunAsync("technician", "list", "--json")).Stdout;

    [Fact]
    public async Task Edit_ShorterHoursOverABookedAppointment_RefusedListingIt_ThenKeptWithKeep()
    {
        await SetUpAsync();
        var before = await TechniciansAsync();

        var refused = await _cli.RunAsync("technician", "edit", "--technician", "anna@joecash.test", "--hours", "Mon-Fri 08:00-12:00");

        Assert.True(refused.ExitCode == 2, refused.ToString());
        Assert.Contains("1 booked appointment(s) of Anna Berger ahead would no longer fit the change", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains($"{CliDates.WorkingTuesday().Text()} 14:00–15:00 Europe/Berlin, Bäckerei Müller (K1)", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("is outside Anna Berger's working hours", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("--keep", refused.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, await TechniciansAsync());

        var kept = await _cli.RunAsync("technician", "edit", "--technician", "1", "--hours", "Mon-Fri 08:00-12:00", "--keep");

        Assert.True(kept.ExitCode == 0, kept.ToString());
        Assert.Contains("Kept booked although it no longer fits: 1 ", kept.Stdout, StringComparison.Ordinal);
        Assert.Contains("\"hours\": \"Mon-Fri 08:00-12:00\"", await TechniciansAsync(), StringComparison.Ordinal);
        var shown = await _cli.RunAsync("show", "1", "--json");
        Assert.Equal("booked", shown.Json.GetProperty("appointment").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Edit_DailyCap_NoneRemovesIt_AndAWordIsRefusedNamingTheOption()
    {
        await SetUpAsync();

        var bad = await _cli.RunAsync("technician", "edit", "--technician", "1", "--daily-cap", "zero");
        var both = await _cli.RunAsync("technician", "edit", "--technician", "1", "--deactivate", "--reactivate");
        var unchanged = await TechniciansAsync();
        var none = await _cli.RunAsync("technician", "edit", "--technician", "1", "--daily-cap", "none", "--name", "Anna Schmidt", "--json");

        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--daily-cap: 'zero' is not a whole number of at least 1, or 'none'", bad.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, both.ExitCode);
        Assert.Contains("\"dailyCap\": 5", unchanged, StringComparison.Ordinal);
        Assert.True(none.ExitCode == 0, none.ToString());
        Assert.Equal("Anna Schmidt", none.Json.GetProperty("technician").GetProperty("name").GetString());
        Assert.Contains("\"dailyCap\": null", await TechniciansAsync(), StringComparison.Ordinal);
        Assert.Contains("\"email\": \"anna@joecash.test\"", await TechniciansAsync(), StringComparison.Ordinal);
    }
}
