using System.Globalization;
using JoeCash.Scheduler.Booking;
using JoeCash.Scheduler.Configuration;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Technicians;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using NodaTime.Text;

namespace JoeCash.Scheduler.Web.Pages.Dispatch;

/// <summary>
/// One appointment as <c>show</c> tells it, with reschedule and cancel. Both forms carry the version (and the time,
/// technician and status) the page was rendered with: when someone changed the appointment meanwhile the change is
/// refused and the page says what changed, then shows the appointment as it is now.
/// </summary>
[Authorize(Policy = StaffAuthentication.DispatcherPolicy)]
public sealed class AppointmentModel(AppointmentQueries appointments, BookingService booking, TechnicianService technicians, AppointmentTypeCatalog types) : DispatchPageModel
{
    public AppointmentWithShop? View { get; private set; }

    public Appointment? Current => View?.Details.Appointment;

    public IReadOnlyList<TechnicianRecord> Technicians { get; private set; } = [];

    /// <summary>What the page said after a change: "booked", "rescheduled", "cancelled".</summary>
    public string? Done { get; private set; }

    public Refusal? Refusal { get; private set; }

    /// <summary>For a stale form: what the form was rendered with.</summary>
    public Seen? Before { get; private set; }

    public Dictionary<string, string> FieldErrors { get; } = new(StringComparer.Ordinal);

    public string? AtValue { get; private set; }

    public string? Reason { get; private set; }

    public string TypeTitle(string key) => types.Find(key) is { IsSuccess: true } type ? type.Value.Title(Words) : key;

    public string TechnicianName(long id) => Technicians.FirstOrDefault(t => t.Id == id)?.Name ?? id.ToString(CultureInfo.InvariantCulture);

    public async Task<IActionResult> OnGetAsync(long id, bool booked = false, bool rescheduled = false, bool cancelled = false)
    {
        Done = booked ? "booked" : rescheduled ? "rescheduled" : cancelled ? "cancelled" : null;
        return await LoadAsync(id).ConfigureAwait(false) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostRescheduleAsync(long id, Seen seen, string? at, string? technician)
    {
        ArgumentNullException.ThrowIfNull(seen);
        AtValue = at;
        var start = WallClock.Parse(at, Zone, AmbiguityChoice.None, "at");
        if (!start.IsSuccess)
        {
            FieldErrors["at"] = string.IsNullOrWhiteSpace(at) ? T("appointment.at.missing") : Format("appointment.at.bad", start.Error);
            return await RefusedAsync(id, 400).ConfigureAwait(false);
        }

        var outcome = await booking.RescheduleAsync(id, seen.Version, start.Value, string.IsNullOrWhiteSpace(technician) ? null : technician, Actor, HttpContext.RequestAborted).ConfigureAwait(false);
        return await AfterAsync(id, seen, outcome, "rescheduled").ConfigureAwait(false);
    }

    public async Task<IActionResult> OnPostCancelAsync(long id, Seen seen, string? reason)
    {
        ArgumentNullException.ThrowIfNull(seen);
        Reason = reason;
        var outcome = await booking.CancelAsync(id, seen.Version, string.IsNullOrWhiteSpace(reason) ? null : reason, Actor, HttpContext.RequestAborted).ConfigureAwait(false);
        return await AfterAsync(id, seen, outcome, "cancelled").ConfigureAwait(false);
    }

    /// <summary>The form's hidden fields: the state it was rendered with.</summary>
    public static IReadOnlyList<(string Name, string Value)> SeenFields(Appointment appointment)
    {
        ArgumentNullException.ThrowIfNull(appointment);
        return
        [
            ("seen.Version", appointment.Version.ToString(CultureInfo.InvariantCulture)),
            ("seen.Start", InstantPattern.General.Format(appointment.Start)),
            ("seen.End", InstantPattern.General.Format(appointment.End)),
            ("seen.Technician", appointment.TechnicianId.ToString(CultureInfo.InvariantCulture)),
            ("seen.Status", appointment.Status.ToString()),
        ];
    }

    /// <summary>What changed between the form and now, one line per field: (what, before, now).</summary>
    public IReadOnlyList<(string What, string Before, string Now)> Changes()
    {
        if (Before is not { } before || Current is not { } now)
        {
            return [];
        }

        var lines = new List<(string, string, string)>();
        if (before.Time is { } time && time != now.Time)
        {
            lines.Add((T("appointment.time"), When(time), When(now.Time)));
        }

        if (before.Technician != now.TechnicianId)
        {
            lines.Add((T("appointment.technician"), TechnicianName(before.Technician), TechnicianName(now.TechnicianId)));
        }

        if (!string.Equals(before.Status, now.Status.ToString(), StringComparison.Ordinal))
        {
            lines.Add((T("appointment.status"), StatusText(before.Status), StatusText(now.Status.ToString())));
        }

        lines.Add((T("appointment.version"), before.Version.ToString(CultureInfo.InvariantCulture), now.Version.ToString(CultureInfo.InvariantCulture)));
        return lines;
    }

    public string StatusText(string status) => T("status." + status.ToLowerInvariant());

    private async Task<IActionResult> AfterAsync(long id, Seen seen, BookingOutcome outcome, string done)
    {
        if (outcome.Succeeded)
        {
            return Redirect($"/dispatch/appointments/{id}?{done}=true");
        }

        Refusal = outcome.Refusal!;
        if (Refusal.Kind == RefusalKind.Stale)
        {
            Before = seen;
            AtValue = null;
            Reason = null;
        }

        return await RefusedAsync(id, StatusOf(Refusal)).ConfigureAwait(false);
    }

    private async Task<IActionResult> RefusedAsync(long id, int status)
    {
        if (!await LoadAsync(id).ConfigureAwait(false))
        {
            return NotFound();
        }

        Response.StatusCode = status;
        return Page();
    }

    private async Task<bool> LoadAsync(long id)
    {
        View = await appointments.ViewAsync(id, HttpContext.RequestAborted).ConfigureAwait(false);
        Technicians = await technicians.ListAsync(HttpContext.RequestAborted).ConfigureAwait(false);
        return View is not null;
    }

    /// <summary>The appointment as the submitted form showed it.</summary>
    public sealed class Seen
    {
        public int Version { get; set; }

        public string? Start { get; set; }

        public string? End { get; set; }

        public long Technician { get; set; }

        public string Status { get; set; } = "";

        public Interval? Time =>
            InstantPattern.General.Parse(Start ?? "").TryGetValue(default, out var start) && InstantPattern.General.Parse(End ?? "").TryGetValue(default, out var end) && end > start
                ? new Interval(start, end)
                : null;
    }
}
