using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using JoeCash.Scheduler.Tests.Infrastructure;

namespace JoeCash.Scheduler.Tests.Web.Api;

/// <summary>
/// What a script gets from the API's shops, slots, technicians and outbox: paging to the end, create versus update with
/// the change report, the CSV import all-or-nothing and its dry run; and the same answers the command line gives.
/// </summary>
public sealed class ApiShopsTests(ApiServer server) : IClassFixture<ApiServer>
{
    private const string Header = "Kundennummer;Firma;Filiale;Ort;Bundesland;Ansprechpartner;E-Mail;Telefon;RustDesk-ID;Sprache;Supportvertrag\r\n";

    [Fact]
    public async Task Shops_page_by_the_next_cursor_until_null_and_together_are_the_command_lines_list()
    {
        using var client = server.Client(server.DispatcherKey);
        var listed = await server.Web.Cli.RunAsync("customer", "list", "--limit", "10000", "--json");
        Assert.True(listed.ExitCode == 0, listed.ToString());
        var expected = listed.Json.EnumerateArray().ToArray();
        Assert.True(expected.Length >= 3, listed.Stdout);

        var shops = new List<JsonElement>();
        var pages = 0;
        for (string? after = null; ; pages++)
        {
            var query = "/api/v1/shops?limit=2" + (after is null ? "" : "&after=" + Uri.EscapeDataString(after));
            var page = await GetAsync(client, query);
            Assert.Equal(expected.Length, page.GetProperty("total").GetInt64());
            var got = page.GetProperty("shops").EnumerateArray().ToArray();
            Assert.InRange(got.Length, 1, 2);
            shops.AddRange(got);
            if (page.GetProperty("next").ValueKind == JsonValueKind.Null)
            {
                break;
            }

            after = page.GetProperty("next").GetString();
            Assert.Equal(got[^1].GetProperty("number").GetString(), after);
        }

        Assert.Equal((expected.Length + 1) / 2, pages + 1);
        Assert.Equal(expected.Length, shops.Count);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected[i].GetRawText()), JsonNode.Parse(shops[i].GetRawText())), $"{expected[i]}\n{shops[i]}");
        }

        var searched = await GetAsync(client, "/api/v1/shops?search=Metzgerei");
        Assert.Equal(["K10006", "K10007"], searched.GetProperty("shops").EnumerateArray().Select(s => s.GetProperty("number").GetString()));
        Assert.Equal(JsonValueKind.Null, searched.GetProperty("next").ValueKind);
    }

    [Fact]
    public async Task Put_creates_with_201_then_updates_with_200_and_the_change_report_and_an_empty_text_clears()
    {
        using var client = server.Client(server.DispatcherKey);
        var shop = new { company = "Neuer Laden", city = "Bonn", state = "NW", contact = "Nina Neu", email = "nina@neu.shop.test", phone = "+49 228 123456", language = "de" };
        using var created = await client.PutAsync(new Uri("/api/v1/shops/K30001", UriKind.Relative), Api.Json(shop));
        var report = await Api.ReadAsync(created);
        Assert.True(created.StatusCode == HttpStatusCode.Created, report.ToString());
        Assert.Equal("/api/v1/shops/K30001", created.Headers.Location!.OriginalString);
        Assert.Equal("added", report.GetProperty("outcome").GetString());

        using var updated = await client.PutAsync(new Uri("/api/v1/shops/K30001", UriKind.Relative), Api.Json(new { city = "Köln", phone = "" }));
        report = await Api.ReadAsync(updated);
        Assert.True(updated.StatusCode == HttpStatusCode.OK, report.ToString());
        Assert.Equal("updated", report.GetProperty("outcome").GetString());
        Assert.False(report.GetProperty("dryRun").GetBoolean());
        var changes = report.GetProperty("changes").EnumerateArray().ToDictionary(c => c.GetProperty("field").GetString()!);
        Assert.Equal(["city", "phone"], changes.Keys.Order());
        Assert.Equal(("Bonn", "Köln"), (changes["city"].GetProperty("from").GetString(), changes["city"].GetProperty("to").GetString()));
        Assert.Equal("+49 228 123456", changes["phone"].GetProperty("from").GetString());
        Assert.Equal(JsonValueKind.Null, changes["phone"].GetProperty("to").ValueKind);

        var stored = await GetAsync(client, "/api/v1/shops/K30001");
        Assert.Equal("Köln", stored.GetProperty("city").GetString());
        Assert.Equal(JsonValueKind.Null, stored.GetProperty("phone").ValueKind);
        Assert.Equal("Neuer Laden", stored.GetProperty("company").GetString());
        Assert.True(stored.GetProperty("supportContract").GetBoolean());

        // The same again changes nothing; a dry run of a new shop writes nothing.
        using var again = await client.PutAsync(new Uri("/api/v1/shops/K30001", UriKind.Relative), Api.Json(new { city = "Köln" }));
        Assert.Equal("unchanged", (await Api.ReadAsync(again)).GetProperty("outcome").GetString());
        using var dry = await client.PutAsync(new Uri("/api/v1/shops/K30002?dryRun=true", UriKind.Relative), Api.Json(shop));
        Assert.Equal(HttpStatusCode.OK, dry.StatusCode);
        Assert.Equal("added", (await Api.ReadAsync(dry)).GetProperty("outcome").GetString());
        using var missing = await client.GetAsync(new Uri("/api/v1/shops/K30002", UriKind.Relative));
        await Api.ProblemAsync(missing, 404);
    }

    [Fact]
    public async Task Import_with_one_bad_row_is_400_with_the_errors_and_imports_nothing_and_a_dry_run_writes_nothing()
    {
        using var client = server.Client(server.DispatcherKey);
        var before = (await server.Web.Cli.RunAsync("customer", "list", "--limit", "10000", "--json")).Stdout;
        var bad = Header
            + "K20001;Neuer Laden;;Bonn;NW;Nina Neu;nina@neu.shop.test;;;de;ja\r\n"
            + "K20002;Kaputter Laden;;Bonn;XX;Karl Kaputt;karl@kaputt.shop.test;;;de;ja\r\n";
        using var refused = await ImportAsync(client, bad);
        var problem = await Api.ProblemAsync(refused, 400, "bad-input");
        Assert.Equal("nothing imported; 1 bad row(s).", problem.GetProperty("detail").GetString());
        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray()).GetString()!;
        Assert.StartsWith("upload.csv, line 3 (K20002): ", error, StringComparison.Ordinal);
        Assert.Contains("XX", error, StringComparison.Ordinal);
        Assert.Equal(before, (await server.Web.Cli.RunAsync("customer", "list", "--limit", "10000", "--json")).Stdout);

        // A good file: one new shop, one changed; the dry run reports exactly what the import then does.
        var good = Header
            + "K20001;Neuer Laden;;Bonn;NW;Nina Neu;nina@neu.shop.test;;;de;ja\r\n"
            + "K10006;Metzgerei Schäfer & Söhne;Stammhaus;Köln;NW;Jana Wolf;jana.wolf@metzgerei.shop.test;+49 864 9999999;927 137 074;de;ja\r\n";
        using var dryRun = await ImportAsync(client, good, dryRun: true);
        var dryReport = await Api.ReadAsync(dryRun);
        Assert.True(dryRun.StatusCode == HttpStatusCode.OK, dryReport.ToString());
        Assert.True(dryReport.GetProperty("dryRun").GetBoolean());
        Assert.Equal((2, 1, 1), (dryReport.GetProperty("rows").GetInt32(), dryReport.GetProperty("added").GetInt32(), dryReport.GetProperty("updated").GetInt32()));
        var phone = dryReport.GetProperty("changes").EnumerateArray().Single(c => c.GetProperty("number").GetString() == "K10006").GetProperty("fields").EnumerateArray().Single();
        Assert.Equal(("phone", "+49 864 1558827", "+49 864 9999999"), (phone.GetProperty("field").GetString(), phone.GetProperty("from").GetString(), phone.GetProperty("to").GetString()));
        Assert.Equal(before, (await server.Web.Cli.RunAsync("customer", "list", "--limit", "10000", "--json")).Stdout);

        using var imported = await ImportAsync(client, good);
        var report = await Api.ReadAsync(imported);
        Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
        Assert.False(report.GetProperty("dryRun").GetBoolean());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(dryReport.GetProperty("changes").GetRawText()), JsonNode.Parse(report.GetProperty("changes").GetRawText())), report.ToString());
        Assert.Equal("+49 864 9999999", (await GetAsync(client, "/api/v1/shops/K10006")).GetProperty("phone").GetString());
        Assert.Equal("Neuer Laden", (await GetAsync(client, "/api/v1/shops/K20001")).GetProperty("company").GetString());
    }

    [Fact]
    public async Task Slots_and_technicians_are_what_the_command_line_finds_and_the_outbox_lists_by_status()
    {
        using var client = server.Client(server.DispatcherKey);
        var day = CliDates.WorkingTuesday(7).Text();
        foreach (var technician in new[] { "any", "1" })
        {
            var cli = await server.Web.Cli.RunAsync("slots", "--type", "fault", "--technician", technician, "--from", day, "--days", "2", "--limit", "1000", "--json");
            Assert.True(cli.ExitCode == 0, cli.ToString());
            var api = await GetAsync(client, $"/api/v1/slots?type=fault&technician={technician}&from={day}&days=2&limit=1000");
            Assert.Equal("Europe/Berlin", api.GetProperty("timeZone").GetString());
            Assert.Equal(cli.Json.GetArrayLength(), api.GetProperty("total").GetInt32());
            Assert.True(cli.Json.GetArrayLength() > 10, cli.Stdout);
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(cli.Stdout), JsonNode.Parse(api.GetProperty("slots").GetRawText())), $"{technician}: {api}");
        }

        var technicians = await server.Web.Cli.RunAsync("technician", "list", "--json");
        using var listed = await client.GetAsync(new Uri("/api/v1/technicians", UriKind.Relative));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(technicians.Stdout), JsonNode.Parse(await listed.Content.ReadAsStringAsync())), technicians.Stdout);

        // The demo's invitations go to the pickup folder at once: all of them sent, none failed.
        var sent = await GetAsync(client, "/api/v1/outbox?status=sent&limit=500");
        for (var i = 0; i < 100 && sent.GetProperty("counts").TryGetProperty("pending", out var pending) && pending.GetInt64() > 0; i++)
        {
            await Task.Delay(100);
            sent = await GetAsync(client, "/api/v1/outbox?status=sent&limit=500");
        }

        var messages = sent.GetProperty("messages").EnumerateArray().ToArray();
        Assert.NotEmpty(messages);
        Assert.All(messages, m => Assert.Equal("sent", m.GetProperty("status").GetString()));
        Assert.All(messages, m => Assert.NotEqual(JsonValueKind.Null, m.GetProperty("sent").ValueKind));
        Assert.Equal(sent.GetProperty("counts").GetProperty("sent").GetInt64(), messages.Length);
        var cliSent = await server.Web.Cli.RunAsync("mail", "list", "--status", "sent", "--limit", "500", "--json");
        Assert.Equal(cliSent.Json.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("id").GetInt64()), messages.Select(m => m.GetProperty("id").GetInt64()));
        Assert.Empty((await GetAsync(client, "/api/v1/outbox?status=failed")).GetProperty("messages").EnumerateArray());
        using var bogus = await client.GetAsync(new Uri("/api/v1/outbox?status=lost", UriKind.Relative));
        await Api.ProblemAsync(bogus, 400);
    }

    private static async Task<JsonElement> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        var body = await Api.ReadAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {body}");
        return body;
    }

    private static Task<HttpResponseMessage> ImportAsync(HttpClient client, string csv, bool dryRun = false)
    {
        var content = new StringContent(csv, Encoding.UTF8, "text/csv");
        return client.PostAsync(new Uri("/api/v1/shops/import" + (dryRun ? "?dryRun=true" : ""), UriKind.Relative), content);
    }
}
