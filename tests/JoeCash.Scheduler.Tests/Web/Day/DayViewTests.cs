using JoeCash.Scheduler.Agenda;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Web.MyDay;
using NodaTime;

namespace JoeCash.Scheduler.Tests.Web.Day;

/// <summary>
/// The day page's texts, in-process: the clock-change days (a Sunday in Germany, never a working day, so no real
/// booking can fall on one), a technician in another zone than the shops, the RustDesk and phone links, the answers.
/// </summary>
public sealed class DayViewTests
{
    private static readonly DateTimeZone Berlin = DateTimeZoneProviders.Tzdb["Europe/Berlin"];
    private static readonly DateTimeZone Lisbon = DateTimeZoneProviders.Tzdb["Europe/Lisbon"];

    private static Instant Utc(int year, int month, int day, int hour, int minute = 0) => Instant.FromUtc(year, month, day, hour, minute);

    [Fact]
    public void AnOrdinaryDay_ShowsPlainTimes()
    {
        // 2027-03-30, the Tuesday after the spring change: 10:00 in Berlin is 08:00 UTC (CEST).
        Assert.Equal("10:00–11:00", DayViews.Time(LocalTimeRange.In(Utc(2027, 3, 30, 8), Utc(2027, 3, 30, 9), Berlin)));
        Assert.Null(DayViews.ClockChange(Berlin, new LocalDate(2027, 3, 30)));
        Assert.Null(DayViews.ClockChange(Berlin, new LocalDate(2027, 10, 29)));
    }

    [Fact]
    public void TheSpringChange_ShowsTheOffsetOfEachTime()
    {
        var day = new LocalDate(2027, 3, 28);
        Assert.Equal("UTC+1 → UTC+2", DayViews.ClockChange(Berlin, day));
        // 01:30 CET to 03:30 CEST is one hour: the clocks jump from 02:00 to 03:00.
        Assert.Equal("01:30 (UTC+1) – 03:30 (UTC+2)", DayViews.Time(LocalTimeRange.In(Utc(2027, 3, 28, 0, 30), Utc(2027, 3, 28, 1, 30), Berlin)));
        Assert.Equal("10:00–11:00 (UTC+2)", DayViews.Time(LocalTimeRange.In(Utc(2027, 3, 28, 8), Utc(2027, 3, 28, 9), Berlin)));
    }

    [Fact]
    public void TheAutumnChange_TellsTheTwoHalfPastTwosApart()
    {
        var day = new LocalDate(2027, 10, 31);
        Assert.Equal("UTC+2 → UTC+1", DayViews.ClockChange(Berlin, day));
        Assert.Equal("02:30 (UTC+2) – 02:30 (UTC+1)", DayViews.Time(LocalTimeRange.In(Utc(2027, 10, 31, 0, 30), Utc(2027, 10, 31, 1, 30), Berlin)));
        Assert.Equal("02:30–03:00 (UTC+1)", DayViews.Time(LocalTimeRange.In(Utc(2027, 10, 31, 1, 30), Utc(2027, 10, 31, 2), Berlin)));
        Assert.Equal("UTC+5:30", DayViews.Offset(Offset.FromHoursAndMinutes(5, 30)));
    }

    [Fact]
    public void ATechnicianInAnotherZone_SeesTheirOwnClock_WithTheZoneNamed_AndTheShopsTime()
    {
        var days = Days(Lisbon, Customer("732901938", "+49 543 4241717"), Appointment(Utc(2027, 3, 30, 8), ResponseStatus.Accepted) with { RespondedAt = Utc(2027, 3, 29, 7, 14), RespondedBy = "erika@shop.test" }, null);

        var entry = Assert.Single(Assert.Single(DayViews.From(days, Language.De).Days).Entries);

        Assert.Equal("09:00–10:00", entry.Time);
        Assert.Equal("Europe/Lisbon", entry.Zone);
        Assert.Equal("10:00–11:00 Europe/Berlin", entry.ShopTime);
        Assert.Equal("rustdesk://connection/new/732901938", entry.RustDeskHref);
        Assert.Equal("732 901 938", entry.RustDesk);
        Assert.Equal("732901938", entry.RustDeskValue);
        Assert.Equal("tel:+495434241717", entry.PhoneHref);
        Assert.Equal("accepted", entry.Answer);
        Assert.Equal("29.03.2027 08:14", entry.AnsweredAt);
        Assert.Equal("on-file", entry.Readiness);
    }

    [Fact]
    public void AShopWithoutId_IsNotReady_AndAnOpenProposalIsShownWithItsTime()
    {
        var appointment = Appointment(Utc(2027, 3, 30, 8), ResponseStatus.NeedsAction, rustDesk: null);
        var proposal = new OpenProposal { AppointmentId = appointment.Id, ProposedStart = Utc(2027, 3, 31, 12), ProposedEnd = Utc(2027, 3, 31, 13), CreatedAt = Utc(2027, 3, 29, 9) };

        var view = DayViews.From(Days(Berlin, Customer(null, null), appointment, proposal), Language.En);
        var entry = Assert.Single(Assert.Single(view.Days).Entries);

        Assert.Null(entry.Zone);
        Assert.Null(entry.ShopTime);
        Assert.Equal("10:00–11:00", entry.Time);
        Assert.Equal("no-id", entry.Readiness);
        Assert.Null(entry.RustDeskHref);
        Assert.Null(entry.PhoneHref);
        Assert.Equal("proposed", entry.Answer);
        Assert.Equal("Wednesday, 31 March 2027, 14:00–15:00", entry.Proposed);
        Assert.Equal("29.03.2027 11:00", entry.AnsweredAt);
        Assert.Equal("Tuesday, 30 March 2027", view.Days[0].Title);
    }

    [Fact]
    public void TheVersion_ChangesWithWhatIsShown_AndOnlyThen()
    {
        var customer = Customer("732901938", null);
        var open = DayViews.From(Days(Berlin, customer, Appointment(Utc(2027, 3, 30, 8), ResponseStatus.NeedsAction), null), Language.De);
        var again = DayViews.From(Days(Berlin, customer, Appointment(Utc(2027, 3, 30, 8), ResponseStatus.NeedsAction), null), Language.De);
        var answered = DayViews.From(Days(Berlin, customer, Appointment(Utc(2027, 3, 30, 8), ResponseStatus.Accepted) with { RespondedAt = Utc(2027, 3, 29, 7) }, null), Language.De);

        Assert.Equal(open.Version, again.Version);
        Assert.NotEqual(open.Version, answered.Version);
        Assert.Equal(16, open.Version.Length);
    }

    private static TechnicianDays Days(DateTimeZone zone, Customer customer, Appointment appointment, OpenProposal? proposal)
    {
        var technician = new Technician(1, "Anna Berger", "anna@joecash.test", zone, FederalState.BY, WeeklyHours.Parse("Mon-Fri 08:00-17:00").Value, new HashSet<string> { "fault" }, null, true);
        var type = new AppointmentType("fault", "Störung", "Fault", Duration.FromHours(1), Duration.Zero, Duration.Zero, false, null, null);
        var entry = new AgendaEntry(appointment, LocalTimeRange.In(appointment.Time, zone), zone == Berlin ? null : LocalTimeRange.In(appointment.Time, Berlin), customer, type);
        var day = appointment.Start.InZone(zone).Date;
        var proposals = proposal is null ? new Dictionary<long, OpenProposal>() : new Dictionary<long, OpenProposal> { [proposal.AppointmentId] = proposal };
        return new TechnicianDays(technician, day.PlusDays(-1), [new DayAgenda(technician, day, [entry])], proposals);
    }

    private static Customer Customer(string? rustDesk, string? phone) => new(
        7, "K10001", "Bäckerei Müller GmbH", "Filiale Schwabing", "München", FederalState.BY, "Mehmet Richter", ["mehmet@shop.test"], phone,
        rustDesk is null ? null : RustDeskId.FromStored(rustDesk), Language.De, true, null);

    private static Appointment Appointment(Instant start, ResponseStatus response, string? rustDesk = "732901938") => new(
        42, "uid-42@joecash.test", 1, 7, "fault", new Interval(start, start + Duration.FromHours(1)), new Interval(start, start + Duration.FromHours(1)),
        AppointmentStatus.Booked, response, 0, rustDesk, "Bondrucker", true, "test", start, start, 1);
}
