using Dapper;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.SelfService;
using JoeCash.Scheduler.Tests.Feeds;
using JoeCash.Scheduler.Tests.Infrastructure;
using NodaTime;
using NodaTime.Testing;
using static JoeCash.Scheduler.Tests.SelfService.ShopLinkFixture;

namespace JoeCash.Scheduler.Tests.SelfService;

/// <summary>What a shop does on its page, each with the effect the rest of the product gives it, once, and nothing on bad input.</summary>
public sealed class ShopActionTests
{
    [Fact]
    public async Task Confirm_AcceptsLikeACalendar_OnceEvenWhenClickedTwice()
    {
        var (host, shops, token, appointment) = await StartAsync();
        await using var _ = host;

        var first = await shops.ConfirmAsync(token, appointment.Version);
        var second = await shops.ConfirmAsync(token, appointment.Version);

        Assert.Equal(ShopActionStatus.Done, first.Status);
        Assert.Equal(ShopActionStatus.AlreadyDone, second.Status);
        var now = (await host.Booking.ReadAsync(appointment.Id))!;
        Assert.Equal(ResponseStatus.Accepted, now.Response);
        Assert.Equal(First, now.RespondedBy);
        Assert.Equal(["booked", "answered"], await AuditAsync(host, appointment.Id));
    }

    [Fact]
    public async Task Confirm_OfATimeThatWasMovedSincePageWasShown_ChangesNothing()
    {
        var (host, shops, token, appointment) = await StartAsync();
        await using var _ = host;
        Assert.True((await host.Booking.RescheduleAsync(appointment.Id, appointment.Version, appointment.Start + Duration.FromHours(2), null, "dispatcher")).Succeeded);

        var outcome = await shops.ConfirmAsync(token, appointment.Version);

        Assert.Equal(ShopActionStatus.ChangedMeanwhile, outcome.Status);
        Assert.Equal(ResponseStatus.NeedsAction, (await host.Booking.ReadAsync(appointment.Id))!.Response);
    }

    [Theory]
    [InlineData("12")]
    [InlineData("")]
    [InlineData("732 901 938\r\nBcc: x@y.test")]
    [InlineData("1234567890123")]
    public async Task RustDesk_BadId_IsAFieldErrorAndChangesNothing(string typed)
    {
        var (host, shops, token, appointment) = await StartAsync();
        await using var _ = host;
        var before = await ShopLinkTests.DumpAsync(host);

        var outcome = await shops.ConfirmRustDeskAsync(token, appointment.Version, typed);

        Assert.Equal(ShopActionStatus.Invalid, outcome.Status);
        Assert.StartsWith("rustdesk:", outcome.FieldError, StringComparison.Ordinal);
        Assert.Equal(before, await ShopLinkTests.DumpAsync(host));
    }

    [Fact]
    public async Task RustDesk_NewId_UpdatesTheShopsIdOnFile_MarksItConfirmed_AndLeavesAnAuditLine()
    {
        var (host, shops, token, appointment) = await StartAsync();
        await using var _ = host;

        var outcome = await shops.ConfirmRustDeskAsync(token, appointment.Version, " 123 456 789 ");
        var again = await shops.ConfirmRustDeskAsync(token, appointment.Version + 1, "123456789");

        Assert.Equal(ShopActionStatus.Done, outcome.Status);
        Assert.Equal(ShopActionStatus.AlreadyDone, again.Status);
        var now = (await host.Booking.ReadAsync(appointment.Id))!;
        Assert.Equal(RustDeskReadiness.Confirmed, now.Readiness);
        Assert.Equal("123456789", now.RustDeskId);
        var customer = (await host.Get<JoeCash.Scheduler.Customers.CustomerService>().FindAsync(Shop)).Value;
        Assert.Equal("123 456 789", customer.RustDeskId!.Value.Display);
        await using var connection = await host.Database.OpenAsync();
        var details = await connection.QuerySingleAsync<string>("SELECT details FROM appointment_audit WHERE action = 'rustdesk-confirmed'");
        Assert.Contains("\"from\":\"732901938\",\"to\":\"123456789\"", details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reschedule_ToAnOfferedTime_SendsTheUpdate_AndASecondTabIsToldItChanged()
    {
        var (host, shops, token, appointment) = await StartAsync();
        await using var _ = host;
        var page = (await shops.OpenAsync(token)).Page!;
        var slots = await shops.SlotsAsync(page);
        Assert.NotEmpty(slots);
        Assert.DoesNotContain(slots, s => s.Start == appointment.Start);
        var (one, two) = (slots[3].Start, slots[5].Start);

        var results = await Task.WhenAll(shops.RescheduleAsync(token, appointment.Version, one), shops.RescheduleAsync(token, appointment.Version, two));

        Assert.Single(results, r => r.Status == ShopActionStatus.Done);
        Assert.Single(results, r => r.Status == ShopActionStatus.ChangedMeanwhile);
        var moved = (await host.Booking.ReadAsync(appointment.Id))!;
        Assert.Contains(moved.Start, new[] { one, two });
        Assert.Equal(1, moved.Sequence);
        var update = (await EmailsAsync(host, First)).Single(e => e.Kind == "update").Message;
        var ics = Invitations.Invitations.CalendarBytes(update);
        var checkedByIcalJs = await FeedFixture.IcalJsAsync("shop-moved", ics);
        var evt = Assert.Single(checkedByIcalJs.GetProperty("events").EnumerateArray());
        Assert.Equal(1, evt.GetProperty("sequence").GetInt32());
        Assert.Equal(NodaTime.Text.InstantPattern.ExtendedIso.Format(moved.Start), evt.GetProperty("dtstart").GetProperty("utc").GetString());
    }

    [Fact]
    public async Task Reschedule_ToATimeThePageDoesNotOffer_IsRefused()
    {
        var (host, shops, token, appointment) = await StartAsync();
        await using var _ = host;
        var before = await ShopLinkTests.DumpAsync(host);

        // 03:17 is off the slot grid; an hour ago is in the past.
        var offGrid = await shops.RescheduleAsync(token, appointment.Version, FeedFixture.Local(2026, 12, 3, 3, 17));
        var past = await shops.RescheduleAsync(token, appointment.Version, Now - Duration.FromHours(1));

        Assert.Equal(ShopActionStatus.SlotTaken, offGrid.Status);
        Assert.Equal(ShopActionStatus.SlotTaken, past.Status);
        Assert.Equal(before, await ShopLinkTests.DumpAsync(host));
    }

    [Fact]
    public async Task Cancel_UpToTheNotice_SendsTheCancellation_AfterItIsRefused()
    {
        var clock = new FakeClock(Now);
        var (host, shops, token, appointment) = await StartAsync(clock);
        await using var _ = host;
        clock.Reset(appointment.Start - Duration.FromHours(2));
        var before = await ShopLinkTests.DumpAsync(host);

        var late = await shops.CancelAsync(token, appointment.Version);
        var page = (await shops.OpenAsync(token)).Page!;

        Assert.Equal(ShopActionStatus.TooLate, late.Status);
        Assert.False(page.CanCancel);
        Assert.Equal(before, await ShopLinkTests.DumpAsync(host));

        clock.Reset(appointment.Start - Duration.FromHours(2) - Duration.FromMinutes(1));
        var cancelled = await shops.CancelAsync(token, appointment.Version);
        var twice = await shops.CancelAsync(token, appointment.Version);

        Assert.Equal(ShopActionStatus.Done, cancelled.Status);
        Assert.Equal(ShopActionStatus.Gone, twice.Status);
        Assert.Equal(AppointmentStatus.Cancelled, (await host.Booking.ReadAsync(appointment.Id))!.Status);
        var cancellation = (await EmailsAsync(host, First)).Single(e => e.Kind == "cancellation").Message;
        var checkedByIcalJs = await FeedFixture.IcalJsAsync("shop-cancelled", Invitations.Invitations.CalendarBytes(cancellation));
        Assert.Equal("CANCEL", checkedByIcalJs.GetProperty("method").GetString());
    }

    [Fact]
    public async Task CostNotice_OfABillableAppointmentWithoutAcknowledgment_IsStoredWithTimeAndLink()
    {
        var (host, shops, token, appointment) = await StartAsync();
        await using var _ = host;
        // The shop's support contract ended after booking: the appointment is billable now, and nobody acknowledged that.
        await host.AddCustomerAsync(Shop, email: $"{First}, {Second}", contract: false);
        var page = (await shops.OpenAsync(token)).Page!;
        Assert.True(page.CostNeedsAcknowledgment);

        var outcome = await shops.AcknowledgeCostAsync(token, appointment.Version);
        var again = await shops.AcknowledgeCostAsync(token, appointment.Version + 1);

        Assert.Equal(ShopActionStatus.Done, outcome.Status);
        Assert.Equal(ShopActionStatus.AlreadyDone, again.Status);
        Assert.True((await host.Booking.ReadAsync(appointment.Id))!.CostAcknowledged);
        await using var connection = await host.Database.OpenAsync();
        var proof = Assert.Single(await connection.CostAcknowledgmentsAsync(appointment.Id));
        Assert.Equal(Now, proof.AcknowledgedAt);
        Assert.Equal(page.Link.Id, proof.LinkId);
        Assert.Equal(First, proof.Recipient);
        Assert.Equal(page.Message.CostNotice, proof.Notice);
    }

    [Fact]
    public async Task Actions_AfterTheStart_AreTooLate()
    {
        var clock = new FakeClock(Now);
        var (host, shops, token, appointment) = await StartAsync(clock);
        await using var _ = host;
        clock.Reset(appointment.Start);

        Assert.Equal(ShopActionStatus.TooLate, (await shops.ConfirmAsync(token, appointment.Version)).Status);
        Assert.Equal(ShopActionStatus.TooLate, (await shops.ConfirmRustDeskAsync(token, appointment.Version, "123456789")).Status);
        Assert.True((await shops.OpenAsync(token)).Page!.Begun);
    }

    private static async Task<(SchedulerHost Host, ShopSelfService Shops, string Token, Appointment Appointment)> StartAsync(FakeClock? clock = null)
    {
        var host = await ShopLinkFixture.StartAsync(clock ?? new FakeClock(Now));
        var appointment = await FeedFixture.BookAsync(host, Now + Duration.FromDays(1));
        return (host, host.Get<ShopSelfService>(), await TokenAsync(host), appointment);
    }

    private static async Task<string[]> AuditAsync(SchedulerHost host, long appointmentId)
    {
        await using var connection = await host.Database.OpenAsync();
        return [.. await connection.QueryAsync<string>("SELECT action FROM appointment_audit WHERE appointment_id = @appointmentId ORDER BY id", new { appointmentId })];
    }
}
