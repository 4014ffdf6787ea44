using System.Globalization;
using System.Text;
using System.Text.Json;
using Dapper;
using JoeCash.Scheduler.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using NodaTime;

namespace JoeCash.Scheduler.Tests.Cli;

/// <summary>
/// Issue 16 on the command line: <c>outcome</c>, <c>billing export</c> and <c>customer history --done</c>, as a user
/// runs them; every bad input says what and where, exits 2 and changes nothing.
/// </summary>
public sealed class OutcomeCommandLineTests : IDisposable
{
    private static readonly DateTimeZone Berlin = DateTimeZoneProviders.Tzdb["Europe/Berlin"];

    private readonly TempDirectory _folder = new();
    private readonly Infrastructure.Cli _cli;

    public OutcomeCommandLineTests() => _cli = new Infrastructure.Cli(_folder);

    public void Dispose() => _folder.Dispose();

    private static void Ok(CliResult result) => Assert.True(result.ExitCode == 0, result.ToString());

    private static void Bad(CliResult result, string message)
    {
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
    }

    private async Task<string> StateAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={_cli.DatabasePath};Mode=ReadOnly;Pooling=False");
        var counts = await connection.QueryAsync<long>("""
            SELECT count(*) FROM appointments UNION ALL SELECT count(*) FROM appointment_outcomes UNION ALL SELECT count(*) FROM appointment_audit
            UNION ALL SELECT count(*) FROM billing_exports UNION ALL SELECT count(*) FROM outbox
            """);
        return string.Join(',', counts);
    }

    /// <summary>A training for K1 (acknowledged) and a fault, both moved to yesterday 05:00 and 07:00 Berlin; returns their ids.</summary>
    private async Task<(long Training, long Fault, long Future)> SetUpAsync()
    {
        Ok(await _cli.RunAsync("migrate"));
        Ok(await _cli.RunAsync("technician", "add", "--name", "Anna Berger", "--email", "anna@joecash.test", "--state", "BE", "--hours", "Mon-Fri 08:00-17:00"));
        Ok(await _cli.RunAsync("customer", "add", "--number", "K1", "--company", "Bäckerei Müller; Söhne", "--state", "BE", "--contact", "Erika",
            "--email", "erika@shop.test", "--rustdesk", "732 901 938"));
        var day = CliDates.WorkingTuesday();
        var ids = new List<long>();
        foreach (var (type, hour) in new[] { ("training", 9), ("fault", 11), ("fault", 14) })
        {
            var booked = await _cli.RunAsync("book", "--customer", "K1", "--type", type, "--at", day.At(hour), "--acknowledge-cost", "--json");
            Ok(booked);
            ids.Add(booked.Json.GetProperty("id").GetInt64());
        }

        var yesterday = CliDates.Today.PlusDays(-1);
        await using var connection = new SqliteConnection($"Data Source={_cli.DatabasePath};Pooling=False");
        foreach (var (id, hour) in new[] { (ids[0], 5), (ids[1], 7) })
        {
            var start = Berlin.AtStrictly(yesterday.At(new LocalTime(hour, 0))).ToInstant().ToUnixTimeMilliseconds();
            await connection.ExecuteAsync("UPDATE appointments SET starts_at = @start, ends_at = @end, blocked_from = @start, blocked_until = @end WHERE id = @id",
                new { id, start, end = start + 3_600_000 });
        }

        return (ids[0], ids[1], ids[2]);
    }

    [Fact]
    public async Task Outcome_BadInput_SaysWhatAndWhere_Exits2_AndChangesNothing()
    {
        var (training, fault, future) = await SetUpAsync();
        var before = await StateAsync();
        string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

        Bad(await _cli.RunAsync("outcome", Id(future), "done"), "has not begun");
        Bad(await _cli.RunAsync("outcome", Id(training), "finished"), "<RESULT>: 'finished' is not an outcome; use done, no-show or follow-up.");
        Bad(await _cli.RunAsync("outcome", Id(training), "no-show", "--minutes", "5"), "--minutes: only a session that was done has minutes.");
        Bad(await _cli.RunAsync("outcome", Id(training), "done", "--minutes", "0"), "--minutes");
        Bad(await _cli.RunAsync("outcome", Id(training), "done", "--at", "2030-01-01T10:00"), "--at, --type, --technician and --acknowledge-cost belong to a follow-up only.");
        Bad(await _cli.RunAsync("outcome", Id(training), "follow-up"), "--at is required for a follow-up");
        Bad(await _cli.RunAsync("outcome", Id(training), "done", "--note", new string('x', 4001)), "note is 4001 characters long; at most 4000");
        Bad(await _cli.RunAsync("outcome", "999", "done"), "there is no appointment 999");
        Bad(await _cli.RunAsync("outcome", Id(fault), "follow-up", "--at", "2020-01-01T10:00"), "the follow-up was not booked");

        Assert.Equal(before, await StateAsync());
    }

    [Fact]
    public async Task Outcome_ThenChanged_IsAudited_AndTheHistoryShowsTheSessionsHeld()
    {
        var (training, fault, _) = await SetUpAsync();
        var id = training.ToString(CultureInfo.InvariantCulture);

        var first = await _cli.RunAsync("outcome", id, "no-show", "--note", "RustDesk lief nicht");
        var second = await _cli.RunAsync("outcome", id, "done", "--minutes", "50", "--note", "=1+1 Kassenbuch", "--json");
        Ok(await _cli.RunAsync("outcome", fault.ToString(CultureInfo.InvariantCulture), "no-show"));

        Ok(first);
        Assert.Contains($"Appointment {id}: no-show.", first.Stdout, StringComparison.Ordinal);
        Ok(second);
        Assert.Equal(("done", 50, true), (second.Json.GetProperty("outcome").GetString(), second.Json.GetProperty("minutes").GetInt32(), second.Json.GetProperty("changed").GetBoolean()));
        var shown = await _cli.RunAsync("show", id, "--json");
        Assert.Contains("outcome-changed", shown.Stdout, StringComparison.Ordinal);

        var held = await _cli.RunAsync("customer", "history", "K1", "--done");
        var all = await _cli.RunAsync("customer", "history", "K1", "--json");
        Ok(held);
        Assert.Contains("done, 50 min", held.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("no-show", held.Stdout, StringComparison.Ordinal);
        Assert.Contains("1 session(s) of K1 that took place, newest first.", held.Stdout, StringComparison.Ordinal);
        Assert.Equal(["", "no-show", "done"], all.Json.EnumerateArray().Select(a => a.GetProperty("outcome").ValueKind == JsonValueKind.Null ? "" : a.GetProperty("outcome").GetString()));
    }

    [Fact]
    public async Task BillingExport_WritesTheMonth_AndRefusesBadInputWithoutAnAuditLine()
    {
        var (training, _, _) = await SetUpAsync();
        Ok(await _cli.RunAsync("outcome", training.ToString(CultureInfo.InvariantCulture), "done", "--minutes", "90", "--note", "@Chef bitte prüfen"));
        var month = CliDates.Today.PlusDays(-1).ToString("uuuu-MM", CultureInfo.InvariantCulture);
        var before = await StateAsync();

        Bad(await _cli.RunAsync("billing", "export", "--month", "2026-13"), "--month: '2026-13' is not a month such as 2026-12");
        Bad(await _cli.RunAsync("billing", "export", "--month", "2199-01"), "--month: 2199-01 has not begun yet");
        Bad(await _cli.RunAsync("billing", "export"), "--month is required");
        Bad(await _cli.RunAsync("billing", "export", "--month", month, "--format", "xlsx"), "--format: 'xlsx' is not a format; use csv or json.");
        Bad(await _cli.RunAsync("billing", "export", "--month", month, "--output", "/nonexistent/folder/x.csv"), "--output: the folder '/nonexistent/folder' does not exist.");
        Assert.Equal(before, await StateAsync());

        var written = await _cli.RunAsync("billing", "export", "--month", month, "--by", "Buchhaltung");
        var json = await _cli.RunAsync("billing", "export", "--month", month, "--format", "json", "--stdout");

        Ok(written);
        Assert.Contains($"1 billable session(s) of {month} written to ", written.Stdout, StringComparison.Ordinal);
        var csv = await File.ReadAllBytesAsync(_folder.File($"abrechnung-{month}.csv"));
        Assert.Equal([0xEF, 0xBB, 0xBF], csv.Take(3));
        var lines = Encoding.UTF8.GetString(csv[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Contains("\"Bäckerei Müller; Söhne\"", lines[1], StringComparison.Ordinal);
        Assert.Contains(";90;1,50;\"training\";", lines[1], StringComparison.Ordinal);
        Assert.EndsWith(";\"'@Chef bitte prüfen\"", lines[1], StringComparison.Ordinal);
        Ok(json);
        Assert.Equal(1, json.Json.GetProperty("count").GetInt32());
        Assert.Equal("'@Chef bitte prüfen", lines[1][(lines[1].LastIndexOf(";\"", StringComparison.Ordinal) + 2)..^1]);
        Assert.Equal("@Chef bitte prüfen", json.Json.GetProperty("sessions")[0].GetProperty("note").GetString());
        await using var connection = new SqliteConnection($"Data Source={_cli.DatabasePath};Mode=ReadOnly;Pooling=False");
        Assert.Equal(["Buchhaltung", Environment.UserName], await connection.QueryAsync<string>("SELECT actor FROM billing_exports ORDER BY id"));
    }
}
