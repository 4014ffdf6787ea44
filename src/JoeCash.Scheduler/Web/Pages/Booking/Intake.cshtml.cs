using JoeCash.Scheduler.ShopBooking;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace JoeCash.Scheduler.Web.Pages.Booking;

/// <summary>
/// "What is it about?": the topics from configuration. A topic JoeCash does not handle is answered with the support
/// policy's reason and where to go instead; one it handles leads on to the times. A shop at its open-bookings limit
/// sees its open appointments instead of the topics.
/// </summary>
public sealed class IntakeModel(ShopBookingService bookings) : ShopBookingPageModel
{
    public IReadOnlyList<ShopTopic> Topics => bookings.Topics;

    /// <summary>The refusal of the topic the shop chose, if it chose one JoeCash does not handle.</summary>
    public ShopTopic? Refused { get; private set; }

    public string? Error { get; private set; }

    /// <summary>The shop's open appointments, shown when it has reached the limit.</summary>
    public IReadOnlyList<ShopBooked> Open { get; private set; } = [];

    public bool AtLimit => Open.Count >= bookings.MaxOpenBookings;

    public int MaxOpenBookings => bookings.MaxOpenBookings;

    public async Task<IActionResult> OnGetAsync()
    {
        if (!await SignedInAsync().ConfigureAwait(false))
        {
            return ToSignIn();
        }

        Open = await bookings.OpenBookingsAsync(Session!, HttpContext.RequestAborted).ConfigureAwait(false);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string? topic)
    {
        if (!await SignedInAsync().ConfigureAwait(false))
        {
            return ToSignIn();
        }

        switch (bookings.Topic(topic))
        {
            case null:
                Error = T("booking.intake.missing");
                Response.StatusCode = StatusCodes.Status400BadRequest;
                Open = await bookings.OpenBookingsAsync(Session!, HttpContext.RequestAborted).ConfigureAwait(false);
                return Page();
            case { Refusal: not null } refused:
                Refused = refused;
                return Page();
            case var bookable:
                return Redirect($"{TimesPath}?thema={Uri.EscapeDataString(bookable.Key)}");
        }
    }

    public async Task<IActionResult> OnPostSignOutAsync()
    {
        await SignedInAsync().ConfigureAwait(false);
        var lang = Lang;
        await HttpContext.SignOutAsync(ShopBookingAuthentication.Scheme).ConfigureAwait(false);
        return Redirect($"{SignInPath}?signedOut=true&lang={lang}");
    }
}
