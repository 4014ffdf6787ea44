using JoeCash.Scheduler.Booking;
using NodaTime;

namespace JoeCash.Scheduler.Outcomes;

/// <summary>What became of an appointment once it had begun.</summary>
public enum OutcomeKind
{
    /// <summary>The session took place; its actual minutes are recorded.</summary>
    Done,

    /// <summary>The shop could not be reached or RustDesk was not running: the session did not take place.</summary>
    NoShow,

    /// <summary>The work needs another session, booked through the normal rules and linked to this one.</summary>
    FollowUp,
}

/// <summary>The stored words of <see cref="OutcomeKind"/>.</summary>
public static class OutcomeKinds
{
    public static string Code(this OutcomeKind kind) => kind switch
    {
        OutcomeKind.Done => "done",
        OutcomeKind.NoShow => "no-show",
        _ => "follow-up",
    };

    /// <summary>"done", "no-show" (also "noshow") or "follow-up" (also "followup"), any case; null for anything else.</summary>
    public static OutcomeKind? Parse(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "done" => OutcomeKind.Done,
        "no-show" or "noshow" => OutcomeKind.NoShow,
        "follow-up" or "followup" => OutcomeKind.FollowUp,
        _ => null,
    };
}

/// <summary>The recorded outcome of one appointment (the latest word; the audit trail keeps the earlier ones).</summary>
public sealed record AppointmentOutcome
{
    public long AppointmentId { get; init; }

    public OutcomeKind Kind { get; init; }

    /// <summary>What the session took, for a done one.</summary>
    public int? Minutes { get; init; }

    public string? Note { get; init; }

    /// <summary>The appointment booked to continue the work.</summary>
    public long? FollowUpId { get; init; }

    public Instant RecordedAt { get; init; }

    public string RecordedBy { get; init; } = "";
}

/// <summary>Where and when the follow-up goes: the same type and technician unless named.</summary>
public sealed record FollowUpRequest(Instant Start, string? Type, string? Technician, bool AcknowledgeCost);

/// <summary>
/// A technician's word on an appointment. <see cref="OnlyTechnicianId"/> is set when a technician records it from
/// their own page: then the appointment must be theirs.
/// </summary>
public sealed record OutcomeRequest(
    long AppointmentId,
    OutcomeKind Kind,
    int? Minutes,
    string? Note,
    FollowUpRequest? FollowUp,
    string Actor,
    long? OnlyTechnicianId = null);

/// <summary>Which rule refused an outcome; each face words its own advice from it.</summary>
public enum OutcomeRefusalCode
{
    /// <summary>No such appointment (or, for a technician, none of theirs).</summary>
    NotFound,

    /// <summary>The appointment has not begun yet.</summary>
    NotBegun,

    /// <summary>The appointment was cancelled.</summary>
    Cancelled,

    /// <summary>A field is wrong (minutes, note, actor).</summary>
    BadInput,

    /// <summary>A follow-up is already booked and still stands: neither a second one nor another outcome while it does.</summary>
    FollowUpExists,

    /// <summary>The follow-up could not be booked (<see cref="OutcomeRefusal.Booking"/> says why).</summary>
    FollowUpRefused,
}

/// <summary>Why an outcome was not recorded; nothing was written.</summary>
public sealed record OutcomeRefusal(OutcomeRefusalCode Code, string Message)
{
    /// <summary>The booking service's refusal of the follow-up, with its alternatives.</summary>
    public Refusal? Booking { get; init; }
}

/// <summary>The outcome as recorded (and the follow-up booked), or why not.</summary>
public sealed record OutcomeResult(AppointmentOutcome? Outcome, OutcomeRefusal? Refusal)
{
    public bool Succeeded => Outcome is not null;

    /// <summary>Whether this changed an outcome recorded before.</summary>
    public bool Changed { get; init; }

    public static implicit operator OutcomeResult(OutcomeRefusal refusal) => new(null, refusal);
}
