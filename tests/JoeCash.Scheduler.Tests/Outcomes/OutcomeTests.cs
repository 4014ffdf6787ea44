using System.Text.Json;
using Dapper;
using JoeCash.Scheduler.Booking;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Outcomes;
using JoeCash.Scheduler.Storage;
using JoeCash.Scheduler.Tests.Infrastructure;
using NodaTime;
using NodaTime.Testing;

namespace JoeCash.Scheduler.Tests.Outcomes;

/// <summary>Issue 16: the outcome of an appointment, recorded once it has begun; never for a cancelled one; a change is audited.</summary>
public abstract class OutcomeTests(StorageProvider provider) : ProviderSuite(provider)
{
    public sealed class OnSqlite() : OutcomeTests(StorageProvider.Sqlite);

    public sealed class OnPostgres() : OutcomeTests(StorageProvider.PostgreSQL);

    private static readonly DateTimeZone Berlin = DateTimeZoneProviders.Tzdb["Europe/Berlin"];

    private static Instant Local(int y, int m, int d, int h, int min = 0) => Berlin.AtStrictly(new LocalDateTime(y, m, d, h, min)).ToInstant();

    private readonly FakeClock _clock = new(Instant.FromUtc(2026, 11, 2, 7, 0));

    private async Task<SchedulerHost> StartAsync()
    {
        var host = await StartHostAsync(clock: _clock);
        await host.AddTechnicianAsync("Anna Berger", hours: "Mon-Sun 00:00-24:00");
        await host.AddTechnicianAsync("Ben Kurz", hours: "Mon-Sun 00:00-24:00");
        await host.AddCustomerAsync("K1");
        return host;
    }

    private static async Task<Appointment> BookAsync(SchedulerHost host, Instant start, string type = "fault", string technician = "1", bool ack = false)
    {
        var outcome = await host.Booking.BookAsync(new BookingRequest("K1", type, technician, start, "Kasse startet nicht", ack, "dispo"));
        Assert.True(outcome.Succeeded, outcome.Refusal?.Message);
        return outcome.Appointment!;
    }

    private static OutcomeRequest Done(long id, int? minutes = null, string? note = null, long? only = null) =>
        new(id, OutcomeKind.Done, minutes, note, null, "anna", only);

    private static async Task<(long Outcomes, long Audit, long Appointments, long Outbox)> CountsAsync(SchedulerHost host)
    {
        await using var c = await host.Database.OpenAsync();
        return (await c.ExecuteScalarAsync<long>("SELECT count(*) FROM appointment_outcomes"),
            await c.ExecuteScalarAsync<long>("SELECT count(*) FROM appointment_audit"),
            await c.ExecuteScalarAsync<long>("SELECT count(*) FROM appointments"),
            await c.ExecuteScalarAsync<long>("SELECT count(*) FROM outbox"));
    }

    [Fact]
    public async Task RecordAsync_BeforeTheStart_IsRefusedAndWritesNothing_AtTheStart_IsRecorded()
    {
        await using var host = await StartAsync();
        var a = await BookAsync(host, Local(2026, 11, 3, 10));
        _clock.Reset(a.Start - Duration.FromMilliseconds(1));
        var before = await CountsAsync(host);

        var early = await host.Get<OutcomeService>().RecordAsync(Done(a.Id));

        Assert.Equal(OutcomeRefusalCode.NotBegun, early.Refusal!.Code);
        Assert.Contains("has not begun", early.Refusal.Message, StringComparison.Ordinal);
        Assert.Equal(before, await CountsAsync(host));

        _clock.Reset(a.Start);
        var begun = await host.Get<OutcomeService>().RecordAsync(Done(a.Id));
        Assert.True(begun.Succeeded, begun.Refusal?.Message);
        Assert.Equal(60, begun.Outcome!.Minutes);
    }

    [Fact]
    public async Task RecordAsync_CancelledAppointment_IsRefused_EvenAfterItsTime()
    {
        await using var host = await StartAsync();
        var a = await BookAsync(host, Local(2026, 11, 3, 10));
        Assert.True((await host.Booking.CancelAsync(a.Id, 1, "Laden geschlossen", "dispo")).Succeeded);
        _clock.Reset(a.End + Duration.FromHours(1));
        var before = await CountsAsync(host);

        var result = await host.Get<OutcomeService>().RecordAsync(new OutcomeRequest(a.Id, OutcomeKind.NoShow, null, null, null, "anna"));

        Assert.Equal(OutcomeRefusalCode.Cancelled, result.Refusal!.Code);
        Assert.Equal(before, await CountsAsync(host));
    }

    [Fact]
    public async Task RecordAsync_ChangedLater_LeavesAnAuditLineWithWhatItWasAndIs()
    {
        await using var host = await StartAsync();
        var a = await BookAsync(host, Local(2026, 11, 3, 10));
        _clock.Reset(a.End);
        var service = host.Get<OutcomeService>();

        var first = await service.RecordAsync(new OutcomeRequest(a.Id, OutcomeKind.NoShow, null, "RustDesk lief nicht", null, "anna"));
        _clock.Advance(Duration.FromMinutes(30));
        var second = await service.RecordAsync(Done(a.Id, 45, "Shop rief zurück; Drucker neu eingerichtet"));

        Assert.True(first.Succeeded && !first.Changed, first.Refusal?.Message);
        Assert.True(second.Succeeded && second.Changed, second.Refusal?.Message);
        await using var c = await host.Database.OpenAsync();
        var stored = await c.OutcomeOfAsync(a.Id);
        Assert.Equal((OutcomeKind.Done, 45, "Shop rief zurück; Drucker neu eingerichtet"), (stored!.Kind, stored.Minutes!.Value, stored.Note));
        var audit = (await c.AuditTrailAsync(a.Id)).ToList();
        Assert.Equal(["booked", "outcome", "outcome-changed"], audit.Select(e => e.Action));
        var change = JsonDocument.Parse(audit[2].Details).RootElement;
        Assert.Equal("no-show", change.GetProperty("from").GetProperty("outcome").GetString());
        Assert.Equal("RustDesk lief nicht", change.GetProperty("from").GetProperty("note").GetString());
        Assert.Equal("done", change.GetProperty("to").GetProperty("outcome").GetString());
        Assert.Equal(45, change.GetProperty("to").GetProperty("minutes").GetInt32());
        Assert.Equal(_clock.GetCurrentInstant(), audit[2].At);
    }

    [Theory]
    [InlineData(0, null, "minutes: 0 is not between 1 and 1440")]
    [InlineData(1441, null, "minutes: 1441 is not between 1 and 1440")]
    [InlineData(30, "4001", "note is 4001 characters long; at most 4000")]
    [InlineData(30, "\u202E", "note contains an invisible control or format character")]
    public async Task RecordAsync_BadInput_IsRefusedWithAClearMessageAndWritesNothing(int minutes, string? note, string message)
    {
        await using var host = await StartAsync();
        var a = await BookAsync(host, Local(2026, 11, 3, 10));
        _clock.Reset(a.End);
        var before = await CountsAsync(host);
        var text = note == "4001" ? new string('x', 4001) : note;

        var result = await host.Get<OutcomeService>().RecordAsync(Done(a.Id, minutes, text));

        Assert.Equal(OutcomeRefusalCode.BadInput, result.Refusal!.Code);
        Assert.Contains(message, result.Refusal.Message, StringComparison.Ordinal);
        Assert.Equal(before, await CountsAsync(host));
    }

    [Fact]
    public async Task RecordAsync_ANoteOf4000Characters_IsKept()
    {
        await using var host = await StartAsync();
        var a = await BookAsync(host, Local(2026, 11, 3, 10));
        _clock.Reset(a.End);
        var note = string.Concat(Enumerable.Repeat("Ärger mit dem Bondrucker. ", 200))[..4000];

        var result = await host.Get<OutcomeService>().RecordAsync(Done(a.Id, note: note));

        Assert.True(result.Succeeded, result.Refusal?.Message);
        await using var c = await host.Database.OpenAsync();
        Assert.Equal(note.Trim(), (await c.OutcomeOfAsync(a.Id))!.Note);
    }

    [Fact]
    public async Task RecordAsync_ByAnotherTechnician_IsNotFound()
    {
        await using var host = await StartAsync();
        var a = await BookAsync(host, Local(2026, 11, 3, 10), technician: "2");
        _clock.Reset(a.End);

        var result = await host.Get<OutcomeService>().RecordAsync(Done(a.Id, only: 1));
        var own = await host.Get<OutcomeService>().RecordAsync(Done(a.Id, only: 2));

        Assert.Equal(OutcomeRefusalCode.NotFound, result.Refusal!.Code);
        Assert.True(own.Succeeded, own.Refusal?.Message);
    }

    [Fact]
    public async Task RecordAsync_FollowUp_IsBookedByTheRules_LinkedToTheFirst_AndTheShopIsInvited()
    {
        await using var host = await StartAsync();
        var a = await BookAsync(host, Local(2026, 11, 3, 10), type: "training", ack: true);
        _clock.Reset(a.Start + Duration.FromMinutes(50));
        var service = host.Get<OutcomeService>();
        var (_, _, appointments, outbox) = await CountsAsync(host);

        // Without the shop's acknowledgment a billable follow-up is refused by the booking rules, and nothing is written.
        var refused = await service.RecordAsync(new OutcomeRequest(a.Id, OutcomeKind.FollowUp, null, null,
            new FollowUpRequest(Local(2026, 11, 10, 10), null, null, AcknowledgeCost: false), "anna"));
        Assert.Equal(OutcomeRefusalCode.FollowUpRefused, refused.Refusal!.Code);
        Assert.Equal(RefusalCode.CostNotAcknowledged, refused.Refusal.Booking!.Code);
        var after = await CountsAsync(host);
        Assert.Equal((0L, appointments, outbox), (after.Outcomes, after.Appointments, after.Outbox));

        var booked = await service.RecordAsync(new OutcomeRequest(a.Id, OutcomeKind.FollowUp, null, "Teil 2: Warenwirtschaft",
            new FollowUpRequest(Local(2026, 11, 10, 10), null, null, AcknowledgeCost: true), "anna"));

        Assert.True(booked.Succeeded, booked.Refusal?.Message);
        var followUp = (await host.Booking.ReadAsync(booked.Outcome!.FollowUpId!.Value))!;
        Assert.Equal(("training", 1L, Local(2026, 11, 10, 10), "anna"), (followUp.TypeKey, followUp.TechnicianId, followUp.Start, followUp.BookedBy));
        await using var c = await host.Database.OpenAsync();
        Assert.Equal(1, await c.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM outbox WHERE appointment_id = @id AND kind = 'invitation'", new { id = followUp.Id }));
        Assert.Equal(["booked", "follow-up-of"], (await c.AuditTrailAsync(followUp.Id)).Select(e => e.Action));
        Assert.Equal(OutcomeKind.FollowUp, (await c.OutcomeOfAsync(a.Id))!.Kind);

        // A second follow-up while the first stands is refused: move or cancel that one.
        var again = await service.RecordAsync(new OutcomeRequest(a.Id, OutcomeKind.FollowUp, null, null,
            new FollowUpRequest(Local(2026, 11, 11, 10), null, null, AcknowledgeCost: true), "anna"));
        Assert.Equal(OutcomeRefusalCode.FollowUpExists, again.Refusal!.Code);

        // Nor another outcome: the shop would stay invited to a follow-up nobody wants. Once it is cancelled, it may.
        var done = new OutcomeRequest(a.Id, OutcomeKind.Done, null, null, null, "anna");
        var changed = await service.RecordAsync(done);
        Assert.Equal(OutcomeRefusalCode.FollowUpExists, changed.Refusal!.Code);
        Assert.Contains($"appointment {followUp.Id}", changed.Refusal.Message, StringComparison.Ordinal);
        Assert.Equal(OutcomeKind.FollowUp, (await c.OutcomeOfAsync(a.Id))!.Kind);
        Assert.True((await host.Booking.CancelAsync(followUp.Id, followUp.Version, "no longer needed", "anna")).Succeeded);
        Assert.True((await service.RecordAsync(done)).Succeeded);
        Assert.Equal(OutcomeKind.Done, (await c.OutcomeOfAsync(a.Id))!.Kind);
    }

    [Fact]
    public async Task AfterSessions_ListsThoseWithoutOutcome_NoShowsPerShop_AndFollowUps()
    {
        await using var host = await StartAsync();
        await host.AddCustomerAsync("K2");
        var open = await BookAsync(host, Local(2026, 11, 3, 8));
        var noShow = await BookAsync(host, Local(2026, 11, 3, 10));
        var follow = await BookAsync(host, Local(2026, 11, 3, 12));
        var upcoming = await BookAsync(host, Local(2026, 11, 5, 12));
        _clock.Reset(Local(2026, 11, 3, 16));
        var service = host.Get<OutcomeService>();
        Assert.True((await service.RecordAsync(new OutcomeRequest(noShow.Id, OutcomeKind.NoShow, null, null, null, "anna"))).Succeeded);
        var f = await service.RecordAsync(new OutcomeRequest(follow.Id, OutcomeKind.FollowUp, null, null, new FollowUpRequest(Local(2026, 11, 4, 9), null, null, false), "anna"));
        Assert.True(f.Succeeded, f.Refusal?.Message);

        var after = await host.Get<OutcomeQueries>().AfterSessionsAsync(50);

        Assert.Equal([open.Id], after.WithoutOutcome.Select(i => i.Appointment.Id));
        var shop = Assert.Single(after.NoShows);
        Assert.Equal(("K1", 1L), (shop.Customer.Number, shop.NoShows));
        var item = Assert.Single(after.FollowUps);
        Assert.Equal((follow.Id, f.Outcome!.FollowUpId), (item.Appointment.Id, item.FollowUp?.Id));
        Assert.DoesNotContain(upcoming.Id, after.WithoutOutcome.Select(i => i.Appointment.Id));
    }
}
