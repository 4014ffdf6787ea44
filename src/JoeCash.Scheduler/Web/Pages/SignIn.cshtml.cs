using JoeCash.Scheduler.Staff;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;
using NodaTime.Text;

namespace JoeCash.Scheduler.Web.Pages;

/// <summary>The sign-in form: wrong passwords count towards the account's lockout and the address's throttle; both answer 429.</summary>
[AllowAnonymous]
public sealed class SignInModel(StaffService staff, SignInThrottle throttle, IClock clock) : StaffPageModel
{
    public string? Error { get; private set; }

    public string? Login { get; private set; }

    public string ReturnUrl { get; private set; } = "/";

    public bool SignedOut { get; private set; }

    public void OnGet(string? returnUrl, bool signedOut = false)
    {
        ReturnUrl = SafeReturn(returnUrl);
        SignedOut = signedOut;
    }

    public async Task<IActionResult> OnPostAsync(string? login, string? password, string? returnUrl)
    {
        Login = login;
        ReturnUrl = SafeReturn(returnUrl);
        if (!throttle.TryAttempt(HttpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown"))
        {
            Response.Headers.RetryAfter = "60";
            return Refuse(StatusCodes.Status429TooManyRequests, T("signin.throttled"));
        }

        var result = await staff.SignInAsync(login, password, HttpContext.RequestAborted).ConfigureAwait(false);
        switch (result.Outcome)
        {
            case SignInOutcome.SignedIn:
                await HttpContext.SignInAsync(StaffAuthentication.CookieScheme, StaffAuthentication.Principal(result.Account!, StaffAuthentication.CookieScheme)).ConfigureAwait(false);
                return LocalRedirect(ReturnUrl);
            case SignInOutcome.LockedOut:
                var until = result.LockedUntil!.Value;
                Response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling((until - clock.GetCurrentInstant()).TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                return Refuse(StatusCodes.Status429TooManyRequests, string.Format(System.Globalization.CultureInfo.InvariantCulture, T("signin.locked"),
                    InstantPattern.CreateWithInvariantCulture("HH':'mm' UTC'").Format(until)));
            default:
                return Refuse(StatusCodes.Status401Unauthorized, T("signin.wrong"));
        }
    }

    private PageResult Refuse(int status, string error)
    {
        Error = error;
        Response.StatusCode = status;
        return Page();
    }

    /// <summary>Only a path on this site: an address elsewhere would make the form an open redirect.</summary>
    private string SafeReturn(string? returnUrl) => Url.IsLocalUrl(returnUrl) && !returnUrl!.StartsWith("/sign-", StringComparison.Ordinal) ? returnUrl : "/";
}
