using JoeCash.Scheduler.ShopBooking;
using Microsoft.AspNetCore.Mvc;

namespace JoeCash.Scheduler.Web.Pages.Booking;

/// <summary>The confirmation: the appointment as booked, keep RustDesk running, keep the till free; only the shop's own appointments.</summary>
public sealed class DoneModel(ShopBookingService bookings) : ShopBookingPageModel
{
    public ShopBooked Booked { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(long id)
    {
        if (!await SignedInAsync().ConfigureAwait(false))
        {
            return ToSignIn();
        }

        if (await bookings.BookedAsync(Session!, id, HttpContext.RequestAborted).ConfigureAwait(false) is not { } booked)
        {
            return NotFound();
        }

        Booked = booked;
        return Page();
    }
}
