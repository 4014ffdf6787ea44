using JoeCash.Scheduler.Agenda;
using JoeCash.Scheduler.Web.MyDay;
using Microsoft.AspNetCore.Mvc;

namespace JoeCash.Scheduler.Web.Pages;

/// <summary>
/// The day's appointments alone, for the live refresh (site.js polls it): the same access rules as the page, and an
/// <c>X-Version</c> header, a hash of what is shown, so the page swaps the section only when something changed.
/// </summary>
public sealed class DayLiveModel(TechnicianDayService days) : DayPageModel(days)
{
    public DayView Day => View.Days[0];

    public async Task<IActionResult> OnGetAsync(string? date, string? technician)
    {
        if (await LoadAsync(date, technician, DaySpan.Day).ConfigureAwait(false) is { } refusal)
        {
            return refusal;
        }

        Response.Headers["X-Version"] = View.Version;
        return Page();
    }
}
