using JoeCash.Scheduler.Staff;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;

namespace JoeCash.Scheduler.Web.Pages;

/// <summary>The account's own page: its language, and signing out on every device.</summary>
public sealed class AccountModel(StaffService staff) : StaffPageModel
{
    public StaffAccount? Account { get; private set; }

    public bool Saved { get; private set; }

    public async Task OnGetAsync(bool saved = false)
    {
        Saved = saved;
        Account = await staff.FindAsync(AccountId!.Value, HttpContext.RequestAborted).ConfigureAwait(false);
    }

    public async Task<IActionResult> OnPostLanguageAsync(string? language)
    {
        await staff.SetLanguageAsync(AccountId!.Value, language, HttpContext.RequestAborted).ConfigureAwait(false);
        // The language travels in the cookie: sign in again with the same stamp to carry the new choice.
        var account = await staff.FindAsync(AccountId!.Value, HttpContext.RequestAborted).ConfigureAwait(false);
        if (account is not null)
        {
            await HttpContext.SignInAsync(StaffAuthentication.CookieScheme, StaffAuthentication.Principal(account, StaffAuthentication.CookieScheme)).ConfigureAwait(false);
        }

        return Redirect("/account?saved=true");
    }

    public async Task<IActionResult> OnPostEverywhereAsync()
    {
        await staff.SignOutEverywhereAsync(AccountId!.Value, Actor, HttpContext.RequestAborted).ConfigureAwait(false);
        await HttpContext.SignOutAsync(StaffAuthentication.CookieScheme).ConfigureAwait(false);
        return Redirect("/sign-in?signedOut=true");
    }
}
