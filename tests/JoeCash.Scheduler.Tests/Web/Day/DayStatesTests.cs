using JoeCash.Scheduler.Agenda;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Tests.Infrastructure;
using JoeCash.Scheduler.Tests.Replies;
using JoeCash.Scheduler.Web.MyDay;
using NodaTime;
using static JoeCash.Scheduler.Tests.Hardening.Setup;

namespace JoeCash.Scheduler.Tests.Web.Day;

/// <summary>
/// The three states of an appointment on the technician's day that no other test shows: a billable type, the ID the
/// shop confirmed, and the shop's decline; first as the view model has them, then as the real page shows them.
/// </summary>
public sealed class DayStatesTests
{
    private static readonly DateTimeZone Berlin = DateTimeZoneProviders.Tzdb["Europe/Berlin"];

    [Fact]
    public void A_billable_declined_appointment_with_a_confirmed_id_is_marked_so()
    {
        var start = Instant.FromUtc(2027, 3, 30, 8, 0);
        var technician = new Technician(1, "Anna Berger", "anna@joecash.test", Berlin, FederalState.BY, WeeklyHours.Parse("Mon-Fri 08:00-17:00").Value, new HashSet<string> { "training" }, null, true);
        var training = new AppointmentType("training", "Schulung", "Training", Duration.FromHours(1), Duration.Zero, Duration.Zero, true, null, null);
        var customer = new Customer(7, "K10001", "Bäckerei Müller GmbH", "Filiale Schwabing", "München", FederalState.BY, "Mehmet Richter", ["mehmet@shop.test"], null,
            RustDeskId.FromStored("732901938"), Language.De, true, null);
        var appointment = new Appointment(42, "uid-42@joecash.test", 1, 7, "training", new Interval(start, start + Duration.FromHours(1)), new Interval(start, start + Duration.FromHours(1)),
            AppointmentStatus.Booked, ResponseStatus.Declined, 0, "732901938", "Schulung", true, "test", start, start, 1)
        {
            RustDeskConfirmedAt = start - Duration.FromDays(2),
            RespondedAt = start - Duration.FromDays(1),
            RespondedBy = "mehmet@shop.test",
        };
        var entry = new AgendaEntry(appointment, LocalTimeRange.In(appointment.Time, Berlin), null, customer, training);
        var days = new TechnicianDays(technician, new LocalDate(2027, 3, 29), [new DayAgenda(technician, new LocalDate(2027, 3, 30), [entry])], new Dictionary<long, OpenProposal>());

        var shown = Assert.Single(Assert.Single(DayViews.From(days, Language.De).Days).Entries);

        Assert.True(shown.Billable);
        Assert.Equal("confirmed", shown.Readiness);
        Assert.Equal("declined", shown.Answer);
    }

    [Fact]
    public async Task The_page_shows_billable_the_confirmed_id_and_the_shops_decline()
    {
        await using var server = await WebServer.StartAsync();
        var anna = await DayServer.TechnicianIdAsync(server, WebServer.Anna);
        var day = CliDates.WorkingTuesday(2);
        var training = await DayServer.BookAsync(server, "K10001", "training", anna, day.At(9), "Kassenschulung");
        var fault = await DayServer.BookAsync(server, "K10006", "fault", anna, day.At(13));
        using var technician = await server.SignedInAsync(WebServer.Anna);
        var before = await technician.GetPageAsync($"/day?date={day.Text()}");
        Assert.Contains("ID hinterlegt", Article(before, "Filiale Schwabing"), StringComparison.Ordinal);

        // The shop confirms its ID (as the shop's own page records it) and declines by email.
        await ExecuteAsync(server.DatabasePath, "UPDATE appointments SET rustdesk_confirmed_at = updated_at WHERE id = @id", new { id = training.GetProperty("id").GetInt64() });
        const string shop = "mehmet.richter@baeckerei.shop.test";
        var reply = ReplyShapes.Build(ReplyClient.OutlookDe, new ReplySpec(training.GetProperty("uid").GetString()!, 0, shop, "Mehmet Richter", "support@joecash.test", PartStat: "DECLINED"), shop, "support@joecash.test");
        await File.WriteAllBytesAsync(Path.Combine(DayServer.RepliesDirectory(server), "decline.eml"), ReplyShapes.ToBytes(reply));

        var article = "";
        for (var waited = 0; waited < 150 && !article.Contains("answer-declined", StringComparison.Ordinal); waited++)
        {
            await Task.Delay(200);
            article = Article(await technician.GetPageAsync($"/day?date={day.Text()}"), "Filiale Schwabing");
        }

        Assert.Contains("class=\"answer answer-declined\"", article, StringComparison.Ordinal);
        Assert.Contains("<strong>abgesagt</strong>", article, StringComparison.Ordinal);
        Assert.Contains("<span class=\"badge warn billable\">kostenpflichtig</span>", article, StringComparison.Ordinal);
        Assert.Contains("<span class=\"badge ok\">vom Shop best", article, StringComparison.Ordinal);

        var other = Article(await technician.GetPageAsync($"/day?date={day.Text()}"), "Stammhaus");
        Assert.Contains("kostenfrei", other, StringComparison.Ordinal);
        Assert.DoesNotContain("billable", other, StringComparison.Ordinal);
        Assert.Contains("ID hinterlegt", other, StringComparison.Ordinal);
        Assert.Contains("noch keine Antwort", other, StringComparison.Ordinal);
        Assert.NotEqual(training.GetProperty("id").GetInt64(), fault.GetProperty("id").GetInt64());
    }

    /// <summary>The appointment's article on the day page, found by its shop's branch.</summary>
    private static string Article(string html, string branch)
    {
        var articles = html.Split("<article class=\"appt", StringSplitOptions.None).Skip(1).Select(a => a.Split("</article>")[0]);
        return articles.Single(a => a.Contains(branch, StringComparison.Ordinal));
    }
}
