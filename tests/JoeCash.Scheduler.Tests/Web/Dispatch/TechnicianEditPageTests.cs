using System.Globalization;
using System.Net;
using JoeCash.Scheduler.Tests.Infrastructure;

namespace JoeCash.Scheduler.Tests.Web.Dispatch;

/// <summary>Issue 11: the dispatcher finds a technician, edits them, and is stopped before a change leaves booked appointments stranded.</summary>
public sealed class TechnicianEditPageTests : IAsyncLifetime
{
    private WebServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await WebServer.StartAsync();

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    /// <summary>The edit form of Lea Schmitt (demo technician 3) posted with <paramref name="changes"/> over her stored values; the types as ticked boxes.</summary>
    private static async Task<HttpResponseMessage> SaveLeaAsync(StaffClient dispatcher, IReadOnlyDictionary<string, string> changes, params string[] types) =>
        await SaveLeaAsync(dispatcher, await dispatcher.GetPageAsync("/dispatch/technicians?edit=3"), changes, types);

    /// <summary>Posts the edit form of <paramref name="form"/> (its token and the version it was filled from).</summary>
    private static async Task<HttpResponseMessage> SaveLeaAsync(StaffClient dispatcher, string form, IReadOnlyDictionary<string, string> changes, params string[] types)
    {
        var token = StaffClient.Token(form);
        var version = System.Text.RegularExpressions.Regex.Match(form, "name=\"form.Version\" value=\"([0-9]+)\"").Groups[1].Value;
        var fields = new Dictionary<string, string>
        {
            ["form.Version"] = version,
            ["form.Id"] = "3", ["form.Name"] = "Lea Schmitt", ["form.Email"] = "lea.schmitt@joecash.test", ["form.Zone"] = "Europe/Berlin",
            ["form.State"] = "NW", ["form.Hours"] = "Mon-Thu 08:00-16:00; Fri 08:00-13:00", ["form.DailyCap"] = "5", ["form.Active"] = "true",
            ["misfits"] = "refuse", ["__RequestVerificationToken"] = token,
        };
        foreach (var (key, value) in changes)
        {
            if (value.Length == 0 && key == "form.Active")
            {
                fields.Remove(key); // an unticked box is not posted
            }
            else
            {
                fields[key] = value;
            }
        }

        using var content = new FormUrlEncodedContent([.. fields, .. types.Select(t => new KeyValuePair<string, string>("form.Types", t))]);
        return await dispatcher.Http.PostAsync(new Uri("/dispatch/technicians?handler=Save", UriKind.Relative), content);
    }

    private async Task<string> LeaAsync()
    {
        var listed = await _server.Cli.RunAsync("technician", "list", "--json");
        return System.Text.Json.JsonSerializer.Serialize(listed.Json.EnumerateArray().Single(t => t.GetProperty("id").GetInt64() == 3));
    }

    [Fact]
    public async Task A_dispatcher_finds_and_edits_a_technician_and_a_deactivation_over_a_booking_asks_first()
    {
        using var dispatcher = await _server.SignedInAsync(WebServer.Dispatcher);
        var found = await dispatcher.GetPageAsync("/dispatch/technicians?q=schmitt");
        Assert.Contains("lea.schmitt@joecash.test", found, StringComparison.Ordinal);
        Assert.DoesNotContain("anna.berger@joecash.test", found, StringComparison.Ordinal);
        Assert.Contains("value=\"Mon-Thu 08:00-16:00; Fri 08:00-13:00\"", await dispatcher.GetPageAsync("/dispatch/technicians?edit=3"), StringComparison.Ordinal);

        // Every box the form shows is ticked (Lea takes every type): longer hours and no cap strand nothing.
        var types = System.Text.RegularExpressions.Regex.Matches(await dispatcher.GetPageAsync("/dispatch/technicians?edit=3"), "name=\"form.Types\" value=\"([a-z-]+)\"")
            .Select(m => m.Groups[1].Value).ToArray();
        Assert.Contains("fault", types);
        using var saved = await SaveLeaAsync(dispatcher, new Dictionary<string, string> { ["form.Hours"] = "Mo-Fr 07:00-18:00", ["form.DailyCap"] = "" }, types);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var lea = await LeaAsync();
        Assert.Contains("\"hours\":\"Mon-Fri 07:00-18:00\"", lea, StringComparison.Ordinal);
        Assert.Contains("\"dailyCap\":null", lea, StringComparison.Ordinal);

        // A second tab opened before the save above is refused, naming what happened, and changes nothing.
        var staleTab = await dispatcher.GetPageAsync("/dispatch/technicians?edit=3");
        using var renamed = await SaveLeaAsync(dispatcher, new Dictionary<string, string> { ["form.Hours"] = "Mo-Fr 07:00-18:00", ["form.DailyCap"] = "", ["form.Name"] = "Lea Schmitt-Kaya" }, types);
        Assert.Equal(HttpStatusCode.Redirect, renamed.StatusCode);
        Assert.Contains("Techniker Lea Schmitt-Kaya gespeichert.", await dispatcher.GetPageAsync(renamed.Headers.Location!.OriginalString), StringComparison.Ordinal);
        using var stale = await SaveLeaAsync(dispatcher, staleTab, new Dictionary<string, string> { ["form.Hours"] = "Mo-Fr 07:00-18:00", ["form.DailyCap"] = "", ["form.State"] = "BY" }, types);
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Contains("Jemand hat diesen Techniker inzwischen geändert.", await stale.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var back = await SaveLeaAsync(dispatcher, new Dictionary<string, string> { ["form.Hours"] = "Mo-Fr 07:00-18:00", ["form.DailyCap"] = "" }, types);
        lea = await LeaAsync();
        Assert.Contains("\"federalState\":\"NW\"", lea, StringComparison.Ordinal);

        using var badHours = await SaveLeaAsync(dispatcher, new Dictionary<string, string> { ["form.Hours"] = "werktags" }, types);
        Assert.Equal(HttpStatusCode.BadRequest, badHours.StatusCode);
        Assert.Contains("Arbeitszeit", await badHours.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(lea, await LeaAsync());

        var booked = await _server.Cli.RunAsync("book", "--customer", "K10006", "--type", "fault", "--technician", "3", "--at", CliDates.WorkingTuesday(6).At(10), "--json");
        Assert.True(booked.ExitCode == 0, booked.ToString());
        var id = booked.Json.GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture);

        using var refused = await SaveLeaAsync(dispatcher, new Dictionary<string, string> { ["form.Active"] = "" }, types);
        var html = await refused.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("würden nicht mehr passen. Nichts gespeichert.", html, StringComparison.Ordinal);
        Assert.Contains($"href=\"/dispatch/appointments/{id}\"", html, StringComparison.Ordinal);
        Assert.Contains("Dieser Techniker ist nicht mehr aktiv.", html, StringComparison.Ordinal);
        Assert.Equal(lea, await LeaAsync());

        using var kept = await SaveLeaAsync(dispatcher, new Dictionary<string, string> { ["form.Active"] = "", ["misfits"] = "keep" }, types);
        Assert.Equal(HttpStatusCode.Redirect, kept.StatusCode);
        Assert.Contains("\"active\":false", await LeaAsync(), StringComparison.Ordinal);
        var shown = await _server.Cli.RunAsync("show", id, "--json");
        Assert.Equal("booked", shown.Json.GetProperty("appointment").GetProperty("status").GetString());
    }
}
