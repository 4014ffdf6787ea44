using JoeCash.Scheduler.Technicians;
using Microsoft.AspNetCore.Authorization;

namespace JoeCash.Scheduler.Web.Pages;

/// <summary>For dispatchers (who have no day of their own): whose day or week to look at.</summary>
[Authorize(Policy = StaffAuthentication.DispatcherPolicy)]
public sealed class ChooseTechnicianModel(TechnicianService technicians) : StaffPageModel
{
    public IReadOnlyList<TechnicianRecord> Technicians { get; private set; } = [];

    public async Task OnGetAsync() => Technicians = await technicians.ListAsync(HttpContext.RequestAborted).ConfigureAwait(false);
}
