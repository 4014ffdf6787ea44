using JoeCash.Scheduler.Agenda;
using JoeCash.Scheduler.Web.MyDay;
using Microsoft.AspNetCore.Mvc;

namespace JoeCash.Scheduler.Web.Pages;

/// <summary>The print view: <c>?date=</c> and <c>&amp;days=N</c> (1 by default, at most 31), one A4 page per day, no navigation.</summary>
public sealed class PrintDaysModel(TechnicianDayService service) : DayPageModel(service)
{
    public async Task<IActionResult> OnGetAsync(string? date, string? technician, int days = 1) =>
        await LoadAsync(date, technician, DaySpan.Of(days)).ConfigureAwait(false) ?? Page();
}
