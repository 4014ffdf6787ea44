using Dapper;
using JoeCash.Scheduler.Agenda;
using JoeCash.Scheduler.Booking;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Scheduling;
using JoeCash.Scheduler.Storage;
using JoeCash.Scheduler.Technicians;
using JoeCash.Scheduler.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using MimeKit;
using NodaTime;
using NodaTime.Testing;
using Quartz;

namespace JoeCash.Scheduler.Tests.Agenda;

public abstract class AgendaTests(StorageProvider provider) : ProviderSuite(provider)
{
    public sealed class OnSqlite() : AgendaTests(StorageProvider.Sqlite);

    public sealed class OnPostgres() : AgendaTests(StorageProvider.PostgreSQL);

    private static readonly DateTimeZone Berlin = DateTimeZoneProviders.Tzdb["Europe/Berlin"];

    private static Instant Local(int y, int m, int d, int h, int min = 0) => Berlin.AtStrictly(new LocalDateTime(y, m, d, h, min)).ToInstant();

    private async Task<(SchedulerHost Host, Technician Anna)> StartAsync(FakeClock clock, bool sendWhenEmpty = false)
    {
        var host = await StartHostAsync(new Dictionary<string, string?> { ["Agenda:SendWhenEmpty"] = sendWhenEmpty ? "true" : "false" }, clock);
        await host.AddTechnicianAsync("Anna Berger");
        await host.AddCustomerAsync("K1");
        await host.AddCustomerAsync("K2", rustDesk: "");
        await using var connection = await host.Database.OpenAsync();
        return (host, (await connection.FindTechnicianAsync("1")).Value);
    }

    private static async Task<IReadOnlyList<(string MessageId, byte[] Mime)>> AgendaMailsAsync(SchedulerHost host)
    {
        await using var connection = await host.Database.OpenAsync();
        var rows = await connection.QueryAsync<(string MessageId, string Payload)>("SELECT o.message_id, p.payload FROM outbox o JOIN outbox_payloads p ON p.outbox_id = o.id WHERE o.kind = 'agenda'");
        return [.. rows.Select(r => (r.MessageId, JoeCash.Scheduler.Mail.MailRenderer.ToBytes(host.Get<JoeCash.Scheduler.Mail.MailRenderer>().Render(r.MessageId, r.Payload))))];
    }

    [Fact]
    public async Task QueueAsync_DayWithAppointments_OneEmailInOrderWithWhatTheCallNeeds()
    {
        var clock = new FakeClock(Local(2026, 12, 1, 6));
        var (host, anna) = await StartAsync(clock);
        await using var _ = host;
        await host.Booking.BookAsync(new BookingRequest("K2", "training", "1", Local(2026, 12, 2, 14), "Kassenbuch erklären", true, "test"));
        await host.Booking.BookAsync(new BookingRequest("K1", "fault", "1", Local(2026, 12, 2, 9), "Drucker", false, "test"));
        clock.Reset(Local(2026, 12, 2, 7));
        var mailer = host.Get<AgendaMailer>();

        Assert.True(await mailer.QueueAsync(anna, new LocalDate(2026, 12, 2)));
        Assert.True(await mailer.QueueAsync(anna, new LocalDate(2026, 12, 2))); // a second run (misfire after restart) …

        var mail = Assert.Single(await AgendaMailsAsync(host)); // … is the same message
        var message = MimeMessage.Load(new MemoryStream(mail.Mime));
        Assert.Equal("anna.berger@joecash.test", message.To.Mailboxes.Single().Address);
        Assert.Equal("Ihr Tag am Mittwoch, 2. Dezember 2026: 2 Fernwartungen", message.Subject);
        var text = message.TextBody!;
        Assert.True(text.IndexOf("09:00–10:00", StringComparison.Ordinal) < text.IndexOf("14:00–15:00", StringComparison.Ordinal), text);
        foreach (var expected in new[] { "Shop K1 – Filiale (K1)", "Erika Muster, +49 89 123456", "732 901 938", "keine ID hinterlegt", "(kostenpflichtig)", "Kassenbuch erklären", "noch keine Antwort" })
        {
            Assert.Contains(expected, text, StringComparison.Ordinal);
        }

        // The agenda verb prints the same text.
        Assert.Equal(text.Trim(), mailer.Text(await host.Get<AgendaBuilder>().BuildAsync(anna, new LocalDate(2026, 12, 2))).Trim());
    }

    [Theory]
    [InlineData(false, 0)]
    [InlineData(true, 1)]
    public async Task QueueAsync_DayWithoutAppointments_EmailOnlyWhenConfigured(bool sendWhenEmpty, int expected)
    {
        var clock = new FakeClock(Local(2026, 12, 2, 7));
        var (host, anna) = await StartAsync(clock, sendWhenEmpty);
        await using var _ = host;

        await host.Get<AgendaMailer>().QueueAsync(anna, new LocalDate(2026, 12, 2));

        var mails = await AgendaMailsAsync(host);
        Assert.Equal(expected, mails.Count);
        if (expected == 1)
        {
            Assert.Contains("keine Fernwartungen", MimeMessage.Load(new MemoryStream(mails[0].Mime)).TextBody, StringComparison.Ordinal);
        }
    }

    public static TheoryData<string, string, string, string[]> MorningTriggers => new()
    {
        // technician zone, hours, after (UTC), the next three morning fires (UTC)
        { "Europe/Berlin", "Mon-Fri 08:00-17:00", "2027-03-25T12:00:00Z", ["2027-03-26T06:00:00Z", "2027-03-29T05:00:00Z", "2027-03-30T05:00:00Z"] },
        { "Europe/Berlin", "Mon-Fri 08:00-17:00", "2027-10-28T12:00:00Z", ["2027-10-29T05:00:00Z", "2027-11-01T06:00:00Z", "2027-11-02T06:00:00Z"] },
        { "America/New_York", "Tue,Thu 09:00-12:00", "2027-03-10T00:00:00Z", ["2027-03-11T12:00:00Z", "2027-03-16T11:00:00Z", "2027-03-18T11:00:00Z"] },
    };

    [Theory]
    [MemberData(nameof(MorningTriggers))]
    public async Task AgendaTriggers_AtSevenInTheTechniciansZone_OnWorkingDaysAcrossDst(string zone, string hours, string after, string[] expected)
    {
        var technician = new Technician(7, "Tech", "tech@joecash.test", DateTimeZoneProviders.Tzdb[zone], FederalState.BE,
            WeeklyHours.Parse(hours.Replace("Tue,Thu", "Tue 09:00-12:00; Thu", StringComparison.Ordinal)).Value, new HashSet<string> { "fault" }, null, true);
        var triggers = new AgendaTriggers(Options.Create(new AgendaOptions()));
        var scheduler = await QuartzSchedulerBuilder.Create(q =>
        {
            q.UseInMemoryStore(_ => { });
            // Only the triggers are under test: a stand-in job under the agenda's key.
            q.AddJob<NothingJob>(job => job.WithIdentity(AgendaTriggers.JobKey).StoreDurably());
        }).BuildScheduler(CancellationToken.None);

        var changed = await triggers.ReconcileAsync(scheduler, [technician], CancellationToken.None);
        var unchanged = await triggers.ReconcileAsync(scheduler, [technician], CancellationToken.None);
        var trigger = (ICronTrigger)(await scheduler.GetTrigger(new TriggerKey("agenda-7", "agenda"), CancellationToken.None))!;

        Assert.Equal((1, 0), (changed, unchanged));
        var fires = new List<string>();
        var from = DateTimeOffset.Parse(after, System.Globalization.CultureInfo.InvariantCulture);
        for (var i = 0; i < 3; i++)
        {
            from = trigger.GetFireTimeAfter(from)!.Value;
            fires.Add(Instant.FromDateTimeOffset(from).ToString());
        }

        Assert.Equal(expected, fires);
        Assert.Equal(1, await triggers.ReconcileAsync(scheduler, [technician with { Active = false }], CancellationToken.None)); // removed
        Assert.Null(await scheduler.GetTrigger(new TriggerKey("agenda-7", "agenda"), CancellationToken.None));
        await scheduler.Shutdown(waitForJobsToComplete: false);
    }
}

/// <summary>A job that does nothing, so trigger tests need no database.</summary>
public sealed class NothingJob : IJob
{
    public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
