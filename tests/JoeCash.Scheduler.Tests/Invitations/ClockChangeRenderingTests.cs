using System.Net;
using Ical.Net;
using JoeCash.Scheduler.Agenda;
using JoeCash.Scheduler.Cli;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Invitations;
using JoeCash.Scheduler.Reminders;
using NodaTime;
using NodaTime.Text;
using static JoeCash.Scheduler.Tests.Invitations.Invitations;

namespace JoeCash.Scheduler.Tests.Invitations;

/// <summary>
/// Every human-readable rendering of a one-hour booking on each clock-change day of 2026–2028, in
/// Europe/Berlin and in America/New_York (as the service's zone), against hand-written strings: the
/// subject, the body's time line, the calendar description, the reminder, the update, the
/// cancellation, the agenda line and the command line's cell.
/// </summary>
public sealed class ClockChangeRenderingTests
{
    private static readonly OffsetDateTimePattern Pattern = OffsetDateTimePattern.CreateWithInvariantCulture("uuuu-MM-dd'T'HH:mmo<G>");

    public static TheoryData<string, string, Language, string, string, string, string, string> Bookings => new()
    {
        // zone, start (with offset), language, date, start as a subject reads it, time line, agenda line, command-line cell
        { "Europe/Berlin", "2026-12-01T10:00+01:00", Language.De, "Dienstag, 1. Dezember 2026", "10:00 Uhr", "10:00–11:00 Uhr (MEZ)", "10:00–11:00", "Tue 2026-12-01 10:00–11:00" },
        { "Europe/Berlin", "2026-12-01T10:00+01:00", Language.En, "Tuesday, 1 December 2026", "10:00", "10:00–11:00 (CET)", "10:00–11:00", "Tue 2026-12-01 10:00–11:00" },
        { "Europe/Berlin", "2026-03-29T01:30+01:00", Language.De, "Sonntag, 29. März 2026", "01:30 MEZ", "01:30 MEZ – 03:30 MESZ, 60 min", "01:30 MEZ – 03:30 MESZ", "Sun 2026-03-29 01:30 CET – 03:30 CEST" },
        { "Europe/Berlin", "2027-03-28T01:30+01:00", Language.En, "Sunday, 28 March 2027", "01:30 CET", "01:30 CET – 03:30 CEST, 60 min", "01:30 CET – 03:30 CEST", "Sun 2027-03-28 01:30 CET – 03:30 CEST" },
        { "Europe/Berlin", "2028-03-26T01:30+01:00", Language.De, "Sonntag, 26. März 2028", "01:30 MEZ", "01:30 MEZ – 03:30 MESZ, 60 min", "01:30 MEZ – 03:30 MESZ", "Sun 2028-03-26 01:30 CET – 03:30 CEST" },
        { "Europe/Berlin", "2026-10-25T02:30+02:00", Language.De, "Sonntag, 25. Oktober 2026", "02:30 MESZ", "02:30 MESZ – 02:30 MEZ, 60 min", "02:30 MESZ – 02:30 MEZ", "Sun 2026-10-25 02:30 CEST – 02:30 CET" },
        { "Europe/Berlin", "2026-10-25T02:30+01:00", Language.En, "Sunday, 25 October 2026", "02:30 CET", "02:30 CET – 03:30 CET, 60 min", "02:30 CET – 03:30 CET", "Sun 2026-10-25 02:30 CET – 03:30 CET" },
        { "Europe/Berlin", "2027-10-31T02:30+02:00", Language.De, "Sonntag, 31. Oktober 2027", "02:30 MESZ", "02:30 MESZ – 02:30 MEZ, 60 min", "02:30 MESZ – 02:30 MEZ", "Sun 2027-10-31 02:30 CEST – 02:30 CET" },
        { "Europe/Berlin", "2027-10-31T02:30+01:00", Language.De, "Sonntag, 31. Oktober 2027", "02:30 MEZ", "02:30 MEZ – 03:30 MEZ, 60 min", "02:30 MEZ – 03:30 MEZ", "Sun 2027-10-31 02:30 CET – 03:30 CET" },
        { "Europe/Berlin", "2027-10-31T02:30+02:00", Language.En, "Sunday, 31 October 2027", "02:30 CEST", "02:30 CEST – 02:30 CET, 60 min", "02:30 CEST – 02:30 CET", "Sun 2027-10-31 02:30 CEST – 02:30 CET" },
        { "Europe/Berlin", "2028-10-29T02:30+02:00", Language.En, "Sunday, 29 October 2028", "02:30 CEST", "02:30 CEST – 02:30 CET, 60 min", "02:30 CEST – 02:30 CET", "Sun 2028-10-29 02:30 CEST – 02:30 CET" },
        { "Europe/Berlin", "2028-10-29T02:30+01:00", Language.De, "Sonntag, 29. Oktober 2028", "02:30 MEZ", "02:30 MEZ – 03:30 MEZ, 60 min", "02:30 MEZ – 03:30 MEZ", "Sun 2028-10-29 02:30 CET – 03:30 CET" },
        { "America/New_York", "2026-03-08T01:30-05:00", Language.En, "Sunday, 8 March 2026", "01:30 EST", "01:30 EST – 03:30 EDT, 60 min", "01:30 EST – 03:30 EDT", "Sun 2026-03-08 01:30 EST – 03:30 EDT" },
        { "America/New_York", "2027-03-14T01:30-05:00", Language.De, "Sonntag, 14. März 2027", "01:30 EST", "01:30 EST – 03:30 EDT, 60 min", "01:30 EST – 03:30 EDT", "Sun 2027-03-14 01:30 EST – 03:30 EDT" },
        { "America/New_York", "2028-03-12T01:30-05:00", Language.En, "Sunday, 12 March 2028", "01:30 EST", "01:30 EST – 03:30 EDT, 60 min", "01:30 EST – 03:30 EDT", "Sun 2028-03-12 01:30 EST – 03:30 EDT" },
        { "America/New_York", "2026-11-01T01:30-04:00", Language.En, "Sunday, 1 November 2026", "01:30 EDT", "01:30 EDT – 01:30 EST, 60 min", "01:30 EDT – 01:30 EST", "Sun 2026-11-01 01:30 EDT – 01:30 EST" },
        { "America/New_York", "2027-11-07T01:30-05:00", Language.De, "Sonntag, 7. November 2027", "01:30 EST", "01:30 EST – 02:30 EST, 60 min", "01:30 EST – 02:30 EST", "Sun 2027-11-07 01:30 EST – 02:30 EST" },
        { "America/New_York", "2028-11-05T01:30-04:00", Language.De, "Sonntag, 5. November 2028", "01:30 EDT", "01:30 EDT – 01:30 EST, 60 min", "01:30 EDT – 01:30 EST", "Sun 2028-11-05 01:30 EDT – 01:30 EST" },
        { "America/New_York", "2027-10-31T02:30-04:00", Language.En, "Sunday, 31 October 2027", "02:30", "02:30–03:30 (EDT)", "02:30–03:30", "Sun 2027-10-31 02:30–03:30" },
    };

    [Theory]
    [MemberData(nameof(Bookings))]
    public void Compose_BookingOnAnyDay_EveryTimeReadsUnambiguously(
        string zoneId, string start, Language language, string date, string startAt, string timeLine, string agendaLine, string cliCell)
    {
        var zone = DateTimeZoneProviders.Tzdb[zoneId];
        var composer = Composer(zone: zoneId);
        var instant = Pattern.Parse(start).Value.ToInstant();
        var appointment = Appointment(instant);
        var customer = Customer(language);
        var technician = Anna with { Zone = zone };
        var context = new AppointmentContext(appointment, customer, technician, Type());
        var de = language == Language.De;

        var invitation = Parse(Assert.Single(composer.Compose(InvitationKind.Request, context, Now)));
        var update = Parse(Assert.Single(composer.Compose(InvitationKind.Update, context with { Appointment = appointment with { Sequence = 1 }, Previous = appointment }, Now)));
        var cancel = Parse(Assert.Single(composer.Compose(InvitationKind.Cancel, context with { Appointment = appointment with { Sequence = 2, Status = AppointmentStatus.Cancelled } }, Now)));
        var reminder = Parse(Assert.Single(new ReminderComposer(composer, MailComposer).Compose(context, 60, Now)));
        var agenda = Catalog.Render(language, "agenda.txt", AgendaMailer.Model(
            new DayAgenda(technician, instant.InZone(zone).Date, [new AgendaEntry(appointment, LocalTimeRange.In(appointment.Time, zone), null, customer, Type())]), language));

        Assert.Equal(de ? $"JoeCash Fernwartung am {date}, {startAt} – Kasse bitte nicht benutzen" : $"JoeCash remote maintenance on {date}, {startAt} – please do not use the till", invitation.Subject);
        Assert.Contains(de ? $"Termin: {date}, {timeLine}" : $"When: {date}, {timeLine}", Flat(invitation.TextBody), StringComparison.Ordinal);
        Assert.Contains($"{date}, {timeLine}", Flat(WebUtility.HtmlDecode(invitation.HtmlBody)), StringComparison.Ordinal);
        Assert.Contains($"{date}, {timeLine}", Calendar.Load(CalendarPart(invitation).Text)!.Events.Single().Description, StringComparison.Ordinal);
        Assert.Contains(de ? $"(bisher {date}, {startAt})" : $"(was {date}, {startAt})", Flat(update.TextBody), StringComparison.Ordinal);
        Assert.Equal(de ? $"Abgesagt: JoeCash Fernwartung am {date}, {startAt}" : $"Cancelled: JoeCash remote maintenance on {date}, {startAt}", cancel.Subject);
        Assert.Contains(de ? $"am {date}, {timeLine} (Störungsbehebung" : $"on {date}, {timeLine} (Fixing faults", Flat(cancel.TextBody), StringComparison.Ordinal);
        Assert.Contains($"{date}, {timeLine}", Flat(WebUtility.HtmlDecode(cancel.HtmlBody)), StringComparison.Ordinal);
        Assert.Equal(de ? $"Erinnerung: JoeCash Fernwartung am {date}, {startAt} – bitte RustDesk bereithalten" : $"Reminder: JoeCash remote maintenance on {date}, {startAt} – please have RustDesk ready", reminder.Subject);
        Assert.Contains(de ? $"Termin: {date}, {timeLine}" : $"When: {date}, {timeLine}", Flat(reminder.TextBody), StringComparison.Ordinal);
        Assert.Contains($"\n{agendaLine}  Bäckerei Müller GmbH – Filiale Schwabing (K10001)\n", agenda, StringComparison.Ordinal);
        Assert.Equal(cliCell, Output.Local(appointment.Time, zone));
    }

    [Fact]
    public void AgendaModel_AutumnDayWithTwoSessions_NoApparentOverlap()
    {
        var first = Pattern.Parse("2027-10-31T01:45+02:00").Value.ToInstant();
        var second = Pattern.Parse("2027-10-31T02:30+01:00").Value.ToInstant();
        var entries = new[] { first, second }.Select(s => Appointment(s)).Select(a =>
            new AgendaEntry(a, LocalTimeRange.In(a.Time, Berlin), null, Customer(), Type())).ToArray();

        var text = Catalog.Render(Language.De, "agenda.txt", AgendaMailer.Model(new DayAgenda(Anna, new LocalDate(2027, 10, 31), entries), Language.De));

        Assert.Contains("\n01:45 MESZ – 02:45 MESZ  Bäckerei", text, StringComparison.Ordinal);
        Assert.Contains("\n02:30 MEZ – 03:30 MEZ  Bäckerei", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Language.De, "\n16:00–17:00  Bäckerei Müller GmbH – Filiale Schwabing (K10001)\n  Filialzeit: 22:00–23:00 Uhr (MEZ)\n")]
    [InlineData(Language.En, "\n16:00–17:00  Bäckerei Müller GmbH – Filiale Schwabing (K10001)\n  Shop time:  22:00–23:00 (CET)\n")]
    public void AgendaModel_TechnicianInAnotherZone_ShopTimeBesideTheirOwn(Language language, string expected)
    {
        var newYork = DateTimeZoneProviders.Tzdb["America/New_York"];
        var appointment = Appointment(Pattern.Parse("2026-12-01T22:00+01:00").Value.ToInstant());
        var entry = new AgendaEntry(appointment, LocalTimeRange.In(appointment.Time, newYork), LocalTimeRange.In(appointment.Time, Berlin), Customer(), Type());

        var text = Catalog.Render(language, "agenda.txt", AgendaMailer.Model(new DayAgenda(Anna with { Zone = newYork }, new LocalDate(2026, 12, 1), [entry]), language));

        Assert.Contains(expected, text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Language.De, "Grund der Absage: Filiale wegen Inventur geschlossen <b>&", "<b>Grund der Absage:</b> Filiale wegen Inventur geschlossen &lt;b&gt;&amp;")]
    [InlineData(Language.En, "Reason: Filiale wegen Inventur geschlossen <b>&", "<b>Reason:</b> Filiale wegen Inventur geschlossen &lt;b&gt;&amp;")]
    public void Compose_CancelWithReason_SaysItAsTextAndEncodedInHtml(Language language, string text, string html)
    {
        var cancelled = Appointment(Pattern.Parse("2026-12-01T10:00+01:00").Value.ToInstant(), sequence: 1, status: AppointmentStatus.Cancelled);
        var context = new AppointmentContext(cancelled, Customer(language), Anna, Type(), Reason: "Filiale wegen Inventur geschlossen <b>&\r\nBcc: evil@example.test");

        var outbox = Assert.Single(Composer().Compose(InvitationKind.Cancel, context, Now));
        var message = Parse(outbox);

        Assert.Contains(text, Flat(message.TextBody), StringComparison.Ordinal);
        Assert.Contains(html, message.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("<b>& Bcc: evil@example.test", Flat(message.TextBody), StringComparison.Ordinal); // text on the reason's line, not a header
        Assert.DoesNotContain(message.Headers, h => h.Field.Equals("Bcc", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain("Filiale wegen", message.Subject, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Language.De, "Grund der Absage")]
    [InlineData(Language.En, "Reason:")]
    public void Compose_CancelWithoutReason_NoReasonLine(Language language, string label)
    {
        var cancelled = Appointment(Pattern.Parse("2026-12-01T10:00+01:00").Value.ToInstant(), sequence: 1, status: AppointmentStatus.Cancelled);

        var message = Parse(Assert.Single(Composer().Compose(InvitationKind.Cancel, new AppointmentContext(cancelled, Customer(language), Anna, Type()), Now)));

        Assert.DoesNotContain(label, message.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain(label, message.HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public void MessageModel_QueuedBeforeTimeRangeExisted_FallsBackToStartEndAndZone()
    {
        const string Old = """{"kind":"request","date":"Dienstag, 1. Dezember 2026","startTime":"10:00","endTime":"11:00","zoneName":"MEZ","previousStartTime":"09:00"}""";

        var model = System.Text.Json.JsonSerializer.Deserialize<MessageModel>(Old, JoeCash.Scheduler.Mail.MailRenderer.Json)!;

        Assert.Equal(("10:00–11:00 (MEZ)", "10:00", "09:00"), (model.TimeRange, model.StartAt, model.PreviousStartAt));
    }
}
