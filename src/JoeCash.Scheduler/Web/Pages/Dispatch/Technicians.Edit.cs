using System.Globalization;
using JoeCash.Scheduler.Booking;
using JoeCash.Scheduler.Technicians;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace JoeCash.Scheduler.Web.Pages.Dispatch;

/// <summary>The technicians page's edit form: every field shown, every field saved, as <c>technician edit</c> checks it.</summary>
public sealed partial class TechniciansModel
{
    /// <summary>The technician in the edit form (its id).</summary>
    [BindProperty(SupportsGet = true)]
    public long? Edit { get; set; }

    /// <summary>The edit form: the stored technician, or what was typed when it was refused.</summary>
    public TechnicianFormFields? Form { get; private set; }

    public string? FormError { get; private set; }

    /// <summary>Booked appointments ahead that the refused change would have left outside the technician's terms.</summary>
    public IReadOnlyList<TechnicianMisfit> Misfits { get; private set; } = [];

    /// <summary>The technician just saved (their id, from the redirect), for the notice.</summary>
    public TechnicianRecord? Saved { get; private set; }

    public async Task<IActionResult> OnPostSaveAsync(TechnicianFormFields form, string? misfits)
    {
        ArgumentNullException.ThrowIfNull(form);
        var labels = new TechnicianLabels(T("technicians.name"), T("technicians.email"), T("technicians.zone.only"), T("technicians.state"),
            T("technicians.hours"), T("technicians.types"), T("technicians.dailycap"));
        var cap = form.DailyCap?.Trim() ?? "";
        TechnicianEditOutcome outcome;
        if (cap.Length > 0 && !(int.TryParse(cap, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed > 0))
        {
            outcome = TechnicianEditOutcome.Refused($"{labels.DailyCap}: {T("technicians.dailycap.bad")}");
        }
        else
        {
            var edit = new TechnicianEdit(form.Name ?? "", form.Email ?? "", form.Zone ?? "", form.State ?? "", form.Hours ?? "",
                string.Join(',', form.Types ?? []), cap.Length > 0 ? int.Parse(cap, CultureInfo.InvariantCulture) : null, ClearDailyCap: cap.Length == 0, form.Active,
                ExpectedVersion: form.Version > 0 ? form.Version : null);
            outcome = await edits.EditAsync(form.Id, edit, misfits == "keep", labels, HttpContext.RequestAborted).ConfigureAwait(false);
        }

        if (outcome.Saved is { } saved)
        {
            return Redirect($"/dispatch/technicians?saved={saved.Id}&q={Uri.EscapeDataString(Q ?? "")}");
        }

        Technicians = await technicians.ListAsync(HttpContext.RequestAborted).ConfigureAwait(false);
        Form = form;
        Edit = form.Id;
        FormError = outcome.NeedsChoice ? Format("technicians.misfits", outcome.Misfits.Count) : outcome.Stale ? T("technicians.stale") : outcome.Refusal;
        Misfits = outcome.Misfits;
        Response.StatusCode = outcome.NeedsChoice || outcome.Stale ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest;
        return Page();
    }
}

/// <summary>The edit form's fields, as typed (the types as the boxes ticked; an empty daily cap means none).</summary>
public sealed class TechnicianFormFields
{
    public long Id { get; set; }

    public string? Name { get; set; }

    public string? Email { get; set; }

    public string? Zone { get; set; }

    public string? State { get; set; }

    public string? Hours { get; set; }

    public IReadOnlyList<string>? Types { get; set; }

    public string? DailyCap { get; set; }

    public bool Active { get; set; }

    /// <summary>The version the form was filled from: saving is refused if the technician changed since.</summary>
    public int Version { get; set; }

    public static TechnicianFormFields From(TechnicianRecord technician)
    {
        ArgumentNullException.ThrowIfNull(technician);
        return new()
        {
            Id = technician.Id,
            Name = technician.Name,
            Email = technician.Email,
            Zone = technician.TimeZone,
            State = technician.FederalState,
            Hours = technician.Hours,
            Types = technician.Types,
            DailyCap = technician.DailyCap?.ToString(CultureInfo.InvariantCulture),
            Active = technician.Active,
            Version = technician.Version,
        };
    }
}
