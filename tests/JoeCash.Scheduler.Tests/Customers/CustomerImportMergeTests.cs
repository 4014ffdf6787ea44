using System.Text;
using Dapper;
using JoeCash.Scheduler.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace JoeCash.Scheduler.Tests.Customers;

/// <summary>
/// Issue 7: an import or an add never deletes what it was not told about. Through the real command
/// line: a column the file lacks keeps the stored value, an empty cell clears it, the summary says
/// field by field what changed, and --dry-run shows the same without writing.
/// </summary>
public sealed class CustomerImportMergeTests : IDisposable
{
    private const string FullHeader = "Kundennummer;Firma;Filiale;Ort;Bundesland;Ansprechpartner;E-Mail;Telefon;RustDesk-ID;Sprache;Supportvertrag;Öffnungszeiten";
    private const string FullRow = "K10001;Bäckerei Müller GmbH;Filiale Schwabing;München;BY;Mehmet Richter;kasse@mueller.test;+49 543 4241717;732 901 938;de;ja;Mo-Fr 08:00-18:00";

    private readonly TempDirectory _folder = new();
    private readonly Infrastructure.Cli _cli;

    public CustomerImportMergeTests() => _cli = new Infrastructure.Cli(_folder);

    public void Dispose() => _folder.Dispose();

    private async Task<string> CsvAsync(string name, params string[] lines)
    {
        var path = _folder.File(name);
        await File.WriteAllTextAsync(path, string.Join("\r\n", lines) + "\r\n", new UTF8Encoding(true));
        return path;
    }

    private async Task<CliResult> ImportFullAsync()
    {
        Assert.Equal(0, (await _cli.RunAsync("migrate")).ExitCode);
        var result = await _cli.RunAsync("customer", "import", await CsvAsync("full.csv", FullHeader, FullRow));
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }

    private async Task<string> ListJsonAsync()
    {
        var list = await _cli.RunAsync("customer", "list", "--json");
        Assert.True(list.ExitCode == 0, list.ToString());
        return list.Stdout;
    }

    private async Task<(long Customers, string UpdatedAt)> RowStateAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={_cli.DatabasePath};Pooling=False");
        var count = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM customers");
        var updated = await connection.ExecuteScalarAsync<string>("SELECT group_concat(number || '@' || updated_at) FROM customers");
        return (count, updated ?? "");
    }

    [Fact]
    public async Task Import_OnlyRequiredColumns_KeepsEveryOtherFieldAndReportsUnchanged()
    {
        await ImportFullAsync();
        var before = await ListJsonAsync();

        var result = await _cli.RunAsync("customer", "import", await CsvAsync("min.csv",
            "Kundennummer;Firma;Bundesland;Ansprechpartner;E-Mail",
            "K10001;Bäckerei Müller GmbH;BY;Mehmet Richter;kasse@mueller.test"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Imported 1 shops: 0 added, 0 updated, 1 unchanged.", result.Stdout, StringComparison.Ordinal);
        Assert.Equal(before, await ListJsonAsync());
        Assert.Contains("\"supportContract\": true", before, StringComparison.Ordinal);
        Assert.Contains("\"rustDeskId\": \"732901938\"", before, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_EmptyCells_ClearOnlyThoseAndSayWhatChangedPerField()
    {
        await ImportFullAsync();

        var result = await _cli.RunAsync("customer", "import", await CsvAsync("edit.csv",
            "Kundennummer;Firma;Bundesland;Ansprechpartner;E-Mail;Telefon;RustDesk-ID;Supportvertrag",
            "K10001;Bäckerei Müller GmbH;BY;Mehmet Richter;kasse@mueller.test;+49 30 1111;;nein"));
        var list = await _cli.RunAsync("customer", "list", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("0 added, 1 updated, 0 unchanged", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("K10001: phone '+49 543 4241717' → '+49 30 1111'; rustdesk_id cleared; support_contract yes → no", result.Stdout, StringComparison.Ordinal);
        var shop = list.Json.EnumerateArray().Single();
        Assert.Equal("Filiale Schwabing", shop.GetProperty("branch").GetString());
        Assert.Equal("München", shop.GetProperty("city").GetString());
        Assert.Equal("Mo-Fr 08:00-18:00", shop.GetProperty("openingHours").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, shop.GetProperty("rustDeskId").ValueKind);
        Assert.False(shop.GetProperty("supportContract").GetBoolean());
    }

    [Fact]
    public async Task Import_DryRun_ReportsTheSameChangesAndWritesNothing()
    {
        await ImportFullAsync();
        var file = await CsvAsync("edit.csv",
            "Kundennummer;Firma;Ort;Bundesland;Ansprechpartner;E-Mail;Öffnungszeiten",
            "K10001;Bäckerei Müller GmbH;Garching;BY;Mehmet Richter;kasse@mueller.test;",
            "K10002;Friseur Schnittpunkt;Berlin;BE;Marie Hoffmann;marie@schnitt.test;Di-Sa 09:00-18:00");
        var before = (await ListJsonAsync(), await RowStateAsync());

        var dry = await _cli.RunAsync("customer", "import", file, "--dry-run");
        var afterDry = (await ListJsonAsync(), await RowStateAsync());
        var real = await _cli.RunAsync("customer", "import", file);

        Assert.True(dry.ExitCode == 0, dry.ToString());
        Assert.Contains("Dry run, nothing written", dry.Stdout, StringComparison.Ordinal);
        Assert.Contains("1 added, 1 updated, 0 unchanged", dry.Stdout, StringComparison.Ordinal);
        Assert.Equal(before, afterDry);
        const string Change = "K10001: city 'München' → 'Garching'; opening_hours cleared";
        Assert.Contains(Change, dry.Stdout, StringComparison.Ordinal);
        Assert.Contains(Change, real.Stdout, StringComparison.Ordinal);
        Assert.Contains("K10002", dry.Stdout, StringComparison.Ordinal);
        Assert.Equal(2, (await RowStateAsync()).Customers);
    }

    [Fact]
    public async Task Import_DryRunJson_ListsFieldsWithBeforeAndAfter()
    {
        await ImportFullAsync();

        var dry = await _cli.RunAsync("customer", "import", "--dry-run", "--json", await CsvAsync("edit.csv",
            "Kundennummer;Firma;Bundesland;Ansprechpartner;E-Mail;Filiale",
            "K10001;Bäckerei Müller GmbH;BY;Mehmet Richter;kasse@mueller.test;Filiale Pasing"));

        Assert.True(dry.ExitCode == 0, dry.ToString());
        Assert.True(dry.Json.GetProperty("dryRun").GetBoolean());
        var field = dry.Json.GetProperty("changes")[0].GetProperty("fields").EnumerateArray().Single();
        Assert.Equal("branch", field.GetProperty("field").GetString());
        Assert.Equal("Filiale Schwabing", field.GetProperty("from").GetString());
        Assert.Equal("Filiale Pasing", field.GetProperty("to").GetString());
    }

    [Fact]
    public async Task Import_LowerCaseNumber_UpdatesTheSameShop()
    {
        await ImportFullAsync();

        var result = await _cli.RunAsync("customer", "import", await CsvAsync("lower.csv",
            "Kundennummer;Firma;Bundesland;Ansprechpartner;E-Mail;Ort",
            "k10001;Bäckerei Müller GmbH;BY;Mehmet Richter;kasse@mueller.test;Freising"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("K10001: city 'München' → 'Freising'", result.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, (await RowStateAsync()).Customers);
    }

    [Fact]
    public async Task Import_ShopStoredWithALowerCaseNumber_TakesTheUpperCaseFormInsteadOfASecondShop()
    {
        await ImportFullAsync();
        await using (var connection = new SqliteConnection($"Data Source={_cli.DatabasePath};Pooling=False"))
        {
            // As an earlier version stored what the user typed.
            await connection.ExecuteAsync("UPDATE customers SET number = 'k10001'");
        }

        var found = await _cli.RunAsync("slots", "--type", "fault", "--customer", "K10001", "--days", "1");
        var result = await _cli.RunAsync("customer", "import", await CsvAsync("upper.csv",
            "Kundennummer;Firma;Bundesland;Ansprechpartner;E-Mail",
            "K10001;Bäckerei Müller GmbH;BY;Mehmet Richter;kasse@mueller.test"));

        Assert.DoesNotContain("no shop with number", found.Stderr, StringComparison.Ordinal);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("K10001: number 'k10001' → 'K10001'", result.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, (await RowStateAsync()).Customers);
    }

    public static TheoryData<string, string> BadFiles => new()
    {
        { "Kundennummer;Firma;Bundesland;Ansprechpartner;E-Mail;Telefon;Telefon\r\nK10001;A;BY;E;e@shop.test;1;2", "line 1: column Telefon appears twice (columns 6 and 7)" },
        { "Kundennummer;Firma;Bundesland;Ansprechpartner;E-Mail;Ort;ORT \r\nK10001;A;BY;E;e@shop.test;X;Y", "line 1: column Ort appears twice (columns 6 and 7)" },
        { "Kundennummer;Kundennummer;Firma;Bundesland;Ansprechpartner;E-Mail\r\nK1;K2;A;BY;E;e@shop.test", "line 1: column Kundennummer appears twice (columns 1 and 2)" },
        { "Kundennummer;Firma;Bundesland;Ansprechpartner;E-Mail\r\nk10001;A;BY;E;e@shop.test\r\nK10001;B;BY;E;e@shop.test", "line 3: customer number K10001 appears again (first on line 2)" },
        { "Kundennummer;Firma;Bundesland;Ansprechpartner;E-Mail\r\n=HYPERLINK(\"x\");A;BY;E;e@shop.test", "line 2 (=HYPERLINK(\"x\")): customer number: '=HYPERLINK(\"x\")' is not a customer number: '=' at position 1" },
        { "Kundennummer;Firma;Bundesland;Ansprechpartner;E-Mail\r\n+1;A;BY;E;e@shop.test", "line 2 (+1): customer number: '+1' is not a customer number: '+' at position 1" },
        { "Kundennummer;Firma;Bundesland;Ansprechpartner;E-Mail\r\n../../etc/passwd;A;BY;E;e@shop.test", "line 2 (../../etc/passwd): customer number: '../../etc/passwd' is not a customer number" },
        { "Kundennummer;Firma;Bundesland;Ansprechpartner;E-Mail\r\nK 10001;A;BY;E;e@shop.test", "line 2 (K 10001): customer number: 'K 10001' is not a customer number: a space at position 2" },
        { "Kundennummer;Firma;Bundesland;Ansprechpartner;E-Mail\r\nK10001;;BY;E;e@shop.test", "line 2 (K10001): company is required." },
        { "Kundennummer;Firma;Bundesland;Ansprechpartner;E-Mail\r\nK10001;A;BY;E;", "line 2 (K10001): email is required." },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task Import_BadFile_RefusedNamingWhatAndWhereAndNothingChanges(string text, string expected)
    {
        await ImportFullAsync();
        var before = (await ListJsonAsync(), await RowStateAsync());

        var result = await _cli.RunAsync("customer", "import", await CsvAsync("bad.csv", text));

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("nothing imported", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("bad.csv, " + expected, result.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, (await ListJsonAsync(), await RowStateAsync()));
    }

    [Fact]
    public async Task Add_ExistingShopWithOneOption_ChangesOnlyThatAndSaysSo()
    {
        await ImportFullAsync();

        var result = await _cli.RunAsync("customer", "add", "--number", "k10001", "--phone", "+49 89 123");
        var list = await _cli.RunAsync("customer", "list", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("Updated shop K10001: phone '+49 543 4241717' → '+49 89 123'.", result.Stdout.Trim());
        var shop = list.Json.EnumerateArray().Single();
        Assert.Equal("Bäckerei Müller GmbH", shop.GetProperty("company").GetString());
        Assert.Equal("Filiale Schwabing", shop.GetProperty("branch").GetString());
        Assert.Equal("732901938", shop.GetProperty("rustDeskId").GetString());
        Assert.Equal("Mo-Fr 08:00-18:00", shop.GetProperty("openingHours").GetString());
        Assert.True(shop.GetProperty("supportContract").GetBoolean());
    }

    [Fact]
    public async Task Add_ExistingShopEmptyOption_ClearsIt()
    {
        await ImportFullAsync();

        var result = await _cli.RunAsync("customer", "add", "--number", "K10001", "--branch", "", "--contract", "nein");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("Updated shop K10001: branch cleared; support_contract yes → no.", result.Stdout.Trim());
    }

    [Fact]
    public async Task Add_SameValuesAgain_ReportsUnchanged()
    {
        await ImportFullAsync();
        var before = await RowStateAsync();

        var result = await _cli.RunAsync("customer", "add", "--number", "K10001", "--city", "München");

        Assert.Equal("Unchanged shop K10001.", result.Stdout.Trim());
        Assert.Equal(before, await RowStateAsync()); // not even updated_at moves
    }

    public static TheoryData<string[], string> BadAdds => new()
    {
        { ["customer", "add", "--number", "K20000", "--city", "Köln"], "K20000 is a new shop, so company, federal state, contact, email are required." },
        { ["customer", "add", "--number", "K20000", "--company", "X", "--state", "NW", "--contact", "Y"], "K20000 is a new shop, so email is required." },
        { ["customer", "add", "--number", "K10001", "--company", ""], "company is required." },
        { ["customer", "add", "--number", "K10001", "--email", " "], "email is required." },
        { ["customer", "add", "--number", "=HYPERLINK(\"http://evil.test\";\"x\")", "--company", "X", "--state", "BY", "--contact", "Y", "--email", "y@shop.test"], "--number: '=HYPERLINK(\"http://evil.test\";\"x\")' is 34 characters long; a customer number has at most 32." },
        { ["customer", "add", "--number", "=SUM(A1)", "--company", "X", "--state", "BY", "--contact", "Y", "--email", "y@shop.test"], "--number: '=SUM(A1)' is not a customer number: '=' at position 1" },
        { ["customer", "add", "--number", "@x", "--company", "X", "--state", "BY", "--contact", "Y", "--email", "y@shop.test"], "'@' at position 1" },
        { ["customer", "add", "--number", "", "--company", "X"], "--number is required." },
        { ["customer", "add", "--number", "K1\tX", "--company", "X", "--state", "BY", "--contact", "Y", "--email", "y@shop.test"], "U+0009 at position 3" },
        { ["customer", "add", "--number", "K10001", "--dry-run", "--rustdesk", "123"], "--rustdesk: '123' has 3 digits" },
        { ["book", "--customer", "../../etc/passwd", "--type", "fault", "--at", CliDates.WorkingTuesday().At(10)], "customer: '../../etc/passwd' is not a customer number: '.' at position 1" },
        { ["book", "--customer", "", "--type", "fault", "--at", CliDates.WorkingTuesday().At(10)], "customer is required." },
        { ["slots", "--type", "fault", "--customer", "+1"], "customer: '+1' is not a customer number: '+' at position 1" },
        { ["slots", "--type", "fault", "--customer", "K 10001"], "a space at position 2" },
    };

    [Theory]
    [MemberData(nameof(BadAdds))]
    public async Task Verb_BadCustomerInput_RefusedNamingWhatAndWhereAndNothingChanges(string[] args, string expected)
    {
        await ImportFullAsync();
        var before = (await ListJsonAsync(), await RowStateAsync());

        var result = await _cli.RunAsync(args);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(expected, result.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, (await ListJsonAsync(), await RowStateAsync()));
    }

    [Fact]
    public async Task BookAndSlots_LowerCaseCustomerNumber_FindTheShop()
    {
        await ImportFullAsync();
        Assert.Equal(0, (await _cli.RunAsync("technician", "add", "--name", "Anna", "--email", "anna@joecash.test", "--state", "BY")).ExitCode);

        var slots = await _cli.RunAsync("slots", "--type", "fault", "--customer", "k10001", "--from", CliDates.WorkingTuesday().Text(), "--days", "1");
        var booked = await _cli.RunAsync("book", "--customer", "k10001", "--type", "fault", "--at", CliDates.WorkingTuesday().At(10), "--json");

        Assert.True(slots.ExitCode == 0, slots.ToString());
        Assert.True(booked.ExitCode == 0, booked.ToString());
        Assert.Equal("732901938", booked.Json.GetProperty("rustDeskId").GetString());
    }
}
