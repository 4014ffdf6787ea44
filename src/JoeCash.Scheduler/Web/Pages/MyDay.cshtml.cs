using JoeCash.Scheduler.Agenda;
using JoeCash.Scheduler.Web.MyDay;
using Microsoft.AspNetCore.Mvc;

namespace JoeCash.Scheduler.Web.Pages;

/// <summary>My day: the technician's appointments of one day (today on their clock unless <c>?date=</c>), refreshed live.</summary>
public sealed class MyDayModel(TechnicianDayService days) : DayPageModel(days)
{
    public DayView Day => View.Days[0];

    /// <summary>The appointment whose outcome was just saved (the outcome page comes back here).</summary>
    public long? Saved { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? date, string? technician, long? saved)
    {
        Saved = saved;
        return await LoadAsync(date, technician, DaySpan.Day).ConfigureAwait(false) ?? Page();
    }
}
