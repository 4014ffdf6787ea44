using Dapper;
using JoeCash.Scheduler.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using NodaTime;
using NodaTime.Text;

namespace JoeCash.Scheduler.Tests.Booking;

/// <summary>
/// Issue 7: no date a user types may crash a verb or book beyond <c>Scheduler:BookingHorizon</c>.
/// Every verb that reads a date, through the real command line, with dates at both ends of the calendar.
/// </summary>
public sealed class BookingHorizonTests : IDisposable
{
    private readonly TempDirectory _folder = new();
    private readonly Infrastructure.Cli _cli;

    public BookingHorizonTests() => _cli = new Infrastructure.Cli(_folder);

    public void Dispose() => _folder.Dispose();

    private static string Day => CliDates.WorkingTuesday().Text();

    private async Task SetUpAsync()
    {
        Assert.Equal(0, (await _cli.RunAsync("migrate")).ExitCode);
        foreach (var args in new[]
        {
            new[] { "technician", "add", "--name", "Anna Berger", "--email", "anna@joecash.test", "--state", "BY" },
            ["technician", "add", "--name", "Jonas Keller", "--email", "jonas@joecash.test", "--state", "BE"],
            ["customer", "add", "--number", "K1", "--company", "Bäckerei Müller", "--state", "BY", "--contact", "Erika", "--email", "erika@shop.test"],
            ["book", "--customer", "K1", "--type", "fault", "--technician", "1", "--at", CliDates.WorkingTuesday().At(10)],
        })
        {
            var result = await _cli.RunAsync(args);
            Assert.True(result.ExitCode == 0, result.ToString());
        }
    }

    /// <summary>Everything a verb could write: appointments (with their time, technician and version), time off, audit, outbox, reminders.</summary>
    private async Task<string> SnapshotAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={_cli.DatabasePath};Pooling=False");
        var appointments = await connection.QueryAsync<string>("SELECT id || ':' || technician_id || ':' || starts_at || ':' || version FROM appointments ORDER BY id");
        var counts = await connection.QuerySingleAsync<string>("""
            SELECT (SELECT count(*) FROM time_off) || '/' || (SELECT count(*) FROM appointment_audit) || '/' || (SELECT count(*) FROM outbox)
                || '/' || (SELECT count(*) FROM reminders) || '/' || (SELECT count(*) FROM customers) || '/' || (SELECT count(*) FROM technicians)
            """);
        return string.Join(",", appointments) + "|" + counts;
    }

    public static TheoryData<string[], string> BadDates => new()
    {
        { ["book", "--customer", "K1", "--type", "fault", "--at", "9999-12-31T23:59"], "error: 9999-12-31 23:59 (Europe/Berlin) is beyond the booking horizon of 365 days (latest start: " },
        { ["book", "--customer", "K1", "--type", "fault", "--at", "2100-01-04T10:00"], "error: 2100-01-04 10:00 (Europe/Berlin) is beyond the booking horizon of 365 days (latest start: " },
        { ["book", "--customer", "K1", "--type", "fault", "--technician", "2", "--at", "9999-12-31T23:59"], "is beyond the booking horizon of 365 days" },
        { ["book", "--customer", "K1", "--type", "fault", "--at", "0001-01-01T10:00"], "is in the past." },
        { ["book", "--customer", "K1", "--type", "fault", "--at", "0000-01-01T00:00"], "is in the past." },
        { ["book", "--customer", "K1", "--type", "fault", "--at", "9999-12-31T23:59-12:00"], "error: --at: '9999-12-31T23:59-12:00' lies beyond the end of the calendar" },
        { ["book", "--customer", "K1", "--type", "fault", "--at", "9999-12-31T23:59", "--zone", "America/New_York"], "error: --at: '9999-12-31T23:59' lies beyond the end of the calendar" },
        { ["reschedule", "1", "--version", "1", "--at", "9999-12-31T23:59"], "error: 9999-12-31 23:59 (Europe/Berlin) is beyond the booking horizon of 365 days" },
        { ["reschedule", "1", "--version", "1", "--at", "2100-01-04T10:00", "--technician", "2"], "2100-01-04 10:00 (Europe/Berlin) is beyond the booking horizon" },
        { ["reschedule", "1", "--version", "1", "--at", "0001-01-01T10:00"], "is in the past." },
        { ["reschedule", "1", "--version", "1", "--at", "9999-12-31T23:59-05:00"], "error: --at: '9999-12-31T23:59-05:00' lies beyond the end of the calendar" },
        { ["slots", "--type", "fault", "--from", "9999-12-31"], "error: --from: 9999-12-31 is beyond the booking horizon of 365 days (last day: " },
        { ["slots", "--type", "fault", "--from", "9999-12-31", "--days", "92"], "error: --from: 9999-12-31 is beyond the booking horizon" },
        { ["slots", "--type", "fault", "--from", "2100-01-01", "--customer", "K1"], "error: --from: 2100-01-01 is beyond the booking horizon" },
        { ["slots", "--type", "fault", "--from", "0001-01-01"], "error: --from: 0001-01-01 is in the past (today is " },
        { ["slots", "--type", "fault", "--days", "100000"], "error: --days: '100000' must be a whole number from 1 to 92." },
        { ["slots", "--type", "fault", "--days", "99999999999999999999999"], "error: --days: '99999999999999999999999' must be a whole number from 1 to 92." },
        { ["slots", "--type", "fault", "--days", "0"], "error: --days: '0' must be a whole number from 1 to 92." },
        { ["slots", "--type", "fault", "--days", "1e3"], "error: --days: '1e3' must be a whole number from 1 to 92." },
        { ["slots", "--type", "fault", "--limit", "2147483648"], "error: --limit: '2147483648' must be a whole number from 1 to 1000." },
        { ["agenda", "--technician", "1", "--date", "9999-12-31"], "error: --date: 9999-12-31 is beyond the booking horizon of 365 days (last day: " },
        { ["agenda", "--technician", "1", "--date", "0001-01-01"], "error: --date: 0001-01-01 is more than 365 days in the past (earliest: " },
        { ["agenda", "--technician", "1", "--date", "0000-01-01", "--email"], "error: --date: 0000-01-01 is more than 365 days in the past" },
        { ["technician", "time-off", "--technician", "1", "--from", "9999-12-31"], "error: --from: 9999-12-31 is beyond the booking horizon of 365 days (last day: " },
        { ["technician", "time-off", "--technician", "1", "--from", "0001-01-01"], "error: --from: 0001-01-01 is more than 365 days in the past (earliest: " },
        { ["technician", "time-off", "--technician", "1", "--from", Day, "--until", "9999-12-31T23:59"], "error: --until: 9999-12-31 is beyond the booking horizon" },
        { ["technician", "time-off", "--technician", "1", "--from", Day, "--until", "9999-12-31"], "error: --until: 9999-12-31 is beyond the booking horizon" },
        { ["technician", "time-off", "--technician", "1", "--from", "9999-12-31T23:59-12:00"], "error: --from: '9999-12-31T23:59-12:00' lies beyond the end of the calendar" },
        { ["technician", "time-off", "--technician", "1", "--from", "0001-01-01T08:00", "--until", Day], "error: --from: 0001-01-01 is more than 365 days in the past" },
    };

    [Theory]
    [MemberData(nameof(BadDates))]
    public async Task Verb_DateAtTheEndsOfTheCalendar_ClearRefusalExitTwoNothingWritten(string[] args, string expected)
    {
        await SetUpAsync();
        var before = await SnapshotAsync();

        var result = await _cli.RunAsync(args);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(expected, result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task Book_PastWithTwoTechnicians_SaysInThePastOnce()
    {
        await SetUpAsync();

        var result = await _cli.RunAsync("book", "--customer", "K1", "--type", "fault", "--at", "2020-02-04T10:00");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("error: 2020-02-04 10:00 +01 is in the past.", result.Stderr.Trim());
    }

    [Fact]
    public async Task Book_ConfiguredHorizon_RefusesBeyondAndAcceptsWithin()
    {
        await SetUpAsync();
        var environment = new Dictionary<string, string> { ["JOECASH_Scheduler__BookingHorizon"] = "30.00:00:00" };
        var far = CliDates.WorkingTuesday(weeksAhead: 6);
        var near = CliDates.WorkingTuesday(weeksAhead: 1);
        var before = await SnapshotAsync();

        var refused = await _cli.RunWithAsync(environment, "book", "--customer", "K1", "--type", "fault", "--at", far.At(11));
        var unchanged = await SnapshotAsync();
        var accepted = await _cli.RunWithAsync(environment, "book", "--customer", "K1", "--type", "fault", "--at", near.At(11));

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains($"{far.Text()} 11:00 (Europe/Berlin) is beyond the booking horizon of 30 days (latest start: ", refused.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, unchanged);
        Assert.True(accepted.ExitCode == 0, accepted.ToString());
    }

    [Fact]
    public async Task Slots_RangeBeyondTheHorizon_StopsAtItAndSaysSo()
    {
        await SetUpAsync();
        var environment = new Dictionary<string, string> { ["JOECASH_Scheduler__BookingHorizon"] = "20.00:00:00" };
        var latest = CliDates.Now + Duration.FromDays(20);

        var json = await _cli.RunWithAsync(environment, "slots", "--type", "fault", "--days", "92", "--limit", "1000", "--json");
        var text = await _cli.RunWithAsync(environment, "slots", "--type", "fault", "--days", "92", "--limit", "1");

        Assert.True(json.ExitCode == 0, json.ToString());
        var starts = json.Json.EnumerateArray().Select(s => InstantPattern.General.Parse(s.GetProperty("start").GetString()!).Value).ToArray();
        Assert.NotEmpty(starts);
        Assert.All(starts, s => Assert.True(s <= latest, $"{s} is after {latest}"));
        Assert.True(starts.Max() > latest - Duration.FromDays(7)); // clamped, not cut to nothing
        Assert.Contains("The booking horizon of 20 days ends the search at", text.Stdout, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> BadHorizons => new()
    {
        { "0", "Scheduler:BookingHorizon: '00:00:00' must be more than zero and at most 3650 days" },
        { "-1.00:00:00", "Scheduler:BookingHorizon: '-1.00:00:00' must be more than zero" },
        { "4000.00:00:00", "Scheduler:BookingHorizon: '4000.00:00:00' must be more than zero and at most 3650 days" },
        { "a year", "Scheduler:BookingHorizon" },
    };

    [Theory]
    [MemberData(nameof(BadHorizons))]
    public async Task AnyVerb_BadBookingHorizon_StopsNamingTheKey(string value, string expected)
    {
        var result = await _cli.RunWithAsync(new Dictionary<string, string> { ["JOECASH_Scheduler__BookingHorizon"] = value }, "types");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(expected, result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }
}
