using Dapper;
using JoeCash.Scheduler.Booking;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Storage;
using JoeCash.Scheduler.Tests.Infrastructure;
using NodaTime;

namespace JoeCash.Scheduler.Tests.Booking;

public abstract class BookingServiceTests(StorageProvider provider) : ProviderSuite(provider)
{
    public sealed class OnSqlite() : BookingServiceTests(StorageProvider.Sqlite);

    public sealed class OnPostgres() : BookingServiceTests(StorageProvider.PostgreSQL);

    private static BookingRequest Request(Instant start, string customer = "K1", string type = "fault", string? technician = "1", bool ack = false, string? notes = null) =>
        new(customer, type, technician, start, notes, ack, "dispatcher");

    private static async Task<(long Appointments, long Audit)> CountsAsync(SchedulerHost host)
    {
        await using var connection = await host.Database.OpenAsync();
        return (await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM appointments"), await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM appointment_audit"));
    }

    [Fact]
    public async Task BookAsync_WhatIsWrittenAlongsideRefuses_NothingIsBooked_NoInvitationNoReminder()
    {
        // E.g. the outcome that books this appointment as a follow-up finds the first one cancelled meanwhile.
        await using var host = await StartHostAsync();
        await host.AddTechnicianAsync("Anna");
        await host.AddCustomerAsync("K1");
        var start = host.NextWorkingDayAt(10);
        long? seen = null;

        var refused = await host.Booking.BookAsync(Request(start) with
        {
            Alongside = write =>
            {
                seen = write.Appointment.Id;
                return Task.FromResult<string?>("the first appointment was cancelled meanwhile");
            },
        });
        var after = new List<long>();
        await using (var connection = await host.Database.OpenAsync())
        {
            foreach (var table in new[] { "appointments", "appointment_audit", "outbox", "reminders" })
            {
                after.Add(await connection.ExecuteScalarAsync<long>($"SELECT count(*) FROM {table}"));
            }
        }

        var booked = await host.Booking.BookAsync(Request(start) with { Alongside = _ => Task.FromResult<string?>(null) });

        Assert.Equal(RefusalCode.NotWrittenAlongside, refused.Refusal?.Code);
        Assert.Equal("the first appointment was cancelled meanwhile", refused.Refusal?.Message);
        Assert.NotNull(seen);
        Assert.Equal([0L, 0L, 0L, 0L], after);
        Assert.True(booked.Succeeded, booked.Refusal?.Message);
    }

    [Fact]
    public async Task BookAsync_FreeSlot_StoresAppointmentWithStableUidAndAudit()
    {
        await using var host = await StartHostAsync();
        await host.AddTechnicianAsync("Anna");
        await host.AddCustomerAsync("K1", rustDesk: "1077 210 543");
        var start = host.NextWorkingDayAt(10);

        var outcome = await host.Booking.BookAsync(Request(start, notes: "Drucker\nstreikt"));

        Assert.True(outcome.Succeeded, outcome.Refusal?.Message);
        var a = outcome.Appointment!;
        Assert.Equal(start, a.Start);
        Assert.Equal(start + Duration.FromHours(1), a.End);
        Assert.Equal(start + Duration.FromMinutes(75), a.Blocked.End);
        Assert.Equal("1077210543", a.RustDeskId);
        Assert.Equal("Drucker\nstreikt", a.Notes);
        Assert.Matches("^[0-9a-f]{32}@scheduler\\.joecash\\.test$", a.Uid);
        Assert.Equal((0, 1), (a.Sequence, a.Version));
        await using var connection = await host.Database.OpenAsync();
        var audit = await connection.AuditTrailAsync(a.Id);
        Assert.Equal("booked", Assert.Single(audit).Action);
    }

    [Fact]
    public async Task BookAsync_TakenSlot_NamesTheConflictAndOffersThreeNearestAlternatives()
    {
        await using var host = await StartHostAsync();
        await host.AddTechnicianAsync("Anna");
        await host.AddCustomerAsync("K1");
        await host.AddCustomerAsync("K2");
        var start = host.NextWorkingDayAt(10);
        var first = await host.Booking.BookAsync(Request(start));

        var second = await host.Booking.BookAsync(Request(start + Duration.FromMinutes(30), customer: "K2"));

        Assert.False(second.Succeeded);
        Assert.Equal(RefusalKind.Conflict, second.Refusal!.Kind);
        Assert.Equal(first.Appointment!.Id, second.Refusal.ConflictingAppointmentId);
        // Booked 10:00-11:00 (+15 min buffer): wanted 10:30; a fault there needs its own 15 min after, so the nearest free starts are after 11:15.
        var berlin = DateTimeZoneProviders.Tzdb["Europe/Berlin"];
        var alternatives = second.Refusal.Alternatives!.Select(s => s.Start.InZone(berlin).TimeOfDay.ToString("HH:mm", null)).ToArray();
        Assert.Equal(["11:15", "11:30", "11:45"], alternatives);
        Assert.Equal((1L, 1L), await CountsAsync(host));
    }

    [Theory]
    [InlineData("K404", "fault", "1", "no shop with number 'K404'")]
    [InlineData("K1", "massage", "1", "unknown appointment type 'massage'")]
    [InlineData("K1", "fault", "99", "no technician '99'")]
    [InlineData("K1", "training", "1", "billable extra")]
    public async Task BookAsync_BadInput_RefusedWithAClearMessageAndNothingWritten(string customer, string type, string technician, string message)
    {
        await using var host = await StartHostAsync();
        await host.AddTechnicianAsync("Anna");
        await host.AddCustomerAsync("K1");

        var outcome = await host.Booking.BookAsync(Request(host.NextWorkingDayAt(10), customer, type, technician));

        Assert.Equal(RefusalKind.Invalid, outcome.Refusal!.Kind);
        Assert.Contains(message, outcome.Refusal.Message, StringComparison.Ordinal);
        Assert.Equal((0L, 0L), await CountsAsync(host));
    }

    [Fact]
    public async Task BookAsync_BillableWithoutAcknowledgment_QuotesTheCostNotice()
    {
        await using var host = await StartHostAsync();
        await host.AddTechnicianAsync("Anna");
        await host.AddCustomerAsync("K1");

        var refused = await host.Booking.BookAsync(Request(host.NextWorkingDayAt(10), type: "third-party-hardware"));
        var accepted = await host.Booking.BookAsync(Request(host.NextWorkingDayAt(10), type: "third-party-hardware", ack: true));

        Assert.Contains("Fremdhardware", refused.Refusal!.Message, StringComparison.Ordinal);
        Assert.True(accepted.Appointment!.CostAcknowledged);
    }

    [Theory]
    [InlineData("fault")]
    [InlineData("pricelist")]
    [InlineData("training")]
    public async Task BookAsync_ShopWithoutSupportContract_EveryTypeNeedsTheAcknowledgment(string type)
    {
        await using var host = await StartHostAsync();
        await host.AddTechnicianAsync("Anna");
        await host.AddCustomerAsync("K9", contract: false);
        await host.AddCustomerAsync("K1");

        var refused = await host.Booking.BookAsync(Request(host.NextWorkingDayAt(10), customer: "K9", type: type));
        var accepted = await host.Booking.BookAsync(Request(host.NextWorkingDayAt(10), customer: "K9", type: type, ack: true));
        var covered = await host.Booking.BookAsync(Request(host.NextWorkingDayAt(14), customer: "K1", type: "fault"));

        Assert.Equal(RefusalKind.Invalid, refused.Refusal!.Kind);
        Assert.Contains("K9 has no support contract", refused.Refusal.Message, StringComparison.Ordinal);
        Assert.Contains("kein JoeCash-Supportvertrag", refused.Refusal.Message, StringComparison.Ordinal);
        Assert.True(accepted.Appointment!.CostAcknowledged);
        Assert.False(covered.Appointment!.CostAcknowledged);
    }

    [Theory]
    [InlineData("Zeile eins\u0007", "control or format character (U+0007)")]
    [InlineData("", null)]
    public async Task BookAsync_Notes_ControlCharactersRefused(string notes, string? error)
    {
        await using var host = await StartHostAsync();
        await host.AddTechnicianAsync("Anna");
        await host.AddCustomerAsync("K1");

        var outcome = await host.Booking.BookAsync(Request(host.NextWorkingDayAt(10), notes: notes));

        Assert.Equal(error is null, outcome.Succeeded);
        if (error is not null)
        {
            Assert.Contains(error, outcome.Refusal!.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task BookAsync_AnyTechnician_SpreadsTheLoad()
    {
        await using var host = await StartHostAsync();
        await host.AddTechnicianAsync("Anna");
        await host.AddTechnicianAsync("Jonas");
        for (var i = 1; i <= 4; i++)
        {
            await host.AddCustomerAsync($"K{i}");
        }

        var start = host.NextWorkingDayAt(9);
        var technicians = new List<long>();
        for (var i = 1; i <= 4; i++)
        {
            var outcome = await host.Booking.BookAsync(Request(start + Duration.FromHours(i), customer: $"K{i}", technician: "any"));
            technicians.Add(outcome.Appointment!.TechnicianId);
        }

        Assert.Equal([1L, 2L, 1L, 2L], technicians);
    }

    [Fact]
    public async Task BookAsync_ShopAlreadyHasASession_RefusedEvenWithAnotherTechnician()
    {
        await using var host = await StartHostAsync();
        await host.AddTechnicianAsync("Anna");
        await host.AddTechnicianAsync("Jonas");
        await host.AddCustomerAsync("K1");
        var start = host.NextWorkingDayAt(10);
        await host.Booking.BookAsync(Request(start, technician: "1"));

        var outcome = await host.Booking.BookAsync(Request(start + Duration.FromMinutes(30), technician: "2"));

        Assert.Equal(RefusalKind.Conflict, outcome.Refusal!.Kind);
        Assert.Contains("till", outcome.Refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RescheduleAsync_CurrentVersion_MovesAndBumpsSequenceAndVersion()
    {
        await using var host = await StartHostAsync();
        await host.AddTechnicianAsync("Anna");
        await host.AddCustomerAsync("K1");
        var booked = (await host.Booking.BookAsync(Request(host.NextWorkingDayAt(10)))).Appointment!;

        var moved = await host.Booking.RescheduleAsync(booked.Id, booked.Version, booked.Start + Duration.FromMinutes(30), null, "dispatcher");

        Assert.True(moved.Succeeded, moved.Refusal?.Message);
        Assert.Equal(booked.Uid, moved.Appointment!.Uid);
        Assert.Equal((1, 2), (moved.Appointment.Sequence, moved.Appointment.Version));
        Assert.Equal(booked.Start + Duration.FromMinutes(30), moved.Appointment.Start);
        await using var connection = await host.Database.OpenAsync();
        Assert.Equal(["booked", "rescheduled"], (await connection.AuditTrailAsync(booked.Id)).Select(e => e.Action));
    }

    [Fact]
    public async Task RescheduleAsync_StaleVersion_RefusedWithoutOverwriting()
    {
        await using var host = await StartHostAsync();
        await host.AddTechnicianAsync("Anna");
        await host.AddCustomerAsync("K1");
        var booked = (await host.Booking.BookAsync(Request(host.NextWorkingDayAt(10)))).Appointment!;
        await host.Booking.RescheduleAsync(booked.Id, 1, booked.Start + Duration.FromHours(1), null, "first");

        var second = await host.Booking.RescheduleAsync(booked.Id, 1, booked.Start + Duration.FromHours(3), null, "second");

        Assert.Equal(RefusalKind.Stale, second.Refusal!.Kind);
        Assert.Contains("version 2", second.Refusal.Message, StringComparison.Ordinal);
        Assert.Equal(booked.Start + Duration.FromHours(1), (await host.Booking.ReadAsync(booked.Id))!.Start);
    }

    [Fact]
    public async Task CancelAsync_ThenBookTheSameTime_TheSlotIsFreeAgain()
    {
        await using var host = await StartHostAsync();
        await host.AddTechnicianAsync("Anna");
        await host.AddCustomerAsync("K1");
        var start = host.NextWorkingDayAt(10);
        var booked = (await host.Booking.BookAsync(Request(start))).Appointment!;

        var cancelled = await host.Booking.CancelAsync(booked.Id, booked.Version, "Shop closed", "dispatcher");
        var again = await host.Booking.BookAsync(Request(start));
        var cancelTwice = await host.Booking.CancelAsync(booked.Id, cancelled.Appointment!.Version, null, "dispatcher");
        var moveCancelled = await host.Booking.RescheduleAsync(booked.Id, cancelled.Appointment.Version, start + Duration.FromHours(2), null, "dispatcher");

        Assert.Equal(AppointmentStatus.Cancelled, cancelled.Appointment.Status);
        Assert.Equal(1, cancelled.Appointment.Sequence);
        Assert.True(again.Succeeded);
        Assert.Contains("is cancelled", cancelTwice.Refusal!.Message, StringComparison.Ordinal);
        Assert.Contains("is cancelled", moveCancelled.Refusal!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FindSlotsAsync_WithCustomer_LeavesOutTimesWhenTheShopIsBusy()
    {
        await using var host = await StartHostAsync();
        await host.AddTechnicianAsync("Anna");
        await host.AddTechnicianAsync("Jonas");
        await host.AddCustomerAsync("K1");
        var start = host.NextWorkingDayAt(10);
        await host.Booking.BookAsync(Request(start));
        var day = new Interval(start - Duration.FromHours(2), start + Duration.FromHours(7));

        var forShop = (await host.Availability.FindSlotsAsync("fault", "any", day, customerId: 1)).Value;
        var forAnyone = (await host.Availability.FindSlotsAsync("fault", "any", day)).Value;

        Assert.DoesNotContain(forShop, s => s.Start == start);
        Assert.Contains(forAnyone, s => s.Start == start && s.TechnicianId == 2);
    }
}
