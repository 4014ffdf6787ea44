using Microsoft.AspNetCore.Mvc;

namespace JoeCash.Scheduler.Web.Pages;

/// <summary>The start page is the account's own: a technician's day, a dispatcher's overview.</summary>
public sealed class IndexModel : StaffPageModel
{
    public IActionResult OnGet() => Redirect(TechnicianId is not null ? "/day" : Dispatches ? "/dispatch" : "/account");
}
