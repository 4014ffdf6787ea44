using Dapper;
using JoeCash.Scheduler.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace JoeCash.Scheduler.Tests.Technicians;

/// <summary>
/// Issue 7: time off over booked appointments is never silent. Through the real command line: refused
/// with the list of appointments (id, time in the technician's zone, shop) unless told --reassign (all
/// or nothing, the shops get updated invitations) or --keep.
/// </summary>
public sealed class TimeOffConflictTests : IDisposable
{
    private readonly TempDirectory _folder = new();
    private readonly Infrastructure.Cli _cli;

    public TimeOffConflictTests() => _cli = new Infrastructure.Cli(_folder);

    public void Dispose() => _folder.Dispose();

    private static string Day => CliDates.WorkingTuesday().Text();

    /// <summary>Anna (1, Berlin) has K1 at 10:00 and K2 at 14:00 on the day; Jonas (2) and, if asked, Lea (3, fault only, 13:00–17:00) are other technicians.</summary>
    private async Task SetUpAsync(bool withJonas = true)
    {
        Assert.Equal(0, (await _cli.RunAsync("migrate")).ExitCode);
        var steps = new List<string[]>
        {
            new[] { "technician", "add", "--name", "Anna Berger", "--email", "anna@joecash.test", "--state", "BY" },
        };
        if (withJonas)
        {
            steps.Add(["technician", "add", "--name", "Jonas Keller", "--email", "jonas@joecash.test", "--state", "BE", "--hours", "Mon-Fri 08:00-12:00"]);
        }

        steps.Add(["customer", "add", "--number", "K1", "--company", "Bäckerei Müller", "--state", "BY", "--contact", "Erika", "--email", "erika@shop.test"]);
        steps.Add(["customer", "add", "--number", "K2", "--company", "Friseur Schnittpunkt", "--state", "BE", "--contact", "Marie", "--email", "marie@shop.test"]);
        steps.Add(["book", "--customer", "K1", "--type", "fault", "--technician", "1", "--at", CliDates.WorkingTuesday().At(10)]);
        steps.Add(["book", "--customer", "K2", "--type", "fault", "--technician", "1", "--at", CliDates.WorkingTuesday().At(14)]);
        foreach (var args in steps)
        {
            var result = await _cli.RunAsync(args);
            Assert.True(result.ExitCode == 0, result.ToString());
        }
    }

    private async Task<string> SnapshotAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={_cli.DatabasePath};Pooling=False");
        var appointments = await connection.QueryAsync<string>("SELECT id || ':' || technician_id || ':' || starts_at || ':' || version || ':' || sequence FROM appointments ORDER BY id");
        var counts = await connection.QuerySingleAsync<string>("""
            SELECT (SELECT count(*) FROM time_off) || '/' || (SELECT count(*) FROM appointment_audit) || '/' || (SELECT count(*) FROM outbox) || '/' || (SELECT count(*) FROM reminders)
            """);
        return string.Join(",", appointments) + "|" + counts;
    }

    private async Task<long> TechnicianOfAsync(long appointment)
    {
        var shown = await _cli.RunAsync("show", appointment.ToString(System.Globalization.CultureInfo.InvariantCulture), "--json");
        return shown.Json.GetProperty("appointment").GetProperty("technician").GetInt64();
    }

    [Fact]
    public async Task TimeOff_OverBookedAppointments_RefusedListingEachAndNothingWritten()
    {
        await SetUpAsync();
        var before = await SnapshotAsync();

        var result = await _cli.RunAsync("technician", "time-off", "--technician", "1", "--from", Day);

        Assert.True(result.ExitCode == 2, result.ToString());
        var weekday = CliDates.WorkingTuesday().ToString("ddd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains("the time off collides with 2 booked appointment(s) of Anna Berger:", result.Stderr, StringComparison.Ordinal);
        Assert.Contains($"1 {weekday} {Day} 10:00–11:00 Europe/Berlin, Bäckerei Müller (K1)", result.Stderr, StringComparison.Ordinal);
        Assert.Contains($"2 {weekday} {Day} 14:00–15:00 Europe/Berlin, Friseur Schnittpunkt (K2)", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("--reassign", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("--keep", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task TimeOff_PartlyOverlappingOneAppointment_ListsOnlyThatOne()
    {
        await SetUpAsync();
        var before = await SnapshotAsync();

        var result = await _cli.RunAsync("technician", "time-off", "--technician", "anna@joecash.test", "--from", CliDates.WorkingTuesday().At(10, 30), "--until", CliDates.WorkingTuesday().At(12));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("collides with 1 booked appointment(s)", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("(K1)", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("(K2)", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task TimeOff_BetweenAppointments_RecordedWithoutFuss()
    {
        await SetUpAsync();

        var result = await _cli.RunAsync("technician", "time-off", "--technician", "1", "--from", CliDates.WorkingTuesday().At(11, 15), "--until", CliDates.WorkingTuesday().At(13, 45), "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(0, result.Json.GetProperty("kept").GetArrayLength());
        Assert.Equal(0, result.Json.GetProperty("reassigned").GetArrayLength());
    }

    [Fact]
    public async Task TimeOff_Keep_RecordsItAndLeavesTheAppointmentsSayingSo()
    {
        await SetUpAsync();

        var result = await _cli.RunAsync("technician", "time-off", "--technician", "1", "--from", Day, "--keep");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Kept 2 booked appointment(s) with Anna Berger although they fall into the time off", result.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, await TechnicianOfAsync(1));
        Assert.Equal(1, await TechnicianOfAsync(2));
        var agenda = await _cli.RunAsync("agenda", "--technician", "1", "--date", Day, "--json");
        Assert.Equal(2, agenda.Json.GetProperty("appointments").GetArrayLength());
    }

    [Fact]
    public async Task TimeOff_Reassign_MovesEachAtTheSameTimeAndQueuesAnUpdate()
    {
        await SetUpAsync();
        Assert.Equal(0, (await _cli.RunAsync("technician", "add", "--name", "Lea Schmitt", "--email", "lea@joecash.test", "--state", "NW", "--hours", "Mon-Fri 13:00-17:00", "--types", "fault")).ExitCode);

        var result = await _cli.RunAsync("technician", "time-off", "--technician", "1", "--from", Day, "--reassign", "--reason", "krank");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Reassigned appointment 1 ", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("to technician 2 Jonas Keller; the shop gets an updated invitation.", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("to technician 3 Lea Schmitt; the shop gets an updated invitation.", result.Stdout, StringComparison.Ordinal);
        Assert.Equal(2, await TechnicianOfAsync(1)); // 10:00: only Jonas works then
        Assert.Equal(3, await TechnicianOfAsync(2)); // 14:00: only Lea works then
        var show = await _cli.RunAsync("show", "1", "--json");
        Assert.Equal($"{Day}T10:00:00+01:00", show.Json.GetProperty("appointment").GetProperty("localStart").GetString());
        Assert.Contains(show.Json.GetProperty("audit").EnumerateArray(), a => a.GetProperty("action").GetString() == "reassigned");
        await using var connection = new SqliteConnection($"Data Source={_cli.DatabasePath};Pooling=False");
        var updates = (await connection.QueryAsync<string>("SELECT recipient FROM outbox WHERE kind = 'update' ORDER BY appointment_id")).ToArray();
        Assert.Equal(["erika@shop.test", "marie@shop.test"], updates);
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM time_off WHERE technician_id = 1 AND reason = 'krank'"));
    }

    [Fact]
    public async Task TimeOff_ReassignOneImpossible_RefusesTheWholeAndNamesWhich()
    {
        await SetUpAsync(); // Jonas works mornings only: 10:00 can move, 14:00 cannot
        var before = await SnapshotAsync();

        var result = await _cli.RunAsync("technician", "time-off", "--technician", "1", "--from", Day, "--reassign");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("nothing was recorded: 1 of 2 appointment(s) cannot be reassigned: appointment 2 ", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("(K2): ", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("outside Jonas Keller's working hours", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync()); // appointment 1 was not moved either
    }

    [Fact]
    public async Task TimeOff_ReassignWithNoOtherTechnician_RefusedAndNothingWritten()
    {
        await SetUpAsync(withJonas: false);
        var before = await SnapshotAsync();

        var result = await _cli.RunAsync("technician", "time-off", "--technician", "1", "--from", Day, "--reassign");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no other active technician takes 'fault' appointments", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync());
    }

    public static TheoryData<string[], string> BadTimeOff => new()
    {
        { ["technician", "time-off", "--technician", "1", "--from", Day, "--reassign", "--keep"], "error: --reassign and --keep exclude each other." },
        { ["technician", "time-off", "--technician", "1", "--from", CliDates.WorkingTuesday().At(12), "--until", CliDates.WorkingTuesday().At(11)], "error: --until: " },
        { ["technician", "time-off", "--technician", "", "--from", Day], "technician: no technician ''" },
        { ["technician", "time-off", "--technician", "9", "--from", Day, "--keep"], "technician: no technician '9'" },
        { ["technician", "time-off", "--technician", "1", "--from", "morgen"], "error: --from: 'morgen' is not a date and time" },
        { ["technician", "time-off", "--technician", "1", "--from", Day, "--reason", "a\u0007b", "--keep"], "--reason contains an invisible control or format character (U+0007)" },
    };

    [Theory]
    [MemberData(nameof(BadTimeOff))]
    public async Task TimeOff_BadInput_ClearRefusalExitTwoNothingWritten(string[] args, string expected)
    {
        await SetUpAsync();
        var before = await SnapshotAsync();

        var result = await _cli.RunAsync(args);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(expected, result.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync());
    }
}
