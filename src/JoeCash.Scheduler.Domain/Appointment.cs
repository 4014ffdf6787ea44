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

    public BookedTime AsBookedTime() => new(Id, TechnicianId, Time, Blocked);
}

/// <summary>What the slot engine needs to know of a booked appointment: whose, when, and the span it blocks (with buffers).</summary>
public readonly record struct BookedTime(long Id, long TechnicianId, Interval Time, Interval Blocked);
