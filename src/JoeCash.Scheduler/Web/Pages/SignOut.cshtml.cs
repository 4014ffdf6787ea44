using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;

namespace JoeCash.Scheduler.Web.Pages;

/// <summary>Signing out is a POST (with the antiforgery token): a link a scanner opens must not end a session.</summary>
public sealed class SignOutModel : StaffPageModel
{
    public IActionResult OnGet() => Redirect("/");

    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(StaffAuthentication.CookieScheme).ConfigureAwait(false);
        return Redirect("/sign-in?signedOut=true");
    }
}
