using JoeCash.Scheduler.Agenda;
using JoeCash.Scheduler.Web.MyDay;
using Microsoft.AspNetCore.Mvc;

namespace JoeCash.Scheduler.Web.Pages;

/// <summary>My week: Monday to Sunday around <c>?date=</c> (this week by default), each day compact, linked to the day.</summary>
public sealed class MyWeekModel(TechnicianDayService days) : DayPageModel(days)
{
    public async Task<IActionResult> OnGetAsync(string? date, string? technician) =>
        await LoadAsync(date, technician, DaySpan.Week).ConfigureAwait(false) ?? Page();
}
