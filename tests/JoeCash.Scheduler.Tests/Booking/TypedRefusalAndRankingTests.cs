using JoeCash.Scheduler.Booking;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Domain.Availability;
using JoeCash.Scheduler.Storage;
using JoeCash.Scheduler.Tests.Infrastructure;
using NodaTime;

namespace JoeCash.Scheduler.Tests.Booking;

/// <summary>Issue 9: refusals carry a code and data but no face's words; slots and "any technician" rank the same way.</summary>
public abstract class TypedRefusalAndRankingTests(StorageProvider provider) : ProviderSuite(provider)
{
    public sealed class OnSqlite() : TypedRefusalAndRankingTests(StorageProvider.Sqlite);

    public sealed class OnPostgres() : TypedRefusalAndRankingTests(StorageProvider.PostgreSQL);

    private static BookingRequest Request(Instant start, string customer = "K1", string type = "fault", string? technician = "1", bool ack = false) =>
        new(customer, type, technician, start, null, ack, "dispatcher");

    [Fact]
    public async Task BookAsync_BillableWithoutAcknowledgment_CodeAndNoticeNamingNoOption()
    {
        await using var host = await StartHostAsync();
        await host.AddTechnicianAsync("Anna");
        await host.AddCustomerAsync("K1");

        var refused = (await host.Booking.BookAsync(Request(host.NextWorkingDayAt(10), type: "third-party-hardware"))).Refusal!;

        Assert.Equal(RefusalCode.CostNotAcknowledged, refused.Code);
        Assert.Equal(BillingReason.BillableType, refused.Billing);
        Assert.Contains("Fremdhardware", refused.CostNotice, StringComparison.Ordinal);
        Assert.DoesNotContain("--", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BookAsync_TakenTime_SlotCodeWithTheEnginesReason()
    {
        await using var host = await StartHostAsync();
        await host.AddTechnicianAsync("Anna");
        await host.AddCustomerAsync("K1");
        await host.AddCustomerAsync("K2");
        var start = host.NextWorkingDayAt(10);
        await host.Booking.BookAsync(Request(start));

        var refused = (await host.Booking.BookAsync(Request(start, customer: "K2"))).Refusal!;

        Assert.Equal(RefusalKind.Conflict, refused.Kind);
        Assert.Equal(RefusalCode.SlotNotFree, refused.Code);
        Assert.Equal(SlotRejection.TechnicianBusy, refused.SlotReason);
    }

    [Fact]
    public async Task BookAsync_AnyTechnician_TakesWhomTheSlotSearchShowsFirst()
    {
        await using var host = await StartHostAsync();
        await host.AddTechnicianAsync("Anna");
        await host.AddTechnicianAsync("Jonas");
        for (var i = 1; i <= 4; i++)
        {
            await host.AddCustomerAsync($"K{i}");
        }

        // Anna has two appointments within a day of the start, Jonas one; technician ids alone would put Anna first.
        var start = host.NextWorkingDayAt(10);
        Assert.True((await host.Booking.BookAsync(Request(start - Duration.FromHours(2), customer: "K1", technician: "1"))).Succeeded);
        Assert.True((await host.Booking.BookAsync(Request(start + Duration.FromHours(5), customer: "K2", technician: "1"))).Succeeded);
        Assert.True((await host.Booking.BookAsync(Request(start + Duration.FromHours(3), customer: "K3", technician: "2"))).Succeeded);
        var day = new Interval(start - Duration.FromHours(2), start + Duration.FromHours(7));

        var shown = (await host.Availability.SearchAsync(new SlotSearch("fault", "any", day, "K4"))).Value;
        var booked = await host.Booking.BookAsync(Request(start, customer: "K4", technician: "any"));

        var first = shown.Slots.First(s => s.Start == start).TechnicianId;
        Assert.Equal(2, first);
        Assert.Equal(first, booked.Appointment!.TechnicianId);
        Assert.Equal("Jonas", shown.TechnicianNames[first]);
    }
}
