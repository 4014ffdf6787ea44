using System.Globalization;
using JoeCash.Scheduler.Invoicing;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace JoeCash.Scheduler.Web.Pages.Dispatch;

/// <summary>
/// The billing export for dispatchers: a month's billable sessions that took place, as German Excel CSV or JSON. The
/// download is a POST (it leaves an audit line: who, when, which month, how many lines); a GET only shows the count.
/// </summary>
[Authorize(Policy = StaffAuthentication.DispatcherPolicy)]
public sealed class BillingModel(BillingExport export, IClock clock) : DispatchPageModel
{
    public string Month { get; private set; } = "";

    public int? Preview { get; private set; }

    public string? Error { get; private set; }

    public IReadOnlyList<BillingExportRecord> History { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string? month)
    {
        // The last month by default: the one usually invoiced.
        var today = clock.GetCurrentInstant().InZone(Zone).Date;
        Month = month ?? BillingExport.Iso(new YearMonth(today.Year, today.Month).PlusMonths(-1));
        var parsed = export.ParseMonth(Month, "month");
        if (parsed.IsSuccess)
        {
            Preview = (await export.LinesAsync(parsed.Value, HttpContext.RequestAborted).ConfigureAwait(false)).Count;
        }
        else
        {
            Error = Format("billing.bad", parsed.Error);
            Response.StatusCode = 400;
        }

        await LoadAsync().ConfigureAwait(false);
        return Page();
    }

    public Task<IActionResult> OnPostCsvAsync(string? month) => DownloadAsync(month, BillingFormat.Csv);

    public Task<IActionResult> OnPostJsonAsync(string? month) => DownloadAsync(month, BillingFormat.Json);

    private async Task<IActionResult> DownloadAsync(string? month, BillingFormat format)
    {
        var file = await export.ExportAsync(month, format, Actor, HttpContext.RequestAborted).ConfigureAwait(false);
        if (file.IsSuccess)
        {
            return File(file.Value.Content, file.Value.ContentType, file.Value.FileName);
        }

        Month = month ?? "";
        Error = Format("billing.bad", file.Error);
        Response.StatusCode = 400;
        await LoadAsync().ConfigureAwait(false);
        return Page();
    }

    public string Stamp(Instant at) => at.InZone(Zone).ToString("dd.MM.yyyy HH:mm", CultureInfo.InvariantCulture);

    private async Task LoadAsync() => History = await export.HistoryAsync(20, HttpContext.RequestAborted).ConfigureAwait(false);
}
