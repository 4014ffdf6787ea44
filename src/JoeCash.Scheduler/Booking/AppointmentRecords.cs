using System.Text.Json;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Domain.Availability;
using NodaTime;

namespace JoeCash.Scheduler.Booking;

/// <summary>An appointment as scripts (and later the HTTP API) read it; times in UTC and in the reader's zone.</summary>
public sealed record AppointmentRecord(
    long Id,
    string Uid,
    int Version,
    int Sequence,
    string Status,
    string Response,
    string? RespondedAt,
    string? RespondedBy,
    string Type,
    long Technician,
    long Customer,
    string Start,
    string End,
    string LocalStart,
    string LocalEnd,
    string? RustDeskId,
    string RustDesk,
    string? Notes,
    bool CostAcknowledged,
    string BookedBy)
{
    public static AppointmentRecord From(Appointment a, DateTimeZone zone)
    {
        ArgumentNullException.ThrowIfNull(a);
        return new(
            a.Id,
            a.Uid,
            a.Version,
            a.Sequence,
            a.Status.ToString().ToLowerInvariant(),
            a.Response.Code(),
            a.RespondedAt is { } at ? IsoTime.Utc(at) : null,
            a.RespondedBy,
            a.TypeKey,
            a.TechnicianId,
            a.CustomerId,
            IsoTime.Utc(a.Start),
            IsoTime.Utc(a.End),
            IsoTime.Local(a.Start, zone),
            IsoTime.Local(a.End, zone),
            a.RustDeskId,
            a.Readiness.Code(),
            a.Notes,
            a.CostAcknowledged,
            a.BookedBy);
    }
}

/// <summary>A free start as scripts read it.</summary>
public sealed record SlotRecord(string Start, string End, string Local, long Technician)
{
    public static SlotRecord From(Slot slot, DateTimeZone zone) =>
        new(IsoTime.Utc(slot.Start), IsoTime.Utc(slot.End), IsoTime.Local(slot.Start, zone), slot.TechnicianId);
}

/// <summary>A free start for a shop as scripts read it: with how it fits the shop's opening hours (closed, partly-open, open, unknown).</summary>
public sealed record RankedSlotRecord(string Start, string End, string Local, long Technician, string ShopHours, int MinutesDuringOpening, string Label)
{
    public static RankedSlotRecord From(RankedSlot ranked, DateTimeZone zone)
    {
        ArgumentNullException.ThrowIfNull(ranked);
        var slot = SlotRecord.From(ranked.Slot, zone);
        return new(slot.Start, slot.End, slot.Local, slot.Technician,
            System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(ranked.Fit.ToString()), ranked.MinutesDuringOpening, ranked.Label);
    }
}

/// <summary>One line of the audit trail as scripts read it; <see cref="Details"/> is the stored JSON.</summary>
public sealed record AuditRecord(string At, string Actor, string Action, JsonElement Details)
{
    public static AuditRecord From(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        using var details = JsonDocument.Parse(entry.Details);
        return new(IsoTime.Utc(entry.At), entry.Actor, entry.Action, details.RootElement.Clone());
    }
}

/// <summary>One appointment and its audit trail, oldest line first.</summary>
public sealed record AppointmentDetails(Appointment Appointment, IReadOnlyList<AuditEntry> Audit);

/// <summary><see cref="AppointmentDetails"/> as scripts read it.</summary>
public sealed record AppointmentDetailsRecord(AppointmentRecord Appointment, IReadOnlyList<AuditRecord> Audit)
{
    public static AppointmentDetailsRecord From(AppointmentDetails details, DateTimeZone zone)
    {
        ArgumentNullException.ThrowIfNull(details);
        return new(AppointmentRecord.From(details.Appointment, zone), [.. details.Audit.Select(AuditRecord.From)]);
    }
}

/// <summary>
/// A refusal as scripts read it: the sentence, its kind and code, the data, and the face's
/// <see cref="Hint"/> (how to go on with that face's input), if it has one.
/// </summary>
public sealed record RefusalRecord(
    string Error,
    string Kind,
    string Code,
    long? ConflictingAppointment,
    int? CurrentVersion,
    string? Hint,
    IReadOnlyList<SlotRecord> Alternatives)
{
    public static RefusalRecord From(Refusal refusal, DateTimeZone zone, string? hint)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        return new(
            refusal.Message,
            refusal.Kind.ToString().ToLowerInvariant(),
            JsonNamingPolicy.KebabCaseLower.ConvertName(refusal.Code.ToString()),
            refusal.ConflictingAppointmentId,
            refusal.CurrentVersion,
            hint,
            [.. (refusal.Alternatives ?? []).Select(s => SlotRecord.From(s, zone))]);
    }
}
