using System.Text;
using System.Text.Json;
using JoeCash.Scheduler.Holidays;
using JoeCash.Scheduler.Tests.Infrastructure;
using NodaTime;

namespace JoeCash.Scheduler.Tests.Booking;

/// <summary>
/// Issue 15: <c>slots --customer</c> ranks a shop's free times by its opening hours, through the real executable and a
/// real SQLite file. Shops from the sample export (a bakery open 08:00–18:00, a branch open Tuesday to Sunday from 11:00)
/// and a bakery that opens at 06:00; one technician working Monday to Friday 07:00–20:00; a one-hour fault session on a
/// Monday. Every expectation below is worked out by hand from those hours.
/// </summary>
public sealed class ShopHoursRankingTests : IDisposable
{
    private const string Header = "Kundennummer;Firma;Filiale;Ort;Bundesland;Ansprechpartner;E-Mail;Telefon;RustDesk-ID;Sprache;Supportvertrag;Öffnungszeiten";

    private static readonly string[] Rows =
    [
        // The sample export's first two lines, as exported.
        "K10001;Bäckerei Müller GmbH;Filiale Schwabing;München;BY;Mehmet Richter;mehmet.richter@baeckerei.shop.test;+49 543 4241717;732 901 938;de;ja;\"Mo-Fr 08:00-18:00; Sa 08:00-13:00\"",
        "K10002;Bäckerei Müller GmbH;Filiale Pasing;München;BY;Mehmet Schäfer;mehmet.schaefer@baeckerei.shop.test;+49 179 1133520;1077210543;de;ja;Di-So 11:00-22:00",
        "K10031;Backstube Frühauf;Hauptgeschäft;München;BY;Erika Frühauf;kasse@fruehauf.shop.test;+49 89 1234567;732 901 939;de;ja;\"Mo-Fr 06:00-18:00; Sa 06:00-12:00\"",
    ];

    private readonly TempDirectory _folder = new();
    private readonly Infrastructure.Cli _cli;

    public ShopHoursRankingTests() => _cli = new Infrastructure.Cli(_folder);

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task ClosedOnMondays_EveryMondayTimeIsClosedAllDay()
    {
        var monday = await SetUpAsync();

        var slots = await SlotsAsync("K10002", monday);

        Assert.NotEmpty(slots);
        Assert.All(slots, s => Assert.Equal(("closed", 0, "closed all day"), (s.Fit, s.Minutes, s.Label)));
        Assert.Equal("07:00", slots[0].Time);
    }

    [Fact]
    public async Task OpenFromEight_BeforeOpeningFirst_ThenAfterClosing_ThenTheFewestOpenMinutes()
    {
        var monday = await SetUpAsync();

        var slots = await SlotsAsync("K10001", monday);

        Assert.Equal(("07:00", "closed", "before opening"), (slots[0].Time, slots[0].Fit, slots[0].Label));
        var closed = slots.TakeWhile(s => s.Fit == "closed").ToArray();
        Assert.True(closed.Length > 1, "after closing at 18:00 the technician still works");
        Assert.All(closed.Skip(1), s => Assert.Equal("after closing", s.Label));
        Assert.All(closed.Skip(1), s => Assert.True(string.CompareOrdinal(s.Time, "18:00") >= 0, s.Time));
        // 07:15 and 17:45 each lose the open shop 15 minutes of its till, 07:30 and 17:30 thirty, 07:45 and 17:15 forty-five.
        Assert.Equal(
            [("07:15", 15), ("17:45", 15), ("07:30", 30), ("17:30", 30), ("07:45", 45), ("17:15", 45), ("08:00", 60)],
            slots.Skip(closed.Length).Take(7).Select(s => (s.Time, s.Minutes)));
        Assert.Equal("during opening hours — the till cannot be used for about 60 minutes", slots[closed.Length + 6].Label);
    }

    [Fact]
    public async Task OpenFromSix_NothingBeforeOpening_AfterClosingFirst()
    {
        var monday = await SetUpAsync();

        var slots = await SlotsAsync("K10031", monday);
        var closedOnly = await SlotsAsync("K10031", monday, "--closed-only");

        Assert.Equal(("18:00", "closed", "after closing"), (slots[0].Time, slots[0].Fit, slots[0].Label));
        var firstOpen = slots.First(s => s.Fit != "closed");
        Assert.Equal(("17:45", "partly-open", 15), (firstOpen.Time, firstOpen.Fit, firstOpen.Minutes));
        Assert.Equal(slots.TakeWhile(s => s.Fit == "closed"), closedOnly);
    }

    [Fact]
    public async Task Table_ShowsTheLabelBesideEachTime_AndClosedOnlyWithoutAShopIsAnInputError()
    {
        var monday = await SetUpAsync();

        var table = await _cli.RunAsync("slots", "--type", "fault", "--customer", "K10002", "--from", monday.Text(), "--days", "1", "--limit", "2");
        var noShop = await _cli.RunAsync("slots", "--type", "fault", "--from", monday.Text(), "--days", "1", "--closed-only");

        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains("Shop hours", table.Stdout, StringComparison.Ordinal);
        Assert.Contains("closed all day", table.Stdout, StringComparison.Ordinal);
        Assert.Contains("Ranked by the shop's opening hours: closed first.", table.Stdout, StringComparison.Ordinal);
        Assert.NotEqual(0, noShop.ExitCode);
        Assert.Contains("--closed-only needs --customer", noShop.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_WithOpeningHoursItCannotRead_RefusesTheFileAndNamesTheLine()
    {
        Assert.Equal(0, (await _cli.RunAsync("migrate")).ExitCode);
        var file = _folder.File("bad.csv");
        await File.WriteAllTextAsync(file, string.Join("\r\n", [Header, Rows[0], Rows[1].Replace("Di-So 11:00-22:00", "Di-So ab 11 Uhr", StringComparison.Ordinal)]), new UTF8Encoding(true));

        var result = await _cli.RunAsync("customer", "import", file);
        var list = await _cli.RunAsync("customer", "list", "--json");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("line 3 (K10002): opening hours: 'ab 11 Uhr' is not a time window", result.Stderr + result.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, list.Json.GetArrayLength());
    }

    /// <summary>The shops and the technician; returns a Monday some weeks ahead with no holiday in Bavaria.</summary>
    private async Task<LocalDate> SetUpAsync()
    {
        Assert.Equal(0, (await _cli.RunAsync("migrate")).ExitCode);
        var file = _folder.File("shops.csv");
        await File.WriteAllTextAsync(file, string.Join("\r\n", [Header, .. Rows]), new UTF8Encoding(true));
        var imported = await _cli.RunAsync("customer", "import", file);
        Assert.True(imported.ExitCode == 0, imported.ToString());
        var added = await _cli.RunAsync("technician", "add", "--name", "Anna Berger", "--email", "anna@joecash.test", "--state", "BY", "--hours", "Mon-Fri 07:00-20:00");
        Assert.True(added.ExitCode == 0, added.ToString());

        var monday = CliDates.WorkingTuesday().PlusDays(-1);
        var holidays = new GermanHolidayCalendar();
        while (holidays.IsHoliday(Domain.FederalState.BY, monday))
        {
            monday = monday.PlusWeeks(1);
        }

        return monday;
    }

    private async Task<Ranked[]> SlotsAsync(string customer, LocalDate day, params string[] extra)
    {
        var result = await _cli.RunAsync(["slots", "--type", "fault", "--customer", customer, "--from", day.Text(), "--days", "1", "--limit", "1000", "--json", .. extra]);
        Assert.True(result.ExitCode == 0, result.ToString());
        return [.. result.Json.EnumerateArray().Select(Ranked.From)];
    }

    private sealed record Ranked(string Time, string Fit, int Minutes, string Label)
    {
        public static Ranked From(JsonElement e) => new(
            e.GetProperty("local").GetString()![11..16],
            e.GetProperty("shopHours").GetString()!,
            e.GetProperty("minutesDuringOpening").GetInt32(),
            e.GetProperty("label").GetString()!);
    }
}
