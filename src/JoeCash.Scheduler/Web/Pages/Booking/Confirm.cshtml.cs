using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.ShopBooking;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace JoeCash.Scheduler.Web.Pages.Booking;

/// <summary>
/// The sign-in link's page. Opening it only shows a button (mail scanners open every link, some in a real browser);
/// the button's POST, with its antiforgery token, uses the link once and sets the shop's session cookie.
/// </summary>
public sealed class ConfirmModel(ShopSignInService signIns) : ShopBookingPageModel
{
    public ShopSignInVisit Visit { get; private set; } = new(ShopSignInState.Unknown, Language.De);

    public async Task<IActionResult> OnGetAsync(string token)
    {
        NoIndex();
        if (!Throttle.TryClient(Client))
        {
            return TooMany();
        }

        Visit = await signIns.OpenAsync(token, HttpContext.RequestAborted).ConfigureAwait(false);
        return Show();
    }

    public async Task<IActionResult> OnPostAsync(string token)
    {
        NoIndex();
        if (!Throttle.TryClient(Client))
        {
            return TooMany();
        }

        var (state, session, language) = await signIns.UseAsync(token, HttpContext.RequestAborted).ConfigureAwait(false);
        if (session is null)
        {
            Visit = new ShopSignInVisit(state, language);
            return Show();
        }

        await HttpContext.SignInAsync(ShopBookingAuthentication.Scheme, ShopSignInService.Principal(session, ShopBookingAuthentication.Scheme),
            new AuthenticationProperties { IsPersistent = false, AllowRefresh = false }).ConfigureAwait(false);
        return Redirect(IntakePath);
    }

    private PageResult Show()
    {
        Lang = Visit.Language.Code();
        Response.StatusCode = Visit.State switch
        {
            ShopSignInState.Unknown => StatusCodes.Status404NotFound,
            ShopSignInState.Valid => StatusCodes.Status200OK,
            _ => StatusCodes.Status410Gone,
        };
        return Page();
    }
}
