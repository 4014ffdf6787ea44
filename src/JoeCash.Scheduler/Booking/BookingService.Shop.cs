using System.Text.Json;
using JoeCash.Scheduler.Customers;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Storage;
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
        StatementBatch batch, Appointment appointment, Customer shop, AppointmentType type, ShopConfirmation confirmed, Instant now)
    {
        var actor = appointment.BookedBy;
        if (shop.RustDeskId != confirmed.RustDeskId)
        {
            // Runs at once (the shop's row, not the appointment's): the batch's rows follow it in the same transaction.
            await batch.Connection.SetCustomerRustDeskIdAsync(shop.Id, confirmed.RustDeskId.Value, now, batch.Transaction).ConfigureAwait(false);
        }

        batch.MarkRustDeskConfirmed(appointment.Id, now);
        batch.InsertAudit(appointment.Id, now, actor, "rustdesk-confirmed",
            JsonSerializer.Serialize(new { via = "booking page", details = new { customer = shop.Number, from = shop.RustDeskId?.Value, to = confirmed.RustDeskId.Value } }));
        if (appointment.CostAcknowledged
            && Domain.Billing.CostNotice(type, shop, shop.Language, availability.Options.NoContractNotice) is { } notice)
        {
            batch.InsertCostAcknowledgment(appointment.Id, "shop-booking", confirmed.Email, notice, now);
            batch.InsertAudit(appointment.Id, now, actor, "cost-acknowledged", JsonSerializer.Serialize(new { via = "booking page", details = new { notice } }));
        }

        return shop with { RustDeskId = confirmed.RustDeskId };
    }
}
