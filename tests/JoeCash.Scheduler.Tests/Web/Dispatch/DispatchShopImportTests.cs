using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using JoeCash.Scheduler.Tests.Infrastructure;

namespace JoeCash.Scheduler.Tests.Web.Dispatch;

/// <summary>
/// The shops page's CSV import reports what the command line reports: the bad row's line and field, a dry run that
/// writes nothing, every changed shop field by field, and the new shops beyond the first 50 counted, not dropped silently.
/// </summary>
public sealed partial class DispatchShopImportTests : IAsyncLifetime
{
    private const string Header = "Kundennummer;Firma;Filiale;Ort;Bundesland;Ansprechpartner;E-Mail;Telefon;RustDesk-ID;Sprache;Supportvertrag\r\n";

    private WebServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await WebServer.StartAsync();

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_bad_row_names_its_line_and_field_and_imports_nothing()
    {
        using var dispatcher = await _server.SignedInAsync(WebServer.Dispatcher);
        var csv = Header + Row(20001, "NW", "nina@neu.shop.test", "+49 228 1") + Row(20002, "XX", "karl@kaputt.shop.test", "+49 228 2");
        var (status, html) = await ImportAsync(dispatcher, csv, dryRun: false);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var errors = Section(html, "import-errors");
        Assert.Contains("Nichts importiert – die Datei hat Fehler:", errors, StringComparison.Ordinal);
        var line = Assert.Single(Items(errors));
        Assert.StartsWith("shops.csv, line 3 (K20002): ", line, StringComparison.Ordinal);
        Assert.Contains("XX", line, StringComparison.Ordinal);
        Assert.DoesNotContain("K20001", (await _server.Cli.RunAsync("customer", "list", "--search", "K2000", "--json")).Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_dry_run_and_the_import_report_every_change_as_the_command_line_does()
    {
        using var dispatcher = await _server.SignedInAsync(WebServer.Dispatcher);
        var numbers = Enumerable.Range(40001, 60).ToArray();
        var first = Header + string.Concat(numbers.Select(n => Row(n, "NW", $"k{n}@shop.test", $"+49 228 1{n}")));

        // The dry run: counts, the first 50 new shops, the rest counted; nothing written.
        var (status, html) = await ImportAsync(dispatcher, first, dryRun: true);
        Assert.Equal(HttpStatusCode.OK, status);
        var report = Section(html, "import-report");
        Assert.Contains("Probelauf, nichts geschrieben: 60 Filialen ergäben 60 neu, 0 geändert, 0 unverändert.", report, StringComparison.Ordinal);
        Assert.Equal([.. numbers.Take(50).Select(n => $"K{n}: added")], Items(report));
        Assert.Contains("… und 10 weitere neue Filialen.", report, StringComparison.Ordinal);
        Assert.DoesNotContain("K40001", (await _server.Cli.RunAsync("customer", "list", "--search", "K400", "--json")).Stdout, StringComparison.Ordinal);

        (status, html) = await ImportAsync(dispatcher, first, dryRun: false);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("60 Filialen importiert: 60 neu, 0 geändert, 0 unverändert.", Section(html, "import-report"), StringComparison.Ordinal);
        Assert.Equal(60, (await _server.Cli.RunAsync("customer", "list", "--search", "K400", "--json")).Json.GetArrayLength());

        // Every shop's phone changes: all 60 listed field by field (more than 50), the same lines as customer import.
        var second = Header + string.Concat(numbers.Select(n => Row(n, "NW", $"k{n}@shop.test", $"+49 228 2{n}")));
        (status, html) = await ImportAsync(dispatcher, second, dryRun: true);
        Assert.Equal(HttpStatusCode.OK, status);
        report = Section(html, "import-report");
        Assert.Contains("Probelauf, nichts geschrieben: 60 Filialen ergäben 0 neu, 60 geändert, 0 unverändert.", report, StringComparison.Ordinal);
        var lines = Items(report);
        Assert.Equal([.. numbers.Select(n => $"K{n}: phone '+49 228 1{n}' → '+49 228 2{n}'")], lines);
        Assert.DoesNotContain("import-more", report, StringComparison.Ordinal);

        var file = Path.Combine(Path.GetDirectoryName(_server.DatabasePath)!, "second.csv");
        await File.WriteAllTextAsync(file, second, new UTF8Encoding(false));
        var cli = await _server.Cli.RunAsync("customer", "import", file, "--dry-run");
        Assert.True(cli.ExitCode == 0, cli.ToString());
        Assert.Contains("60 updated", cli.Stdout, StringComparison.Ordinal);
        Assert.Contains(lines[0], cli.Stdout, StringComparison.Ordinal);
        Assert.Contains(lines[^1], cli.Stdout, StringComparison.Ordinal);
    }

    private static string Row(int number, string state, string email, string phone) =>
        $"K{number};Laden {number};;Bonn;{state};Nina Neu;{email};{phone};;de;ja\r\n";

    private static async Task<(HttpStatusCode Status, string Html)> ImportAsync(StaffClient dispatcher, string csv, bool dryRun)
    {
        var token = StaffClient.Token(await dispatcher.GetPageAsync("/dispatch/shops"));
        using var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new ByteArrayContent(Encoding.UTF8.GetBytes(csv)), "file", "shops.csv" },
        };
        if (dryRun)
        {
            form.Add(new StringContent("true"), "dryRun");
        }

        using var response = await dispatcher.Http.PostAsync(new Uri("/dispatch/shops?handler=Import", UriKind.Relative), form);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The element with id <paramref name="id"/> (a div), as HTML.</summary>
    private static string Section(string html, string id)
    {
        var match = Regex.Match(html, $"<div[^>]*id=\"{id}\"[^>]*>(.*?)</div>", RegexOptions.Singleline);
        Assert.True(match.Success, $"no #{id} on the page:\n{html}");
        return match.Groups[1].Value;
    }

    /// <summary>The list items' texts, decoded.</summary>
    private static string[] Items(string html) => [.. ListItem().Matches(html).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value).Trim())];

    [GeneratedRegex("<li>(.*?)</li>", RegexOptions.Singleline)]
    private static partial Regex ListItem();
}
