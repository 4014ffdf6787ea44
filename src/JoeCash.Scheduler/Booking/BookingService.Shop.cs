using System.Data.Common;
using System.Text.Json;
using JoeCash.Scheduler.Customers;
using JoeCash.Scheduler.Domain;
using NodaTime;

namespace JoeCash.Scheduler.Booking;

/// <summary>A booking the shop makes itself (<see cref="BookingRequest.ByShop"/>): what it confirmed, written with the booking.</summary>
public sealed partial class BookingService
{
    /// <summary>
    /// What the shop confirmed on its booking page, with the booking: its RustDesk ID on file and confirmed for this
    /// appointment, and for billable work the acknowledgment as invoicing cites it. Returns the shop as the invitation shows it.
    /// </summary>
    private async Task<Customer> ConfirmByShopAsync(
        DbConnection connection, DbTransaction transaction, Appointment appointment, Customer shop, AppointmentType type, ShopConfirmation confirmed, Instant now)
    {
        var actor = appointment.BookedBy;
        if (shop.RustDeskId != confirmed.RustDeskId)
        {
            await connection.SetCustomerRustDeskIdAsync(shop.Id, confirmed.RustDeskId.Value, now, transaction).ConfigureAwait(false);
        }

        await connection.MarkRustDeskConfirmedAsync(appointment.Id, now, transaction).ConfigureAwait(false);
        await connection.InsertAuditAsync(appointment.Id, now, actor, "rustdesk-confirmed",
            JsonSerializer.Serialize(new { via = "booking page", details = new { customer = shop.Number, from = shop.RustDeskId?.Value, to = confirmed.RustDeskId.Value } }),
            transaction).ConfigureAwait(false);
        if (appointment.CostAcknowledged
            && Domain.Billing.CostNotice(type, shop, shop.Language, availability.Options.NoContractNotice) is { } notice)
        {
            await connection.InsertCostAcknowledgmentAsync(appointment.Id, "shop-booking", null, confirmed.Email, notice, now, transaction).ConfigureAwait(false);
            await connection.InsertAuditAsync(appointment.Id, now, actor, "cost-acknowledged",
                JsonSerializer.Serialize(new { via = "booking page", details = new { notice } }), transaction).ConfigureAwait(false);
        }

        return shop with { RustDeskId = confirmed.RustDeskId };
    }
}
