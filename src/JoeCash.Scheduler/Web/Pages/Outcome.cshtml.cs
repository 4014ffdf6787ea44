using System.Globalization;
using JoeCash.Scheduler.Booking;
using JoeCash.Scheduler.Configuration;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Outcomes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using NodaTime;

namespace JoeCash.Scheduler.Web.Pages;

/// <summary>
/// The outcome of one appointment, from the technician's day: done (with its minutes), not reached, or a follow-up
/// booked by the booking rules. A technician reaches only their own appointments (404 for anyone else's, as for one
/// that does not exist); a dispatcher any. Saved with a POST, then back to the day (post-redirect-get).
/// </summary>
public sealed class OutcomeModel(AppointmentQueries appointments, OutcomeQueries outcomes, OutcomeService service, AppointmentTypeCatalog types,
    IOptions<SchedulerOptions> scheduler, IClock clock) : StaffPageModel
{
    public AppointmentWithShop View { get; private set; } = null!;

    public Appointment Appointment => View.Details.Appointment;

    public AppointmentOutcome? Current { get; private set; }

    public bool Begun { get; private set; }

    public bool Billable { get; private set; }

    public string? Error { get; private set; }

    public OutcomeRefusal? Refusal { get; private set; }

    /// <summary>The form as typed (or as stored), to show again.</summary>
    public string Kind { get; private set; } = "done";

    public string Minutes { get; private set; } = "";

    public string? At { get; private set; }

    public string? Note { get; private set; }

    public string? TechnicianQuery => Request.Query["technician"].FirstOrDefault();

    public DateTimeZone Zone => scheduler.Value.Zone;

    public string TypeTitle(string key) => types.Find(key) is { IsSuccess: true } type ? type.Value.Title(Language == "en" ? Domain.Language.En : Domain.Language.De) : key;

    public IEnumerable<AppointmentType> Types => types.All;

    public string When(Interval time) =>
        $"{time.Start.InZone(Zone).ToString("dd.MM.yyyy", CultureInfo.InvariantCulture)} {LocalTimeRange.In(time, Zone).Compact(Language == "en" ? Domain.Language.En : Domain.Language.De)} ({Zone.Id})";

    public string Format(string key, params object?[] values) => string.Format(CultureInfo.InvariantCulture, T(key), values);

    public string Stamp(Instant at) => at.InZone(Zone).ToString("dd.MM.yyyy HH:mm", CultureInfo.InvariantCulture);

    /// <summary>The day page the appointment is on, keeping a dispatcher's technician.</summary>
    public string DayLink(string? saved = null)
    {
        var date = IsoTime.Day(Appointment.Start.InZone(Zone).Date);
        var link = $"/day?date={date}";
        if (TechnicianQuery is { } technician)
        {
            link += "&technician=" + Uri.EscapeDataString(technician);
        }

        return saved is null ? link : link + "&saved=" + saved;
    }

    public async Task<IActionResult> OnGetAsync(long id)
    {
        if (!await LoadAsync(id).ConfigureAwait(false))
        {
            return NotFound();
        }

        if (Current is { } o)
        {
            Kind = o.Kind.Code();
            Note = o.Note;
        }

        Minutes = (Current?.Minutes ?? OutcomeService.PlannedMinutes(Appointment)).ToString(CultureInfo.InvariantCulture);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(long id, string? kind, string? minutes, string? at, string? type, bool acknowledgeCost, string? note)
    {
        if (!await LoadAsync(id).ConfigureAwait(false))
        {
            return NotFound();
        }

        (Kind, Minutes, At, Note) = (kind ?? "", minutes ?? "", at, note);
        var parsedKind = OutcomeKinds.Parse(kind);
        if (parsedKind is not { } chosen)
        {
            return Refused(T("outcome.kind.missing"));
        }

        int? parsedMinutes = null;
        if (chosen == OutcomeKind.Done && !string.IsNullOrWhiteSpace(minutes))
        {
            if (!int.TryParse(minutes, NumberStyles.None, CultureInfo.InvariantCulture, out var m) || m is < 1 or > OutcomeService.MostMinutes)
            {
                return Refused(T("outcome.minutes.bad"));
            }

            parsedMinutes = m;
        }

        FollowUpRequest? followUp = null;
        if (chosen == OutcomeKind.FollowUp)
        {
            if (string.IsNullOrWhiteSpace(at))
            {
                return Refused(T("outcome.at.missing"));
            }

            var start = WallClock.Parse(at, Zone, AmbiguityChoice.None, "at");
            if (!start.IsSuccess)
            {
                return Refused(string.Format(CultureInfo.InvariantCulture, T("outcome.at.bad"), start.Error));
            }

            followUp = new FollowUpRequest(start.Value, string.IsNullOrWhiteSpace(type) ? null : type, null, acknowledgeCost);
        }

        var result = await service.RecordAsync(
            new OutcomeRequest(id, chosen, parsedMinutes, note, followUp, Actor, Dispatches ? null : TechnicianId),
            HttpContext.RequestAborted).ConfigureAwait(false);
        if (result.Refusal is { } refusal)
        {
            Refusal = refusal;
            return Refused(refusal.Message, refusal.Code switch
            {
                OutcomeRefusalCode.NotFound => 404,
                OutcomeRefusalCode.FollowUpExists => 409,
                OutcomeRefusalCode.FollowUpRefused when refusal.Booking?.Kind == RefusalKind.Conflict => 409,
                _ => 400,
            });
        }

        return Redirect(DayLink(id.ToString(CultureInfo.InvariantCulture)));
    }

    private PageResult Refused(string message, int status = 400)
    {
        Error = message;
        Response.StatusCode = status;
        return Page();
    }

    /// <summary>The appointment, if this account may see it: a technician their own only.</summary>
    private async Task<bool> LoadAsync(long id)
    {
        var view = await appointments.ViewAsync(id, HttpContext.RequestAborted).ConfigureAwait(false);
        if (view is null || (!Dispatches && view.Details.Appointment.TechnicianId != TechnicianId))
        {
            return false;
        }

        View = view;
        Current = (await outcomes.OutcomesAsync([id], HttpContext.RequestAborted).ConfigureAwait(false)).GetValueOrDefault(id);
        Begun = clock.GetCurrentInstant() >= Appointment.Start;
        var type = types.Find(Appointment.TypeKey);
        Billable = type.IsSuccess && Billing.IsBillable(type.Value, view.Customer);
        return true;
    }
}
