using System.Globalization;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Mail;
using JoeCash.Scheduler.ShopBooking;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace JoeCash.Scheduler.Web;

/// <summary>
/// What every page of the shops' booking (<c>/buchen</c>) has: the shop's session cookie (not the staff one), the
/// language (the shop's once signed in; before that <c>?lang=</c>, else the browser's), its words and the support phone.
/// </summary>
[AllowAnonymous]
public abstract class ShopBookingPageModel : PageModel
{
    public const string SignInPath = ShopBookingOptions.PagePath;
    public const string IntakePath = ShopBookingOptions.PagePath + "/anliegen";
    public const string TimesPath = ShopBookingOptions.PagePath + "/termin";

    private WebText? _text;

    /// <summary>The signed-in shop, once <see cref="SignedInAsync"/> found one.</summary>
    public ShopSession? Session { get; private set; }

    /// <summary>"de" or "en".</summary>
    public string Lang { get; protected set; } = "de";

    public string SupportPhone => HttpContext.RequestServices.GetRequiredService<IOptions<MailOptions>>().Value.SupportPhone;

    /// <summary>The support phone as a tel: link target.</summary>
    public string Tel => "tel:" + new string([.. SupportPhone.Where(c => char.IsDigit(c) || c == '+')]);

    public string T(string key) => (_text ??= HttpContext.RequestServices.GetRequiredService<WebText>()).Get(Lang, key);

    public string F(string key, params object?[] values) => string.Format(CultureInfo.InvariantCulture, T(key), values);

    public Language ShopLanguage => Lang == "en" ? Language.En : Language.De;

    /// <summary>Reads the shop's session cookie; true (and <see cref="Session"/> set, the page in the shop's language) if it names a shop that still has that address.</summary>
    protected async Task<bool> SignedInAsync()
    {
        var result = await HttpContext.AuthenticateAsync(ShopBookingAuthentication.Scheme).ConfigureAwait(false);
        Session = result.Succeeded
            ? await HttpContext.RequestServices.GetRequiredService<ShopSignInService>().SessionAsync(result.Principal, HttpContext.RequestAborted).ConfigureAwait(false)
            : null;
        if (Session is not null)
        {
            Lang = Session.Customer.Language.Code();
        }

        NoIndex();
        return Session is not null;
    }

    /// <summary>Before sign-in: <c>?lang=</c> if given, else the browser's.</summary>
    protected void ChooseLanguage(string? lang) => Lang = lang is "de" or "en" ? lang : WebText.LanguageOf(HttpContext);

    protected string Client => HttpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    protected ShopSignInThrottle Throttle => HttpContext.RequestServices.GetRequiredService<ShopSignInThrottle>();

    protected RedirectResult ToSignIn() => Redirect(SignInPath);

    protected ObjectResult TooMany()
    {
        Response.Headers.RetryAfter = "60";
        return StatusCode(StatusCodes.Status429TooManyRequests, T("booking.throttled"));
    }

    protected void NoIndex() => Response.Headers["X-Robots-Tag"] = "noindex, nofollow";
}
