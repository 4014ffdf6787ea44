using Microsoft.AspNetCore.Http;

namespace JoeCash.Scheduler.Web.Pages;

/// <summary>A signed-in account asked for a page of another role.</summary>
public sealed class DeniedModel : StaffPageModel
{
    public void OnGet() => Response.StatusCode = StatusCodes.Status403Forbidden;
}
