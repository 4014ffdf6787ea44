using JoeCash.Scheduler.Booking;
using JoeCash.Scheduler.Configuration;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Technicians;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace JoeCash.Scheduler.Web.Pages.Dispatch;

/// <summary>
/// The technicians with a search, one technician edited (as <c>technician edit</c>), and their time off as
/// <c>technician time-off</c> records it: both refused while booked appointments would no longer fit, until the
/// dispatcher chooses what happens to them.
/// </summary>
[Authorize(Policy = StaffAuthentication.DispatcherPolicy)]
public sealed partial class TechniciansModel(TechnicianService technicians, TimeOffService timeOff, TechnicianEditService edits, AppointmentTypeCatalog types, IClock clock) : DispatchPageModel
{
    /// <summary>The types a technician may take, for the edit form's boxes.</summary>
    public IReadOnlyList<AppointmentType> Types => types.All;

    /// <summary>Every technician (the time-off form picks from them all).</summary>
    public IReadOnlyList<TechnicianRecord> Technicians { get; private set; } = [];

    /// <summary>The ones the search finds: name or email containing <see cref="Q"/>, ignoring case.</summary>
    public IEnumerable<TechnicianRecord> Listed => string.IsNullOrWhiteSpace(Q)
        ? Technicians
        : Technicians.Where(t => t.Name.Contains(Q.Trim(), StringComparison.OrdinalIgnoreCase) || t.Email.Contains(Q.Trim(), StringComparison.OrdinalIgnoreCase));

    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    [BindProperty]
    public long Technician { get; set; }

    [BindProperty]
    public string? From { get; set; }

    [BindProperty]
    public string? Until { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    [BindProperty]
    public string? Collisions { get; set; }

    public TimeOffOutcome? Outcome { get; private set; }

    public Dictionary<string, string> FieldErrors { get; } = new(StringComparer.Ordinal);

    public string? Recorded { get; private set; }

    public async Task OnGetAsync(string? recorded, long? saved)
    {
        Recorded = recorded;
        Technicians = await technicians.ListAsync(HttpContext.RequestAborted).ConfigureAwait(false);
        Saved = Technicians.FirstOrDefault(t => t.Id == saved);
        if (Edit is { } id && Technicians.FirstOrDefault(t => t.Id == id) is { } editing)
        {
            Form = TechnicianFormFields.From(editing);
        }
    }

    public async Task<IActionResult> OnPostTimeOffAsync()
    {
        Technicians = await technicians.ListAsync(HttpContext.RequestAborted).ConfigureAwait(false);
        var technician = Technicians.FirstOrDefault(t => t.Id == Technician);
        if (technician is null)
        {
            FieldErrors["technician"] = T("technicians.pick");
            return Refused();
        }

        var zone = DateTimeZoneProviders.Tzdb[technician.TimeZone];
        var from = WallClock.ParseDate(From, "from");
        var until = string.IsNullOrWhiteSpace(Until) ? from : WallClock.ParseDate(Until, "until");
        if (!from.IsSuccess)
        {
            FieldErrors["from"] = T("book.from.bad");
        }

        if (!until.IsSuccess || (from.IsSuccess && until.Value < from.Value))
        {
            FieldErrors["until"] = T("technicians.until.bad");
        }

        if (FieldErrors.Count > 0)
        {
            return Refused();
        }

        var horizon = Scheduler.Horizon;
        var now = clock.GetCurrentInstant();
        var first = horizon.CheckDate(from.Value, now, zone, T("technicians.from"), pastAllowed: true);
        var last = horizon.CheckDate(until.Value, now, zone, T("technicians.until"), pastAllowed: true);
        if (!first.IsSuccess || !last.IsSuccess)
        {
            FieldErrors[first.IsSuccess ? "until" : "from"] = first.Error ?? last.Error!;
            return Refused();
        }

        var span = new Interval(zone.AtStartOfDay(first.Value).ToInstant(), zone.AtStartOfDay(last.Value.PlusDays(1)).ToInstant());
        var choice = Collisions switch
        {
            "reassign" => TimeOffCollisions.Reassign,
            "keep" => TimeOffCollisions.Keep,
            _ => TimeOffCollisions.Refuse,
        };
        Outcome = await timeOff.RecordAsync(technician.Id, span, string.IsNullOrWhiteSpace(Reason) ? null : Reason, choice, Actor, HttpContext.RequestAborted).ConfigureAwait(false);
        if (!Outcome.Succeeded)
        {
            return Refused(Outcome.NeedsChoice ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest);
        }

        Technicians = await technicians.ListAsync(HttpContext.RequestAborted).ConfigureAwait(false);
        Recorded = technician.Name;
        return Page();
    }

    /// <summary>"Di 01.12.2026 10:00–11:00 · Bäckerei Müller (K10001)".</summary>
    public string Describe(TimeOffCollision collision)
    {
        ArgumentNullException.ThrowIfNull(collision);
        return $"{When(collision.Appointment.Time)} · {collision.Customer.DisplayName} ({collision.Customer.Number})";
    }

    private Microsoft.AspNetCore.Mvc.RazorPages.PageResult Refused(int status = StatusCodes.Status400BadRequest)
    {
        Response.StatusCode = status;
        return Page();
    }
}
