using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Dapper;
using JoeCash.Scheduler.Booking;
using JoeCash.Scheduler.Customers;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Invoicing;
using JoeCash.Scheduler.Outcomes;
using JoeCash.Scheduler.Storage;
using JoeCash.Scheduler.Technicians;
using JoeCash.Scheduler.Tests.Infrastructure;
using NodaTime;
using NodaTime.Testing;

namespace JoeCash.Scheduler.Tests.Invoicing;

/// <summary>
/// Issue 16: October 2026 in Europe/Berlin — billable, covered, no-show, cancelled and follow-up sessions, one on the
/// night the clocks go back, two at each end of the month on either side of midnight — exported and compared line by
/// line with a hand-written file; then read by Python's csv module with Excel's dialect.
/// </summary>
public abstract class BillingExportTests(StorageProvider provider) : ProviderSuite(provider)
{
    public sealed class OnSqlite() : BillingExportTests(StorageProvider.Sqlite);

    public sealed class OnPostgres() : BillingExportTests(StorageProvider.PostgreSQL);

    private static readonly DateTimeZone Berlin = DateTimeZoneProviders.Tzdb["Europe/Berlin"];

    private readonly FakeClock _clock = new(Instant.FromUtc(2026, 9, 20, 8, 0));

    private static Instant Local(int m, int d, int h, int min = 0) => Berlin.AtStrictly(new LocalDateTime(2026, m, d, h, min)).ToInstant();

    private static string Expected => Path.Combine(AppContext.BaseDirectory, "Fixtures", "billing-2026-10.csv");

    /// <summary>The month, as the summary in the class comment says; returns the host with the clock on 2 November.</summary>
    private async Task<SchedulerHost> OctoberAsync()
    {
        var host = await StartHostAsync(clock: _clock);
        await using (var c = await host.Database.OpenAsync())
        {
            var types = new[] { "fault", "pricelist", "training", "third-party-hardware" };
            var hours = WeeklyHours.Parse("Mon-Sun 00:00-24:00").Value;
            await c.InsertTechnicianAsync(new NewTechnician("Anna Berger", "anna.berger@joecash.test", Berlin, FederalState.BE, hours, types, null), _clock.GetCurrentInstant());
            await c.InsertTechnicianAsync(new NewTechnician("Jörg Übel", "joerg.uebel@joecash.test", Berlin, FederalState.BE, hours, types, null), _clock.GetCurrentInstant());
            await Shop(c, "K100", "Bäckerei Müller; Söhne", "Filiale \"Altstadt\"", "kasse@baeckerei-mueller.test", contract: true);
            await Shop(c, "K200", "Café Größe", null, "info@cafe-groesse.test", contract: false);
            await Shop(c, "K300", "Kiosk Am Eck", "Bahnhof", "kiosk@am-eck.test", contract: true);
        }

        var s9 = await Book(host, "K100", "training", Local(9, 30, 22, 30));                       // 1: September
        var s1 = await Book(host, "K100", "training", Local(10, 1, 0, 30));                        // 2: the month's first minutes
        var s2 = await Book(host, "K200", "fault", Instant.FromUtc(2026, 10, 25, 0, 30), by: "shop:info@cafe-groesse.test"); // 3: 02:30 CEST – 02:30 CET
        var s3 = await Book(host, "K100", "third-party-hardware", Local(10, 26, 9), technician: "2"); // 4: acknowledged on the shop's page
        var s4 = await Book(host, "K300", "fault", Local(10, 27, 9));                               // 5: covered by the contract
        var s5 = await Book(host, "K100", "training", Local(10, 14, 10));                           // 6: no-show
        var s6 = await Book(host, "K100", "training", Local(10, 15, 10));                           // 7: cancelled
        var s7 = await Book(host, "K200", "fault", Local(11, 1, 0, 30));                            // 8: November, in Berlin
        var s8 = await Book(host, "K100", "training", Local(10, 31, 23));                           // 9: the month's last hour
        var s11 = await Book(host, "K300", "training", Local(10, 21, 9));                           // 10: needs a follow-up
        Assert.True((await host.Booking.CancelAsync(s6, 1, null, "Disposition Erika")).Succeeded);

        await using (var c = await host.Database.OpenAsync())
        {
            // K200 signs a support contract after booking: what was booked stays billable.
            await c.ExecuteAsync("UPDATE customers SET support_contract = TRUE WHERE number = 'K200'");
            // K100 accepted the cost notice of the hardware session on its own page (as SelfService records it).
            await c.ExecuteAsync(
                "INSERT INTO cost_acknowledgments (appointment_id, acknowledged_at, how, link_id, recipient, notice) VALUES (@id, @at, 'shop-link', NULL, @to, 'Fremdhardware …')",
                new { id = s3, at = Local(10, 20, 14, 5), to = "kasse@baeckerei-mueller.test" });
        }

        var outcomes = host.Get<OutcomeService>();
        _clock.Reset(Local(10, 21, 10, 30));
        var followUp = await outcomes.RecordAsync(new OutcomeRequest(s11, OutcomeKind.FollowUp, null, "Teil 2 folgt", new FollowUpRequest(Local(10, 28, 9), null, null, true), "anna.berger"));
        Assert.True(followUp.Succeeded, followUp.Refusal?.Message);                                // 11: the follow-up, done

        _clock.Reset(Local(11, 2, 8));
        await Done(outcomes, s9, null, "September");
        await Done(outcomes, s1, 75, "Kassenbuch erklärt; Umlaute: äöüß");
        await Done(outcomes, s2, null, "=HYPERLINK(\"http://evil.test\";\"klick\")");
        await Done(outcomes, s3, 90, "+49 Drucker; \"Epson\" angebunden\nzweite Zeile");
        await Done(outcomes, s4, null, "abgedeckt");
        Assert.True((await outcomes.RecordAsync(new OutcomeRequest(s5, OutcomeKind.NoShow, null, "nicht erreichbar", null, "anna.berger"))).Succeeded);
        await Done(outcomes, s7, null, "November");
        await Done(outcomes, s8, null, "-5% Rabatt besprochen");
        await Done(outcomes, followUp.Outcome!.FollowUpId!.Value, 45, null);
        return host;
    }

    private static Task<UpsertOutcome> Shop(System.Data.Common.DbConnection c, string number, string company, string? branch, string email, bool contract) =>
        c.UpsertCustomerAsync(CustomerInput.Create(number, company, branch, "Berlin", "BE", "Erika Muster", email, "+49 30 123456", "732 901 938", "de",
            contract ? "ja" : "nein", null).Value, Instant.FromUtc(2026, 9, 1, 0, 0));

    private static async Task<long> Book(SchedulerHost host, string customer, string type, Instant start, string technician = "1", string by = "Disposition Erika")
    {
        var booked = await host.Booking.BookAsync(new BookingRequest(customer, type, technician, start, null, AcknowledgeCost: true, by));
        Assert.True(booked.Succeeded, booked.Refusal?.Message);
        return booked.Appointment!.Id;
    }

    private static async Task Done(OutcomeService outcomes, long id, int? minutes, string? note)
    {
        var result = await outcomes.RecordAsync(new OutcomeRequest(id, OutcomeKind.Done, minutes, note, null, "anna.berger"));
        Assert.True(result.Succeeded, result.Refusal?.Message);
    }

    [Fact]
    public async Task ExportAsync_October_MatchesTheHandWrittenFileLineByLine_AndTwiceTheSame_WithAnAuditLineEach()
    {
        await using var host = await OctoberAsync();
        var export = host.Get<BillingExport>();

        var first = (await export.ExportAsync("2026-10", BillingFormat.Csv, "Disposition Erika")).Value;
        var second = (await export.ExportAsync("2026-10", BillingFormat.Csv, "Buchhaltung")).Value;

        var expected = await File.ReadAllBytesAsync(Expected);
        Assert.Equal([0xEF, 0xBB, 0xBF], first.Content.Take(3));
        var expectedLines = Encoding.UTF8.GetString(expected).Split("\r\n");
        var actualLines = Encoding.UTF8.GetString(first.Content).Split("\r\n");
        for (var i = 0; i < Math.Max(expectedLines.Length, actualLines.Length); i++)
        {
            Assert.Equal(expectedLines.ElementAtOrDefault(i), actualLines.ElementAtOrDefault(i));
        }

        Assert.Equal(expected, first.Content);
        Assert.Equal(first.Content, second.Content);
        Assert.Equal((5, "abrechnung-2026-10.csv"), (first.Lines, first.FileName));
        var audit = await export.HistoryAsync(10);
        Assert.Equal([("Buchhaltung", "2026-10", 5), ("Disposition Erika", "2026-10", 5)], audit.Select(a => (a.Actor, a.Month, a.Lines)));
        Assert.Equal(audit[0].Sha256, audit[1].Sha256);
        Assert.Equal(Local(11, 2, 8), audit[0].At);
    }

    [Fact]
    public async Task ExportAsync_ChangesNoRecord_AndTheNeighbouringMonthsHoldTheirOwnSessions()
    {
        await using var host = await OctoberAsync();
        var export = host.Get<BillingExport>();
        var before = await SnapshotAsync(host);

        var september = (await export.ExportAsync("2026-09", BillingFormat.Json, "dispo")).Value;
        var november = (await export.ExportAsync("2026-11", BillingFormat.Json, "dispo")).Value;
        var october = JsonDocument.Parse((await export.ExportAsync("2026-10", BillingFormat.Json, "dispo")).Value.Content).RootElement;

        Assert.Equal(before, await SnapshotAsync(host));
        Assert.Equal([1L], Ids(JsonDocument.Parse(september.Content).RootElement));
        Assert.Equal([8L], Ids(JsonDocument.Parse(november.Content).RootElement));
        Assert.Equal([2L, 3L, 4L, 11L, 9L], Ids(october));
        Assert.Equal((5, 330), (october.GetProperty("count").GetInt32(), october.GetProperty("minutes").GetInt32()));
        var dst = october.GetProperty("sessions")[1];
        Assert.Equal(("2026-10-25T02:30:00+02:00", "2026-10-25T02:30:00+01:00"), (dst.GetProperty("start").GetString(), dst.GetProperty("end").GetString()));
        Assert.Equal(("shop-page", "no-support-contract"), (dst.GetProperty("costAcknowledgedHow").GetString(), dst.GetProperty("billingReason").GetString()));
        Assert.Equal("2026-10-01", october.GetProperty("sessions")[0].GetProperty("date").GetString());
        Assert.Equal("dispatcher-phone", october.GetProperty("sessions")[0].GetProperty("costAcknowledgedHow").GetString());
    }

    [Theory]
    [InlineData("2026-13", "month: '2026-13' is not a month such as 2026-12")]
    [InlineData("10/2026", "month: '10/2026' is not a month")]
    [InlineData("", "is not a month")]
    [InlineData("2026-12", "month: 2026-12 has not begun yet")]
    public async Task ExportAsync_BadMonth_IsRefused_AndLeavesNoAuditLine(string month, string message)
    {
        await using var host = await StartHostAsync(clock: new FakeClock(Instant.FromUtc(2026, 11, 2, 8, 0)));
        var export = host.Get<BillingExport>();

        var result = await export.ExportAsync(month, BillingFormat.Csv, "dispo");

        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.Empty(await export.HistoryAsync(10));
    }

    [Fact]
    public async Task Csv_ReadByPythonsCsvModuleWithExcelsDialect_KeepsUmlautsSeparatorsAndFormulaLikeNotesAsText()
    {
        await using var host = await OctoberAsync();
        var file = (await host.Get<BillingExport>().ExportAsync("2026-10", BillingFormat.Csv, "dispo")).Value;
        using var folder = new TempDirectory();
        var path = folder.File(file.FileName);
        await File.WriteAllBytesAsync(path, file.Content);

        var rows = await PythonCsvAsync(path);

        Assert.Equal(6, rows.Length);
        Assert.All(rows, r => Assert.Equal(17, r.Length));
        Assert.Equal("Termin", rows[0][0]);
        Assert.Equal("Kostenhinweis bestätigt am", rows[0][14]);
        Assert.Equal(("Bäckerei Müller; Söhne", "Filiale \"Altstadt\""), (rows[1][2], rows[1][3]));
        Assert.Equal("Kassenbuch erklärt; Umlaute: äöüß", rows[1][16]);
        Assert.Equal(("25.10.2026", "02:30", "02:30", "MESZ bis MEZ", "1,00"), (rows[2][4], rows[2][5], rows[2][6], rows[2][7], rows[2][9]));
        Assert.Equal("'=HYPERLINK(\"http://evil.test\";\"klick\")", rows[2][16]);
        Assert.Equal("'+49 Drucker; \"Epson\" angebunden\r\nzweite Zeile", rows[3][16]);
        Assert.Equal("Jörg Übel", rows[3][13]);
        Assert.Equal("'-5% Rabatt besprochen", rows[5][16]);
        // No text cell a spreadsheet would evaluate: none begins with = + - @.
        Assert.DoesNotContain(rows.SelectMany(r => r), cell => cell.Length > 0 && cell[0] is '=' or '+' or '-' or '@');
    }

    /// <summary>The rows as Python's csv module reads the file with Excel's dialect (and ';', as German Excel writes it).</summary>
    private static async Task<string[][]> PythonCsvAsync(string path)
    {
        const string Script = """
            import csv, json, sys
            with open(sys.argv[1], encoding='utf-8-sig', newline='') as f:
                print(json.dumps(list(csv.reader(f, dialect='excel', delimiter=';'))))
            """;
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true, StandardOutputEncoding = Encoding.UTF8 };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Script);
        start.ArgumentList.Add(path);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Assert.Fail($"python3 is needed to read the CSV with a reader that is not ours, and could not be started: {e.Message}");
            throw;
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, $"python3 failed: {await stderr}");
            return JsonSerializer.Deserialize<string[][]>(await stdout)!;
        }
    }

    private static long[] Ids(JsonElement export) => [.. export.GetProperty("sessions").EnumerateArray().Select(s => s.GetProperty("appointment").GetInt64())];

    private static async Task<string> SnapshotAsync(SchedulerHost host)
    {
        await using var c = await host.Database.OpenAsync();
        var appointments = await c.QueryAsync<string>("SELECT id || ':' || status || ':' || version || ':' || updated_at FROM appointments ORDER BY id");
        var outcomes = await c.QueryAsync<string>("SELECT appointment_id || ':' || outcome || ':' || recorded_at FROM appointment_outcomes ORDER BY appointment_id");
        var audit = await c.ExecuteScalarAsync<long>("SELECT count(*) FROM appointment_audit");
        return string.Join('|', appointments) + "#" + string.Join('|', outcomes) + "#" + audit;
    }
}
