using JoeCash.Scheduler.Staff;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.DependencyInjection;

namespace JoeCash.Scheduler.Web;

/// <summary>What every staff page has: the viewer's language and words, who is signed in.</summary>
public abstract class StaffPageModel : PageModel
{
    private WebText? _text;

    /// <summary>"de" or "en": the account's choice, else the browser's.</summary>
    public string Language => WebText.LanguageOf(HttpContext);

    /// <summary>The page's word for <paramref name="key"/> in <see cref="Language"/>.</summary>
    public string T(string key) => (_text ??= HttpContext.RequestServices.GetRequiredService<WebText>()).Get(Language, key);

    public long? AccountId => StaffClaims.AccountId(User);

    public long? TechnicianId => StaffClaims.TechnicianId(User);

    public bool Dispatches => StaffClaims.Dispatches(User);

    public string Actor => StaffClaims.Actor(User);

    public bool IsRole(StaffRole role) => User.IsInRole(role.ToString());
}
