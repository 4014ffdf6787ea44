using System.Globalization;
using System.Net;
using System.Text;
using JoeCash.Scheduler.Tests.Infrastructure;

namespace JoeCash.Scheduler.Tests.Web.Dispatch;

/// <summary>The shops and technicians pages over HTTP: edit a shop, import a CSV all-or-nothing, record time off with the reassign/keep choice.</summary>
public sealed class DispatchShopsAndTechniciansTests : IAsyncLifetime
{
    private WebServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await WebServer.StartAsync();

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_dispatcher_searches_edits_a_shop_and_a_bad_csv_imports_nothing()
    {
        using var dispatcher = await _server.SignedInAsync(WebServer.Dispatcher);
        var found = await dispatcher.GetPageAsync("/dispatch/shops?q=Metzgerei");
        Assert.Contains("K10006", found, StringComparison.Ordinal);
        Assert.DoesNotContain("K10001", found, StringComparison.Ordinal);

        var fields = new Dictionary<string, string>
        {
            ["form.Number"] = "K10007", ["form.Company"] = "Metzgerei Schäfer & Söhne", ["form.Branch"] = "Filiale Ehrenfeld", ["form.City"] = "Köln",
            ["form.State"] = "NW", ["form.Contact"] = "Katarina Becker", ["form.Emails"] = "katarina.becker@metzgerei.shop.test",
            ["form.Phone"] = "+49 901 2880632", ["form.RustDesk"] = "555 666 777", ["form.Language"] = "de", ["form.Contract"] = "true",
        };
        using var saved = await dispatcher.PostFormAsync("/dispatch/shops?edit=K10007", "/dispatch/shops?handler=Save", fields);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var listed = await _server.Cli.RunAsync("customer", "list", "--search", "K10007", "--json");
        Assert.Contains("555666777", listed.Stdout, StringComparison.Ordinal);

        // Opening hours rank the shop's slots: what cannot be read is refused with the field's name, and nothing changes.
        fields["form.OpeningHours"] = "Di-So 11:00-22:00";
        using var hoursSaved = await dispatcher.PostFormAsync("/dispatch/shops?edit=K10007", "/dispatch/shops?handler=Save", fields);
        Assert.Equal(HttpStatusCode.Redirect, hoursSaved.StatusCode);
        fields["form.OpeningHours"] = "Di-So ab 11 Uhr";
        using var hoursRefused = await dispatcher.PostFormAsync("/dispatch/shops?edit=K10007", "/dispatch/shops?handler=Save", fields);
        Assert.Equal(HttpStatusCode.BadRequest, hoursRefused.StatusCode);
        Assert.Contains("Öffnungszeiten: &#x27;ab 11 Uhr&#x27; is not a time window", await hoursRefused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("\"openingHours\": \"Di-So 11:00-22:00\"", (await _server.Cli.RunAsync("customer", "list", "--search", "K10007", "--json")).Stdout, StringComparison.Ordinal);
        fields["form.OpeningHours"] = "Di-So 11:00-22:00";

        fields["form.Emails"] = "not an address";
        using var refused = await dispatcher.PostFormAsync("/dispatch/shops?edit=K10007", "/dispatch/shops?handler=Save", fields);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("id=\"form-error\"", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // One bad row: nothing of the file is imported.
        var token = StaffClient.Token(await dispatcher.GetPageAsync("/dispatch/shops"));
        var csv = "Kundennummer;Firma;Filiale;Ort;Bundesland;Ansprechpartner;E-Mail;Telefon;RustDesk-ID;Sprache;Supportvertrag\r\n"
            + "K20001;Neuer Laden;;Bonn;NW;Nina Neu;nina@neu.shop.test;;;de;ja\r\n"
            + "K20002;Kaputter Laden;;Bonn;XX;Karl Kaputt;kein-at;;;de;ja\r\n";
        using var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new ByteArrayContent(Encoding.UTF8.GetBytes(csv)), "file", "shops.csv" },
        };
        using var imported = await dispatcher.Http.PostAsync(new Uri("/dispatch/shops?handler=Import", UriKind.Relative), form);
        var html = await imported.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, imported.StatusCode);
        Assert.Contains("id=\"import-errors\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("K20001", (await _server.Cli.RunAsync("customer", "list", "--json")).Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Time_off_over_a_booked_appointment_is_refused_until_the_dispatcher_chooses_to_reassign()
    {
        var day = CliDates.WorkingTuesday(5);
        var booked = await _server.Cli.RunAsync("book", "--customer", "K10001", "--type", "fault", "--technician", "1", "--at", day.At(10), "--json");
        Assert.True(booked.ExitCode == 0, booked.ToString());
        var id = booked.Json.GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture);
        using var dispatcher = await _server.SignedInAsync(WebServer.Dispatcher);
        var fields = new Dictionary<string, string> { ["technician"] = "1", ["from"] = day.Text(), ["reason"] = "Urlaub", ["collisions"] = "refuse" };

        using var refused = await dispatcher.PostFormAsync("/dispatch/technicians", "/dispatch/technicians?handler=TimeOff", fields);
        var html = await refused.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains($"/dispatch/appointments/{id}", html, StringComparison.Ordinal);

        fields["collisions"] = "reassign";
        using var recorded = await dispatcher.PostFormAsync("/dispatch/technicians", "/dispatch/technicians?handler=TimeOff", fields);
        Assert.Equal(HttpStatusCode.OK, recorded.StatusCode);
        Assert.Contains("id=\"recorded\"", await recorded.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var shown = await _server.Cli.RunAsync("show", id, "--json");
        Assert.NotEqual(1, shown.Json.GetProperty("appointment").GetProperty("technician").GetInt64());
    }
}
