using Dapper;
using JoeCash.Scheduler.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace JoeCash.Scheduler.Tests.Cli;

/// <summary>The executable as a user runs it: a separate process in an empty folder, checked by output and exit code.</summary>
public sealed class CommandLineTests : IDisposable
{
    private readonly TempDirectory _folder = new();
    private readonly Infrastructure.Cli _cli;

    public CommandLineTests() => _cli = new Infrastructure.Cli(_folder);

    public void Dispose() => _folder.Dispose();

    private async Task<long> CountAsync(string table)
    {
        await using var connection = new SqliteConnection($"Data Source={_cli.DatabasePath};Pooling=False");
        return await connection.ExecuteScalarAsync<long>($"SELECT count(*) FROM {table}");
    }

    /// <summary>A booking horizon that reaches the clock-change days of 2028.</summary>
    private static readonly Dictionary<string, string> FarHorizon = new() { ["JOECASH_Scheduler__BookingHorizon"] = "1500.00:00:00" };

    private async Task SetUpAsync()
    {
        Assert.Equal(0, (await _cli.RunAsync("migrate")).ExitCode);
        var technician = await _cli.RunAsync("technician", "add", "--name", "Anna Berger", "--email", "anna@joecash.test", "--state", "BY", "--hours", "Mon-Fri 08:00-17:00; Sun 00:00-06:00");
        Assert.True(technician.ExitCode == 0, technician.ToString());
        var customer = await _cli.RunAsync("customer", "add", "--number", "K1", "--company", "Bäckerei Müller", "--state", "BY", "--contact", "Erika", "--email", "erika@shop.test", "--rustdesk", "732 901 938");
        Assert.True(customer.ExitCode == 0, customer.ToString());
    }

    [Fact]
    public async Task Migrate_EmptyFolderThenAgain_CreatesTheFileThenReportsUpToDate()
    {
        var first = await _cli.RunAsync("migrate");
        var second = await _cli.RunAsync("migrate", "--json");

        Assert.Equal(0, first.ExitCode);
        Assert.Contains("applied 1", first.Stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(_cli.DatabasePath));
        Assert.Equal(0, second.ExitCode);
        Assert.Equal(0, second.Json.GetProperty("applied").GetArrayLength());
    }

    [Fact]
    public async Task Demo_RunTwice_SecondRunChangesNothingAndTheAgendaShowsTheDay()
    {
        var first = await _cli.RunAsync("demo", "--json");
        var second = await _cli.RunAsync("demo", "--json");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal(5, first.Json.GetProperty("bookedNow").GetInt32());
        Assert.Equal(0, second.Json.GetProperty("bookedNow").GetInt32());
        Assert.Equal(5, second.Json.GetProperty("appointments").GetInt32());
        Assert.Equal(3, await CountAsync("technicians"));

        var day = first.Json.GetProperty("firstDay").GetString()!;
        var agendas = await Task.WhenAll(new[] { "1", "2", "3" }.Select(t => _cli.RunAsync("agenda", "--technician", t, "--date", day, "--json")));
        var entries = agendas.SelectMany(a => a.Json.GetProperty("appointments").EnumerateArray()).ToArray();
        Assert.NotEmpty(entries);
        Assert.All(entries, e => Assert.StartsWith(day, e.GetProperty("start").GetString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task BookRescheduleCancel_EndToEnd_VersionsGuardEveryChange()
    {
        await SetUpAsync();
        var day = CliDates.WorkingTuesday();

        var booked = await _cli.RunAsync("book", "--customer", "K1", "--type", "fault", "--technician", "anna@joecash.test", "--at", day.At(10), "--notes", "Bondrucker", "--json");
        Assert.True(booked.ExitCode == 0, booked.ToString());
        var id = booked.Json.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(day.Utc(10), booked.Json.GetProperty("start").GetString());
        Assert.Equal(day.Local(10), booked.Json.GetProperty("localStart").GetString());
        Assert.Equal("732901938", booked.Json.GetProperty("rustDeskId").GetString());

        var clash = await _cli.RunAsync("book", "--customer", "K1", "--type", "fault", "--at", day.At(10, 30));
        Assert.Equal(2, clash.ExitCode);
        Assert.Contains("Nearest free alternatives", clash.Stderr, StringComparison.Ordinal);

        var stale = await _cli.RunAsync("reschedule", id, "--version", "7", "--at", day.At(14));
        Assert.Equal(2, stale.ExitCode);
        Assert.Contains("is at version 1, not 7", stale.Stderr, StringComparison.Ordinal);

        var moved = await _cli.RunAsync("reschedule", id, "--version", "1", "--at", day.At(14), "--json");
        Assert.True(moved.ExitCode == 0, moved.ToString());
        Assert.Equal(1, moved.Json.GetProperty("sequence").GetInt32());
        Assert.Equal(2, moved.Json.GetProperty("version").GetInt32());

        var cancelled = await _cli.RunAsync("cancel", id, "--version", "2", "--reason", "Shop closed", "--json");
        Assert.True(cancelled.ExitCode == 0, cancelled.ToString());
        Assert.Equal("cancelled", cancelled.Json.GetProperty("status").GetString());

        var shown = await _cli.RunAsync("show", id, "--json");
        var actions = shown.Json.GetProperty("audit").EnumerateArray().Select(a => a.GetProperty("action").GetString()).ToArray();
        Assert.Equal(["booked", "rescheduled", "cancelled"], actions);

        var table = await _cli.RunAsync("show", id);
        Assert.Contains("Shop closed", table.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Book_AutumnOverlap_NeedsAChoiceAndBothOccurrencesAreRealInstants()
    {
        await SetUpAsync();

        var unclear = await _cli.RunAsync("book", "--customer", "K1", "--type", "fault", "--technician", "1", "--at", "2027-10-31T02:30");
        var later = await _cli.RunAsync("book", "--customer", "K1", "--type", "fault", "--technician", "1", "--at", "2027-10-31T02:30", "--later", "--json");
        var earlier = await _cli.RunAsync("book", "--customer", "K1", "--type", "fault", "--technician", "1", "--at", "2027-10-31T02:30", "--earlier");

        Assert.Equal(2, unclear.ExitCode);
        Assert.Contains("occurs twice in Europe/Berlin (at +02 and at +01)", unclear.Stderr, StringComparison.Ordinal);
        Assert.True(later.ExitCode == 0, later.ToString());
        Assert.Equal("2027-10-31T01:30:00Z", later.Json.GetProperty("start").GetString());
        Assert.Equal(2, earlier.ExitCode); // 00:30Z–01:30Z plus its buffer runs into the later one
        Assert.Contains("busy", earlier.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Slots_AutumnChangeDayNightTechnician_BothTwoOClockHoursEachTimeWithItsZone()
    {
        Assert.Equal(0, (await _cli.RunAsync("migrate")).ExitCode);
        Assert.Equal(0, (await _cli.RunAsync("technician", "add", "--name", "Nora Nacht", "--email", "nora@joecash.test", "--state", "BY", "--hours", "Mon-Sun 00:00-23:59")).ExitCode);
        Assert.Equal(0, (await _cli.RunAsync("customer", "add", "--number", "K1", "--company", "Bäckerei Müller", "--state", "BY", "--contact", "Erika", "--email", "erika@shop.test", "--rustdesk", "732 901 938")).ExitCode);

        // 2028 is beyond the default booking horizon of 365 days: this installation plans further ahead.
        var json = await _cli.RunWithAsync(FarHorizon, "slots", "--type", "fault", "--technician", "1", "--from", "2028-10-29", "--days", "1", "--limit", "1000", "--json");
        var table = await _cli.RunWithAsync(FarHorizon, "slots", "--type", "fault", "--technician", "1", "--from", "2028-10-29", "--days", "1", "--limit", "16");
        var later = await _cli.RunWithAsync(FarHorizon, "book", "--customer", "K1", "--type", "fault", "--technician", "1", "--at", "2028-10-29T02:30", "--later");
        var earlier = await _cli.RunWithAsync(FarHorizon, "book", "--customer", "K1", "--type", "fault", "--technician", "1", "--at", "2028-10-29T01:00", "--earlier");
        var agenda = await _cli.RunWithAsync(FarHorizon, "agenda", "--technician", "1", "--date", "2028-10-29");
        var email = await _cli.RunWithAsync(FarHorizon, "agenda", "--technician", "1", "--date", "2028-10-29", "--email");

        var locals = json.Json.EnumerateArray().Select(s => s.GetProperty("local").GetString()).ToArray();
        Assert.Equal(96, locals.Length);
        Assert.Contains("2028-10-29T02:00:00+02:00", locals);
        Assert.Contains("2028-10-29T02:00:00+01:00", locals);
        Assert.Contains("│ Sun 2028-10-29 02:00 CEST │ 02:00 CET  │", table.Stdout, StringComparison.Ordinal);
        Assert.Contains("│ Sun 2028-10-29 02:00 CET  │ 03:00 CET  │", table.Stdout, StringComparison.Ordinal);
        Assert.Contains("Sun 2028-10-29 02:30 CET – 03:30 CET Europe/Berlin", later.Stdout, StringComparison.Ordinal);
        Assert.Contains("Sun 2028-10-29 01:00 CEST – 02:00 CEST Europe/Berlin", earlier.Stdout, StringComparison.Ordinal);
        Assert.Contains("01:00 CEST – 02:00 CEST", agenda.Stdout, StringComparison.Ordinal);
        Assert.Contains("02:30 CET – 03:30 CET", agenda.Stdout, StringComparison.Ordinal);
        Assert.Contains("\n01:00 MESZ – 02:00 MESZ  Bäckerei Müller (K1)\n", email.Stdout, StringComparison.Ordinal);
        Assert.Contains("\n02:30 MEZ – 03:30 MEZ  Bäckerei Müller (K1)\n", email.Stdout, StringComparison.Ordinal);
    }

    public static TheoryData<string[], string> BadInput => new()
    {
        { ["book", "--customer", "K1", "--type", "fault", "--technician", "1", "--at", CliDates.NextSpringForward().At(2, 30)], "does not exist in Europe/Berlin: that night the clocks jump from 02:00 to 03:00" },
        { ["book", "--customer", "K1", "--type", "fault", "--at", "2027-02-02 25:00"], "--at: '2027-02-02 25:00' is not a date and time" },
        { ["book", "--customer", "K1", "--type", "fault", "--at", "2020-02-04T10:00"], "is in the past" },
        { ["book", "--customer", "K1", "--type", "fault", "--at", CliDates.WorkingTuesday().At(18)], "outside Anna Berger's working hours" },
        { ["book", "--customer", "K1", "--type", "training", "--at", CliDates.WorkingTuesday().At(10)], "needs the shop's acknowledgment of the cost notice" },
        { ["book", "--customer", "K9", "--type", "fault", "--at", CliDates.WorkingTuesday().At(10)], "no shop with number 'K9'" },
        { ["book", "--customer", "K1", "--type", "fault", "--at", CliDates.WorkingTuesday().At(10), "--zone", "Mars/Olympus"], "--zone: 'Mars/Olympus' is not an IANA time zone id" },
        { ["book", "--customer", "K1", "--type", "fault"], "--at is required" },
        { ["technician", "add", "--name", "Max", "--email", "max@", "--state", "BY"], "--email: 'max@' is not an email address" },
        { ["technician", "add", "--name", "Max", "--email", "max@joecash.test", "--state", "BY", "--hours", "Mon-Fri 17:00-08:00"], "the end is not after the start" },
        { ["technician", "add", "--name", "Max\r\nBcc: evil@example.test", "--email", "max@joecash.test", "--state", "BY"], "--name contains an invisible control or format character (U+000D)" },
        { ["customer", "add", "--number", "K2", "--company", "X", "--state", "BY", "--contact", "Y", "--email", "y@shop.test", "--rustdesk", "12 34"], "--rustdesk: '12 34' has 4 digits" },
        { ["customer", "add", "--number", "K2", "--company", "X", "--state", "BY", "--contact", "Y", "--email", "y@"], "--email: 'y@' is not an email address" },
        { ["customer", "add", "--number", "K2", "--company", "X", "--state", "BY", "--contact", "Y", "--email", "y@shop.test", "--rustdesk", "9abcdef"], "is not a RustDesk ID" },
        { ["slots", "--type", "massage"], "unknown appointment type 'massage'" },
        { ["show", "abc"], "<ID>: 'abc' must be a whole number from 1" },
        { ["mail", "list", "--limit", "viele"], "--limit: 'viele' must be a whole number from 1 to 10000" },
        { ["replies", "list", "--limit", "0"], "--limit: '0' must be a whole number from 1 to 10000" },
        { ["reschedule", "1", "--version", "abc", "--at", CliDates.WorkingTuesday().At(10)], "--version: 'abc' must be a whole number from 1" },
        { ["cancel", "1", "--version", "-1"], "--version: '-1' must be a whole number from 1" },
        { ["mail", "retry", "first"], "<ID>: 'first' must be a whole number from 1" },
        { ["customer", "history", "K1", "--before", "gestern"], "--before: 'gestern' must be a whole number from 1" },
        { ["technician", "add", "--name", "Max", "--email", "max@joecash.test", "--state", "BY", "--daily-cap", "zero"], "--daily-cap: 'zero' is not a whole number of at least 1" },
        { ["book", "--customer", "K1", "--type", "fault", "--customer", "K2", "--at", CliDates.WorkingTuesday().At(10)], "--customer is given more than once: give it once." },
        { ["cancel", "1", "--version", "1", "--version=2"], "--version is given more than once" },
        { ["frobnicate"], "Unknown command 'frobnicate'" },
    };

    [Theory]
    [MemberData(nameof(BadInput))]
    public async Task Verb_BadInput_ExitsWithTwoAClearMessageAndWritesNothing(string[] args, string message)
    {
        await SetUpAsync();
        var before = (await CountAsync("appointments"), await CountAsync("technicians"), await CountAsync("customers"));

        var result = await _cli.RunAsync(args);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, (await CountAsync("appointments"), await CountAsync("technicians"), await CountAsync("customers")));
    }

    [Fact]
    public async Task CustomerImport_SampleExport_RefusedWholeWithLineNumbers()
    {
        await SetUpAsync();

        var result = await _cli.RunAsync("customer", "import", Paths.ShopsCsv);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("nothing imported; 2 bad row(s)", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("line 17 (K10016)", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("line 18 (K10017)", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, await CountAsync("customers"));
    }

    [Fact]
    public async Task CustomerImport_RepairedExport_ImportsThenReimportsUnchanged()
    {
        await SetUpAsync();
        var repaired = _folder.File("shops.csv");
        await File.WriteAllTextAsync(repaired, (await File.ReadAllTextAsync(Paths.ShopsCsv))
            .Replace("Kasse_Stuttgart16", "Kasse_Stgt16", StringComparison.Ordinal)
            .Replace("Kasse_Esslingen17", "Kasse_Essl17", StringComparison.Ordinal), new System.Text.UTF8Encoding(true));

        var first = await _cli.RunAsync("customer", "import", repaired, "--json");
        var second = await _cli.RunAsync("customer", "import", repaired, "--json");
        var list = await _cli.RunAsync("customer", "list");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal(30, first.Json.GetProperty("added").GetInt32());
        Assert.Equal(1, first.Json.GetProperty("withoutRustDeskId").GetInt32());
        Assert.Equal(30, second.Json.GetProperty("unchanged").GetInt32());
        Assert.Contains("Metzgerei Schäfer & Söhne – Filiale Ehrenfeld", list.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Slots_Json_OnTheQuarterHourWithinWorkingHours()
    {
        await SetUpAsync();
        var day = CliDates.WorkingTuesday();

        var result = await _cli.RunAsync("slots", "--type", "pricelist", "--from", day.Text(), "--days", "1", "--limit", "100", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var locals = result.Json.EnumerateArray().Select(s => s.GetProperty("local").GetString()!).ToArray();
        Assert.Equal(day.Local(8), locals[0]);
        Assert.Equal(day.Local(15, 30), locals[^1]); // 90 minutes must end by 17:00
        Assert.Equal(31, locals.Length);
    }

    [Fact]
    public async Task Types_Json_ListsTheFourPolicyTypesWithBillableFlags()
    {
        var result = await _cli.RunAsync("types", "--json");

        var billable = result.Json.EnumerateArray().ToDictionary(t => t.GetProperty("key").GetString()!, t => t.GetProperty("billable").GetBoolean());
        Assert.Equal(new Dictionary<string, bool> { ["fault"] = false, ["pricelist"] = false, ["training"] = true, ["third-party-hardware"] = true }, billable);
    }

    [Fact]
    public async Task Agenda_TextTable_ShowsWhatTheCallNeeds()
    {
        await SetUpAsync();
        var day = CliDates.WorkingTuesday();
        var booked = await _cli.RunAsync("book", "--customer", "K1", "--type", "training", "--technician", "1", "--at", day.At(10), "--acknowledge-cost", "--notes", "Kassenbuch");
        Assert.True(booked.ExitCode == 0, booked.ToString());

        var agenda = await _cli.RunAsync("agenda", "--technician", "anna@joecash.test", "--date", day.Text());

        Assert.Equal(0, agenda.ExitCode);
        foreach (var expected in new[] { "Anna Berger", $"Tuesday, {day.Text()}", "10:00–11:00", "Bäckerei Müller (K1)", "732 901 938", "training", "(billable)", "Kassenbuch", "needs-action" })
        {
            Assert.Contains(expected, agenda.Stdout, StringComparison.Ordinal);
        }
    }

    public static TheoryData<string, string, string> BadConfiguration => new()
    {
        { "JOECASH_Reminders__SweepInterval", "00:00:00", "Reminders:SweepInterval" },
        { "JOECASH_Scheduler__TimeZone", "Europe/Atlantis", "Scheduler:TimeZone: 'Europe/Atlantis' is not an IANA time zone id" },
        { "JOECASH_Mail__From", "support at joecash", "Mail:From" },
        { "JOECASH_Agenda__Hour", "25", "Agenda:Hour: 25" },
        { "JOECASH_AppointmentTypes__2__CostNoticeDe", "", "AppointmentTypes:2: a billable type needs CostNoticeDe" },
        { "JOECASH_Mail__Smtp__Username", "support", "Mail:Smtp:Username and Mail:Smtp:Password go together" },
    };

    [Theory]
    [MemberData(nameof(BadConfiguration))]
    public async Task AnyVerb_BadConfigurationValue_StopsNamingTheKey(string variable, string value, string expected)
    {
        var environment = new Dictionary<string, string> { [variable] = value };
        if (variable.Contains("Smtp", StringComparison.Ordinal))
        {
            environment["JOECASH_Mail__Smtp__Host"] = "127.0.0.1";
        }

        var result = await _cli.RunWithAsync(environment, "types");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(expected, result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal); // a message, not a stack trace
    }
}
