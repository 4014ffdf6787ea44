using Dapper;
using JoeCash.Scheduler.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace JoeCash.Scheduler.Tests.Booking;

/// <summary>Issue 7: an empty --technician is refused (only "any" means any), and a version conflict points at a verb that exists.</summary>
public sealed class TechnicianChoiceAndConflictTests : IDisposable
{
    private readonly TempDirectory _folder = new();
    private readonly Infrastructure.Cli _cli;

    public TechnicianChoiceAndConflictTests() => _cli = new Infrastructure.Cli(_folder);

    public void Dispose() => _folder.Dispose();

    private async Task SetUpAsync()
    {
        Assert.Equal(0, (await _cli.RunAsync("migrate")).ExitCode);
        foreach (var args in new[]
        {
            new[] { "technician", "add", "--name", "Anna Berger", "--email", "anna@joecash.test", "--state", "BY" },
            ["customer", "add", "--number", "K1", "--company", "Bäckerei Müller", "--state", "BY", "--contact", "Erika", "--email", "erika@shop.test"],
            ["book", "--customer", "K1", "--type", "fault", "--technician", "1", "--at", CliDates.WorkingTuesday().At(10)],
        })
        {
            var result = await _cli.RunAsync(args);
            Assert.True(result.ExitCode == 0, result.ToString());
        }
    }

    private async Task<string> SnapshotAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={_cli.DatabasePath};Pooling=False");
        return string.Join(",", await connection.QueryAsync<string>("SELECT id || ':' || technician_id || ':' || starts_at || ':' || version || ':' || status FROM appointments ORDER BY id"))
            + "|" + await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM outbox");
    }

    public static TheoryData<string[]> EmptyTechnician => new()
    {
        { ["slots", "--type", "fault", "--technician", ""] },
        { ["slots", "--type", "fault", "--technician", "  "] },
        { ["book", "--customer", "K1", "--type", "fault", "--technician", "", "--at", CliDates.WorkingTuesday().At(14)] },
        { ["reschedule", "1", "--version", "1", "--technician", "", "--at", CliDates.WorkingTuesday().At(14)] },
    };

    [Theory]
    [MemberData(nameof(EmptyTechnician))]
    public async Task Verb_EmptyTechnician_RefusedInsteadOfMeaningAny(string[] args)
    {
        await SetUpAsync();
        var before = await SnapshotAsync();

        var result = await _cli.RunAsync(args);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("technician: the value is empty; give a technician's id or email, or 'any'.", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task Book_TheWordAny_StillMeansAnyTechnician()
    {
        await SetUpAsync();

        var result = await _cli.RunAsync("book", "--customer", "K1", "--type", "fault", "--technician", "ANY", "--at", CliDates.WorkingTuesday().At(14), "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(1, result.Json.GetProperty("technician").GetInt64());
    }

    [Theory]
    [InlineData("reschedule", "--at")]
    [InlineData("cancel", "--reason")]
    public async Task Verb_StaleVersion_PointsAtShowAndTheCurrentVersion(string verb, string option)
    {
        await SetUpAsync();
        var before = await SnapshotAsync();
        var value = option == "--at" ? CliDates.WorkingTuesday().At(14) : "x";

        var text = await _cli.RunAsync(verb, "1", "--version", "5", option, value);
        var json = await _cli.RunAsync(verb, "1", "--version", "5", option, value, "--json");

        Assert.Equal(2, text.ExitCode);
        Assert.Contains("error: appointment 1 is at version 1, not 5: someone changed it since you read it.", text.Stderr, StringComparison.Ordinal);
        Assert.Contains("See the change with 'show 1', then retry with --version 1.", text.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("appointment show", text.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, json.Json.GetProperty("currentVersion").GetInt32());
        Assert.Contains("'show 1'", json.Json.GetProperty("hint").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync());
    }
}
