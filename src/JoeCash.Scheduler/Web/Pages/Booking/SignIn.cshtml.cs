using JoeCash.Scheduler.ShopBooking;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace JoeCash.Scheduler.Web.Pages.Booking;

/// <summary>
/// The booking page's front door: customer number and an address on file, and a sign-in link goes to that address.
/// The answer is the same page whether or not the pair matched (and takes the same work); requests are limited per
/// number and per client address.
/// </summary>
public sealed class SignInModel(ShopSignInService signIns, IOptions<ShopBookingOptions> options) : ShopBookingPageModel
{
    public string? Number { get; private set; }

    public string? Email { get; private set; }

    public bool Sent { get; private set; }

    public bool SignedOut { get; private set; }

    public string? Error { get; private set; }

    public int ValidMinutes => (int)options.Value.SignInLinkValidity.TotalMinutes;

    /// <summary>The other language's switch.</summary>
    public string OtherLang => Lang == "en" ? "de" : "en";

    public async Task<IActionResult> OnGetAsync(string? lang, bool signedOut = false)
    {
        if (await SignedInAsync().ConfigureAwait(false))
        {
            // Reading the cookie changes nothing; a signed-in shop goes on to the intake.
            return Redirect(IntakePath);
        }

        ChooseLanguage(lang);
        SignedOut = signedOut;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string? number, string? email, string? lang)
    {
        ChooseLanguage(lang);
        NoIndex();
        Number = number;
        Email = email;
        if (string.IsNullOrWhiteSpace(number) || string.IsNullOrWhiteSpace(email))
        {
            Error = T("booking.signin.missing");
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        if (!Throttle.TryRequest(number, Client))
        {
            return TooMany();
        }

        await signIns.RequestAsync(number, email, HttpContext.RequestAborted).ConfigureAwait(false);
        Sent = true;
        return Page();
    }
}
