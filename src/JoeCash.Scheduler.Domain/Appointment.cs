using NodaTime;

namespace JoeCash.Scheduler.Domain;

/// <summary>Where an appointment stands.</summary>
public enum AppointmentStatus
{
    Booked,
    Cancelled,
}

/// <summary>How the shop answered the invitation.</summary>
public enum ResponseStatus
{
    NeedsAction,
    Accepted,
    Tentative,
    Declined,
}

/// <summary>Whether the technician can connect: the shop's RustDesk ID on file, and confirmed by the shop for this appointment.</summary>
public enum RustDeskReadiness
{
    /// <summary>No ID on file: the technician cannot connect until the shop sends it.</summary>
    NoId,

    /// <summary>An ID on file, not confirmed by the shop for this appointment.</summary>
    OnFile,

    /// <summary>The shop confirmed the ID on file for this appointment.</summary>
    Confirmed,
}

/// <summary>The iCalendar words for a response (PARTSTAT), as stored and printed.</summary>
public static class ResponseStatuses
{
    public static string Code(this ResponseStatus status) => status switch
    {
        ResponseStatus.Accepted => "accepted",
        ResponseStatus.Tentative => "tentative",
        ResponseStatus.Declined => "declined",
        _ => "needs-action",
    };

    /// <summary>The status a stored or printed word names; anything else needs action.</summary>
    public static ResponseStatus Parse(string? code) => code switch
    {
        "accepted" => ResponseStatus.Accepted,
        "tentative" => ResponseStatus.Tentative,
        "declined" => ResponseStatus.Declined,
        _ => ResponseStatus.NeedsAction,
    };
}

/// <summary>The words for readiness, as stored and printed.</summary>
public static class RustDeskReadinessCodes
{
    public static string Code(this RustDeskReadiness readiness) => readiness switch
    {
        RustDeskReadiness.Confirmed => "confirmed",
        RustDeskReadiness.OnFile => "on-file",
        _ => "no-id",
    };
}

/// <summary>
/// One remote-maintenance appointment. <see cref="Uid"/> stays the same for its whole life (it is the
/// calendar UID); <see cref="Sequence"/> grows with every change the shop's calendar must see;
/// <see cref="Version"/> grows with every change at all and guards against lost updates.
/// </summary>
public sealed record Appointment(
    long Id,
    string Uid,
    long TechnicianId,
    long CustomerId,
    string TypeKey,
    Interval Time,
    Interval Blocked,
    AppointmentStatus Status,
    ResponseStatus Response,
    int Sequence,
    string? RustDeskId,
    string? Notes,
    bool CostAcknowledged,
    string BookedBy,
    Instant CreatedAt,
    Instant UpdatedAt,
    int Version)
{
    public Instant Start => Time.Start;

    public Instant End => Time.End;

    /// <summary>The stored <see cref="RustDeskId"/> typed again (it was checked when the shop was saved), or null if none was on file.</summary>
    public RustDeskId? RustDesk => RustDeskId is { } stored ? Domain.RustDeskId.FromStored(stored) : null;

    /// <summary>When the shop's answer (<see cref="Response"/>) arrived; null while it needs action.</summary>
    public Instant? RespondedAt { get; init; }

    /// <summary>The address that answered for the shop.</summary>
    public string? RespondedBy { get; init; }

    /// <summary>When the shop confirmed its RustDesk ID for this appointment, if it did.</summary>
    public Instant? RustDeskConfirmedAt { get; init; }

    /// <summary>Whether the technician can connect, as far as the ID goes.</summary>
    public RustDeskReadiness Readiness => RustDeskId is null ? RustDeskReadiness.NoId
        : RustDeskConfirmedAt is null ? RustDeskReadiness.OnFile
        : RustDeskReadiness.Confirmed;

    public BookedTime AsBookedTime() => new(Id, TechnicianId, Time, Blocked);
}

/// <summary>What the slot engine needs to know of a booked appointment: whose, when, and the span it blocks (with buffers).</summary>
public readonly record struct BookedTime(long Id, long TechnicianId, Interval Time, Interval Blocked);
