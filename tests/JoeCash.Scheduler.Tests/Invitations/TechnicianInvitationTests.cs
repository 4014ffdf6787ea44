using System.Text.RegularExpressions;
using Dapper;
using JoeCash.Scheduler.Invitations;
using JoeCash.Scheduler.Mail;
using JoeCash.Scheduler.Tests.Infrastructure;
using MimeKit;
using NodaTime.Testing;
using static JoeCash.Scheduler.Tests.Feeds.FeedFixture;

namespace JoeCash.Scheduler.Tests.Invitations;

/// <summary>The technician's own invitation, as the outbox holds it and the dispatcher would send it.</summary>
public sealed partial class TechnicianInvitationTests
{
    private static async Task<IReadOnlyList<(string Kind, string Recipient, MimeMessage Message)>> OutboxAsync(SchedulerHost host)
    {
        await using var connection = await host.Database.OpenAsync();
        var rows = await connection.QueryAsync<(string Kind, string Recipient, string MessageId, string Payload)>("SELECT o.kind, o.recipient, o.message_id, p.payload FROM outbox o JOIN outbox_payloads p ON p.outbox_id = o.id ORDER BY o.id");
        var renderer = host.Get<MailRenderer>();
        return [.. rows.Select(r => (r.Kind, r.Recipient, MimeMessage.Load(new MemoryStream(MailRenderer.ToBytes(renderer.Render(r.MessageId, r.Payload))))))];
    }

    private static string Calendar(MimeMessage message) =>
        Invitations.CalendarBytes(message).Replace("\r\n ", "", StringComparison.Ordinal);

    private static string Property(string calendar, string name) =>
        calendar.Split("\r\n").Single(l => l.StartsWith(name + ":", StringComparison.Ordinal) || l.StartsWith(name + ";", StringComparison.Ordinal));

    [Fact]
    public async Task Booking_QueuesTheShopsInvitationAndTheTechniciansOwn_DistinctUidsSameTransaction()
    {
        var clock = new FakeClock(Utc(2026, 12, 1, 6));
        await using var host = await StartAsync(clock);
        await host.AddCustomerAsync("K9", language: "en");
        var appointment = await BookAsync(host, Utc(2026, 12, 2, 9), "Bondrucker; streikt, seit gestern", customer: "K9");

        var outbox = await OutboxAsync(host);

        Assert.Equal(["invitation", "technician-invitation"], outbox.Select(o => o.Kind));
        var shop = outbox[0].Message;
        var tech = outbox[1].Message;
        Assert.Equal("k9@shop.test", shop.To.Mailboxes.Single().Address);
        Assert.Equal("anna.berger@joecash.test", tech.To.Mailboxes.Single().Address);
        Assert.Equal("support@joecash.test", tech.From.Mailboxes.Single().Address);
        Assert.NotEqual(shop.MessageId, tech.MessageId);
        Assert.Equal("auto-generated", tech.Headers["Auto-Submitted"]);
        // The shop reads English; staff read German (Agenda:Language): each copy in its reader's language.
        Assert.StartsWith("JoeCash remote maintenance", shop.Subject, StringComparison.Ordinal);
        Assert.Equal("Fernwartung Shop K9 – Filiale (K9) am Mittwoch, 2. Dezember 2026, 10:00 Uhr", tech.Subject);

        var shopIcs = Calendar(shop);
        var techIcs = Calendar(tech);
        Assert.Equal("UID:" + appointment.Uid, Property(shopIcs, "UID"));
        Assert.Equal("UID:tech-" + appointment.Uid, Property(techIcs, "UID"));
        Assert.Equal("METHOD:REQUEST", Property(techIcs, "METHOD"));
        Assert.Equal("SEQUENCE:0", Property(techIcs, "SEQUENCE"));
        Assert.Contains("mailto:support@joecash.test", Property(techIcs, "ORGANIZER"), StringComparison.Ordinal);
        Assert.EndsWith("mailto:anna.berger@joecash.test", Property(techIcs, "ATTENDEE"), StringComparison.Ordinal);
        Assert.Single(techIcs.Split("\r\n"), l => l.StartsWith("ATTENDEE", StringComparison.Ordinal));
        Assert.Equal("DTSTART;TZID=Europe/Berlin:20261202T100000", Property(techIcs[techIcs.IndexOf("BEGIN:VEVENT", StringComparison.Ordinal)..], "DTSTART"));
        var report = await IcalJsAsync("technician-invitation", Invitations.CalendarBytes(tech));
        var evt = Assert.Single(report.GetProperty("events").EnumerateArray());
        var description = evt.GetProperty("description").GetString()!;
        foreach (var expected in new[] { "Kunde: Shop K9 (K9)", "Filiale: Filiale", "Kontakt: Erika Muster", "Telefon: +49 89 123456", "RustDesk-ID: 732 901 938", "Thema: Störungsbehebung", "Anliegen: Bondrucker; streikt, seit gestern" })
        {
            Assert.Contains(expected, description, StringComparison.Ordinal);
        }

        Assert.Contains("Telefon:    +49 89 123456", tech.TextBody, StringComparison.Ordinal);
        Assert.Equal("Fernwartung: Shop K9 – Filiale (K9)", evt.GetProperty("summary").GetString());
    }

    [Fact]
    public async Task StaffLanguageEnglish_WritesTheTechniciansCopyInEnglish()
    {
        await using var host = await StartAsync(new FakeClock(Utc(2026, 12, 1, 6)), new() { ["Agenda:Language"] = "En" });
        await BookAsync(host, Utc(2026, 12, 2, 9));

        var tech = (await OutboxAsync(host)).Single(o => o.Kind == "technician-invitation").Message;

        Assert.Equal("Remote session Shop K1 – Filiale (K1) on Wednesday, 2 December 2026, 10:00", tech.Subject);
        Assert.Contains("Phone: +49 89 123456", Calendar(tech), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Move_UpdatesTheSameTechnicianUid_WithSequencePlusOne_AndCancelSendsMethodCancel()
    {
        var clock = new FakeClock(Utc(2026, 12, 1, 6));
        await using var host = await StartAsync(clock);
        var appointment = await BookAsync(host, Utc(2026, 12, 2, 9));
        var moved = (await host.Booking.RescheduleAsync(appointment.Id, appointment.Version, Utc(2026, 12, 2, 13), null, "test")).Appointment!;
        Assert.True((await host.Booking.CancelAsync(appointment.Id, moved.Version, "Filiale zu", "test")).Succeeded);

        var tech = (await OutboxAsync(host)).Where(o => o.Recipient == "anna.berger@joecash.test").ToList();

        Assert.Equal(["technician-invitation", "technician-update", "technician-cancellation"], tech.Select(t => t.Kind));
        var update = Calendar(tech[1].Message);
        Assert.Equal("UID:tech-" + appointment.Uid, Property(update, "UID"));
        Assert.Equal("SEQUENCE:1", Property(update, "SEQUENCE"));
        Assert.Equal("METHOD:REQUEST", Property(update, "METHOD"));
        Assert.StartsWith("Verschoben: ", tech[1].Message.Subject, StringComparison.Ordinal);
        var cancel = Calendar(tech[2].Message);
        Assert.Equal("METHOD:CANCEL", Property(cancel, "METHOD"));
        Assert.Equal("UID:tech-" + appointment.Uid, Property(cancel, "UID"));
        Assert.Equal("STATUS:CANCELLED", Property(cancel, "STATUS"));
        Assert.Contains("Grund der Absage: Filiale zu", tech[2].Message.TextBody, StringComparison.Ordinal);
        Assert.Equal(3, tech.Select(t => t.Message.MessageId).Distinct().Count());
    }

    [Fact]
    public async Task MoveToAnotherTechnician_CancelsThePreviousCopy_AndInvitesTheNewTechnician()
    {
        var clock = new FakeClock(Utc(2026, 12, 1, 6));
        await using var host = await StartAsync(clock);
        await host.AddTechnicianAsync("Ben Other", hours: "Mon-Sun 00:00-24:00");
        var appointment = await BookAsync(host, Utc(2026, 12, 2, 9));

        Assert.True((await host.Booking.RescheduleAsync(appointment.Id, appointment.Version, Utc(2026, 12, 2, 9), "2", "test")).Succeeded);

        var outbox = await OutboxAsync(host);
        var anna = outbox.Where(o => o.Recipient == "anna.berger@joecash.test").Select(o => (o.Kind, Method: Property(Calendar(o.Message), "METHOD"))).ToList();
        var ben = outbox.Single(o => o.Recipient == "ben.other@joecash.test");
        Assert.Equal([("technician-invitation", "METHOD:REQUEST"), ("technician-cancellation", "METHOD:CANCEL")], anna);
        Assert.Equal("technician-invitation", ben.Kind);
        Assert.Equal("UID:tech-" + appointment.Uid, Property(Calendar(ben.Message), "UID"));
        Assert.Equal("SEQUENCE:1", Property(Calendar(ben.Message), "SEQUENCE"));
    }

    [Fact]
    public async Task TurnedOff_OnlyTheShopsMailIsQueued()
    {
        await using var host = await StartAsync(new FakeClock(Utc(2026, 12, 1, 6)), new() { ["Scheduler:TechnicianInvitations"] = "false" });
        var appointment = await BookAsync(host, Utc(2026, 12, 2, 9));
        Assert.True((await host.Booking.CancelAsync(appointment.Id, appointment.Version, null, "test")).Succeeded);

        Assert.Equal(["invitation", "cancellation"], (await OutboxAsync(host)).Select(o => o.Kind));
    }

    [Fact]
    public void TechnicianUid_IsThePrefixedShopUid_AndMapsBack()
    {
        const string Uid = "0123456789abcdef0123456789abcdef@scheduler.joecash.test";
        Assert.Equal("tech-" + Uid, TechnicianInvitationComposer.Uid(Uid));
        Assert.Equal(Uid, TechnicianInvitationComposer.AppointmentUid(TechnicianInvitationComposer.Uid(Uid)));
        Assert.Null(TechnicianInvitationComposer.AppointmentUid(Uid));
        Assert.Null(TechnicianInvitationComposer.AppointmentUid("tech-"));
        Assert.Matches(UidShape(), TechnicianInvitationComposer.Uid(Uid));
    }

    [GeneratedRegex("^tech-[0-9a-f]{32}@")]
    private static partial Regex UidShape();
}
