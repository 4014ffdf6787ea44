using Dapper;
using JoeCash.Scheduler.Booking;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Domain.Availability;
using JoeCash.Scheduler.Storage;
using JoeCash.Scheduler.Technicians;
using JoeCash.Scheduler.Tests.Infrastructure;
using NodaTime;

namespace JoeCash.Scheduler.Tests.Technicians;

/// <summary>
/// Issue 11: a technician is edited as they were added, field by field; an edit never moves a booked appointment, and
/// one that would leave booked appointments ahead outside the technician's new terms saves nothing unless told to keep them.
/// </summary>
public abstract class TechnicianEditTests(StorageProvider provider) : ProviderSuite(provider)
{
    public sealed class OnSqlite() : TechnicianEditTests(StorageProvider.Sqlite);

    public sealed class OnPostgres() : TechnicianEditTests(StorageProvider.PostgreSQL);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static BookingRequest Fault(Instant start, string customer = "K1", string technician = "1") =>
        new(customer, "fault", technician, start, null, false, "dispatcher");

    /// <summary>Anna (technician 1, Mon–Fri 08:00–17:00, Berlin, every type) and the shops K1 and K2.</summary>
    private async Task<(SchedulerHost Host, long Anna)> StartAsync()
    {
        var host = await StartHostAsync();
        var anna = await host.AddTechnicianAsync("Anna");
        await host.AddCustomerAsync("K1");
        await host.AddCustomerAsync("K2");
        return (host, anna);
    }

    [Fact]
    public async Task EditAsync_SomeFields_ChangesThoseAndKeepsTheRest()
    {
        var (host, anna) = await StartAsync();
        await using var _ = host;

        var outcome = await host.Get<TechnicianEditService>().EditAsync(anna, new TechnicianEdit(Name: "Anna Berger-Schmidt", Hours: "Mo-Do 07:00-15:00", DailyCap: 4), keepMisfits: false, cancellationToken: Cancel);

        Assert.True(outcome.Succeeded, outcome.Refusal);
        var stored = (await host.Get<TechnicianService>().FindAsync(anna, Cancel)).Value;
        Assert.Equal("Anna Berger-Schmidt", stored.Name);
        Assert.Equal("Mon-Thu 07:00-15:00", stored.Hours.ToString());
        Assert.Equal(4, stored.DailyCap);
        Assert.Equal("anna@joecash.test", stored.Email);
        Assert.Equal(FederalState.BY, stored.State);
        Assert.True(stored.Active);

        var cleared = await host.Get<TechnicianEditService>().EditAsync(anna, new TechnicianEdit(ClearDailyCap: true), keepMisfits: false, cancellationToken: Cancel);
        Assert.Null(cleared.Saved!.DailyCap);
        Assert.Equal("Anna Berger-Schmidt", cleared.Saved.Name);
    }

    [Theory]
    [InlineData("hours", "Mo-Fr ab 8", "working hours")]
    [InlineData("zone", "Europe/Atlantis", "'Europe/Atlantis' is not an IANA time zone id")]
    [InlineData("types", "fault,juggling", "appointment types")]
    [InlineData("email", "jonas@joecash.test", "technician 2 (Jonas) already has jonas@joecash.test")]
    [InlineData("types", "", "appointment types: choose at least one type")]
    [InlineData("zone", " ", "time zone: give an IANA time zone id")]
    public async Task EditAsync_BadField_RefusedNamingItAndNothingChanges(string field, string value, string expected)
    {
        var (host, anna) = await StartAsync();
        await using var _ = host;
        await host.AddTechnicianAsync("Jonas");
        var before = (await host.Get<TechnicianService>().FindAsync(anna, Cancel)).Value;
        var edit = field switch
        {
            "hours" => new TechnicianEdit(Hours: value),
            "zone" => new TechnicianEdit(Zone: value),
            "types" => new TechnicianEdit(Types: value),
            _ => new TechnicianEdit(Email: value),
        };

        var outcome = await host.Get<TechnicianEditService>().EditAsync(anna, edit, keepMisfits: true, cancellationToken: Cancel);

        Assert.False(outcome.Succeeded);
        Assert.Contains(expected, outcome.Refusal, StringComparison.Ordinal);
        var after = (await host.Get<TechnicianService>().FindAsync(anna, Cancel)).Value;
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(TechnicianRecord.From(before)), System.Text.Json.JsonSerializer.Serialize(TechnicianRecord.From(after)));
    }

    [Fact]
    public async Task EditAsync_UnknownTechnician_RefusedByItsId()
    {
        var (host, _) = await StartAsync();
        await using var _h = host;

        var outcome = await host.Get<TechnicianEditService>().EditAsync(99, new TechnicianEdit(Name: "Nobody"), keepMisfits: false, cancellationToken: Cancel);

        Assert.Contains("no technician '99'", outcome.Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EditAsync_DeactivatingWithBookedAppointmentsAhead_ListsThemAndSavesNothing_UntilToldToKeepThem()
    {
        var (host, anna) = await StartAsync();
        await using var _ = host;
        var booked = (await host.Booking.BookAsync(Fault(host.NextWorkingDayAt(10)), Cancel)).Appointment!;
        var edits = host.Get<TechnicianEditService>();

        var refused = await edits.EditAsync(anna, new TechnicianEdit(Active: false), keepMisfits: false, cancellationToken: Cancel);

        Assert.True(refused.NeedsChoice);
        var misfit = Assert.Single(refused.Misfits);
        Assert.Equal(booked.Id, misfit.Booked.Appointment.Id);
        Assert.Contains("Anna would be inactive", refused.Refusal, StringComparison.Ordinal);
        Assert.Contains("(K1)", refused.Refusal, StringComparison.Ordinal);
        Assert.True((await host.Get<TechnicianService>().FindAsync(anna, Cancel)).Value.Active);

        var kept = await edits.EditAsync(anna, new TechnicianEdit(Active: false), keepMisfits: true, cancellationToken: Cancel);

        Assert.True(kept.Succeeded);
        Assert.Single(kept.Misfits);
        Assert.Equal(AppointmentStatus.Booked, (await host.Booking.ReadAsync(booked.Id, Cancel))!.Status);
        var next = await host.Booking.BookAsync(Fault(host.NextWorkingDayAt(14), "K2"), Cancel);
        Assert.Equal(SlotRejection.TechnicianInactive, next.Refusal!.SlotReason);
    }

    [Fact]
    public async Task EditAsync_ShorterHoursFewerTypesLowerCap_ListsEachAppointmentThatNoLongerFitsWithItsReason()
    {
        var (host, anna) = await StartAsync();
        await using var _ = host;
        await host.AddCustomerAsync("K3");
        var day = host.NextWorkingDayAt(9);
        var early = (await host.Booking.BookAsync(Fault(day), Cancel)).Appointment!;
        var noon = (await host.Booking.BookAsync(Fault(day + Duration.FromHours(3), "K2"), Cancel)).Appointment!;
        var late = (await host.Booking.BookAsync(Fault(day + Duration.FromHours(6), "K3"), Cancel)).Appointment!;
        var edits = host.Get<TechnicianEditService>();

        var hours = await edits.EditAsync(anna, new TechnicianEdit(Hours: "Mon-Fri 08:00-14:00"), keepMisfits: false, cancellationToken: Cancel);
        var types = await edits.EditAsync(anna, new TechnicianEdit(Types: "training"), keepMisfits: false, cancellationToken: Cancel);
        var cap = await edits.EditAsync(anna, new TechnicianEdit(DailyCap: 2), keepMisfits: false, cancellationToken: Cancel);
        var fits = await edits.EditAsync(anna, new TechnicianEdit(Hours: "Mon-Fri 08:00-18:00", DailyCap: 3), keepMisfits: false, cancellationToken: Cancel);

        Assert.Equal([late.Id], hours.Misfits.Select(m => m.Booked.Appointment.Id));
        Assert.Equal(SlotRejection.OutsideWorkingHours, hours.Misfits[0].Why);
        Assert.Contains("outside Anna's working hours (08:00-14:00 on Tuesdays, Europe/Berlin)", hours.Misfits[0].Reason, StringComparison.Ordinal);
        Assert.Equal([early.Id, noon.Id, late.Id], types.Misfits.Select(m => m.Booked.Appointment.Id));
        Assert.Contains("would no longer take 'fault' appointments", types.Misfits[0].Reason, StringComparison.Ordinal);
        Assert.Equal([late.Id], cap.Misfits.Select(m => m.Booked.Appointment.Id));
        Assert.Contains("3 appointments on", cap.Misfits[0].Reason, StringComparison.Ordinal);
        Assert.True(fits.Succeeded, fits.Refusal);
        Assert.Empty(fits.Misfits);
    }

    [Fact]
    public async Task EditAsync_AppointmentsThatHaveEnded_DoNotCount()
    {
        var clock = new NodaTime.Testing.FakeClock(Instant.FromUtc(2027, 3, 1, 8, 0));
        await using var host = await StartHostAsync(clock: clock);
        var anna = await host.AddTechnicianAsync("Anna");
        await host.AddCustomerAsync("K1");
        var start = host.NextWorkingDayAt(10);
        Assert.True((await host.Booking.BookAsync(Fault(start), Cancel)).Succeeded);
        clock.Reset(start + Duration.FromHours(2));

        var outcome = await host.Get<TechnicianEditService>().EditAsync(anna, new TechnicianEdit(Active: false), keepMisfits: false, cancellationToken: Cancel);

        Assert.True(outcome.Succeeded, outcome.Refusal);
        Assert.Empty(outcome.Misfits);
    }

    [Fact]
    public async Task EditAsync_FromAStaleVersion_RefusedAndNothingChanges_ThenTheCurrentVersionSaves()
    {
        var (host, anna) = await StartAsync();
        await using var _ = host;
        var edits = host.Get<TechnicianEditService>();
        var first = await edits.EditAsync(anna, new TechnicianEdit(Name: "Anna B.", ExpectedVersion: 1), keepMisfits: false, cancellationToken: Cancel);

        var stale = await edits.EditAsync(anna, new TechnicianEdit(Hours: "Mon-Fri 09:00-17:00", ExpectedVersion: 1), keepMisfits: false, cancellationToken: Cancel);
        var current = await edits.EditAsync(anna, new TechnicianEdit(Hours: "Mon-Fri 09:00-17:00", ExpectedVersion: 2), keepMisfits: false, cancellationToken: Cancel);

        Assert.Equal(2, first.Saved!.Version);
        Assert.True(stale.Stale);
        Assert.Contains("is at version 2, not 1", stale.Refusal, StringComparison.Ordinal);
        Assert.Equal(3, current.Saved!.Version);
        var stored = (await host.Get<TechnicianService>().FindAsync(anna, Cancel)).Value;
        Assert.Equal(("Anna B.", "Mon-Fri 09:00-17:00", 3), (stored.Name, stored.Hours.ToString(), stored.Version));
    }

    [Fact]
    public async Task EditAsync_AppointmentsKeptOutsideTheTermsBefore_DoNotBlockAnUnrelatedChange()
    {
        var (host, anna) = await StartAsync();
        await using var _ = host;
        Assert.True((await host.Booking.BookAsync(Fault(host.NextWorkingDayAt(15)), Cancel)).Succeeded);
        var edits = host.Get<TechnicianEditService>();
        Assert.True((await edits.EditAsync(anna, new TechnicianEdit(Hours: "Mon-Fri 08:00-12:00"), keepMisfits: true, cancellationToken: Cancel)).Succeeded);

        var renamed = await edits.EditAsync(anna, new TechnicianEdit(Name: "Anna Berger"), keepMisfits: false, cancellationToken: Cancel);

        Assert.True(renamed.Succeeded, renamed.Refusal);
        Assert.Empty(renamed.Misfits);
    }

    [Fact]
    public async Task BookAsync_ThatReadTheTechnicianBeforeAnEditCommitted_RunsAgainOnTheEditedTechnician()
    {
        var (host, anna) = await StartAsync();
        await using var _ = host;

        // An edit holds Anna's turn (as TechnicianEditService does) while a booking for her starts: the booking reads
        // Anna, then waits for her turn; the edit deactivates her and commits.
        await using var editing = await host.Database.OpenAsync(Cancel);
        var scope = await Database.BeginWriteInTurnsAsync(editing, Cancel);
        await Database.TakeTurnsAsync(editing, scope.Transaction, BookingTurns.OfTechnicians([anna]));
        var booking = host.Booking.BookAsync(Fault(host.NextWorkingDayAt(10)), Cancel);
        await Task.Delay(TimeSpan.FromMilliseconds(500), Cancel);
        Assert.False(booking.IsCompleted);
        await editing.ExecuteAsync("UPDATE technicians SET active = FALSE, version = version + 1 WHERE id = @anna", new { anna }, scope.Transaction);
        await scope.CommitAsync(Cancel);
        await scope.DisposeAsync();

        var outcome = await booking.WaitAsync(TimeSpan.FromSeconds(30), Cancel);

        Assert.Equal(SlotRejection.TechnicianInactive, outcome.Refusal?.SlotReason);
    }
}
