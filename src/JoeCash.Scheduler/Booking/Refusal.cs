using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Domain.Availability;
using NodaTime;

namespace JoeCash.Scheduler.Booking;

/// <summary>A request to book: which shop, which type, which technician ("any" or none for any), when.</summary>
public sealed record BookingRequest(
    string Customer,
    string Type,
    string? Technician,
    Instant Start,
    string? Notes,
    bool AcknowledgeCost,
    string BookedBy)
{
    /// <summary>Set when the shop books itself on its booking page: what it confirmed, written in the booking's own transaction.</summary>
    public ShopConfirmation? ByShop { get; init; }

    /// <summary>
    /// Written in the booking's own transaction once the appointment is in: both commit, or neither (e.g. the outcome
    /// that books this appointment as a follow-up). Returns null to commit, or why not, which refuses the booking.
    /// </summary>
    public Func<BookingWrite, Task<string?>>? Alongside { get; init; }
}

/// <summary>The booking's transaction as <see cref="BookingRequest.Alongside"/> sees it: the appointment just inserted, and the booking's clock.</summary>
public sealed record BookingWrite(System.Data.Common.DbConnection Connection, System.Data.Common.DbTransaction Transaction, Appointment Appointment, Instant Now);

/// <summary>
/// What a shop confirmed itself while booking: the RustDesk ID (on file from now on, and confirmed for this appointment),
/// the address it signed in with (the cost acknowledgment's "who"), and how many open appointments it may have. Checked
/// and written inside the booking's transaction, under the shop's turn: the limit holds across nodes, and a booking is
/// never committed without what the shop confirmed with it.
/// </summary>
public sealed record ShopConfirmation(RustDeskId RustDeskId, string Email, int MaxOpenBookings);

/// <summary>Why a booking change was refused, broadly: what the caller can do about it.</summary>
public enum RefusalKind
{
    /// <summary>The input itself is wrong (unknown shop, missing cost acknowledgment, …).</summary>
    Invalid,

    /// <summary>The time is not free; alternatives are offered.</summary>
    Conflict,

    /// <summary>Someone changed the appointment since the caller read it.</summary>
    Stale,
}

/// <summary>Exactly which rule refused a booking change; each face words its own advice from it.</summary>
public enum RefusalCode
{
    /// <summary>A field is malformed or names nothing known (type, technician, text).</summary>
    BadInput,

    /// <summary>No shop with that number.</summary>
    UnknownCustomer,

    /// <summary>The shop has no usable address for the invitation.</summary>
    NoContactAddress,

    /// <summary>The type is billable for this shop and the shop has not accepted the cost notice (<see cref="Refusal.CostNotice"/>).</summary>
    CostNotAcknowledged,

    /// <summary>The start lies beyond the booking horizon.</summary>
    BeyondHorizon,

    /// <summary>The slot engine refused the start (<see cref="Refusal.SlotReason"/> says why).</summary>
    SlotNotFree,

    /// <summary>No appointment with that id.</summary>
    NotFound,

    /// <summary>The appointment is cancelled and cannot change.</summary>
    Cancelled,

    /// <summary>The caller's version is not the current one (<see cref="Refusal.CurrentVersion"/>).</summary>
    VersionMismatch,

    /// <summary>Someone changed the appointment between reading and writing it.</summary>
    ChangedMeanwhile,

    /// <summary>A shop booking itself has as many open appointments as <see cref="ShopConfirmation.MaxOpenBookings"/> allows.</summary>
    TooManyOpenBookings,

    /// <summary>What was to be written with the booking (<see cref="BookingRequest.Alongside"/>) could not be: nothing was booked.</summary>
    NotWrittenAlongside,
}

/// <summary>
/// A refused booking: what is wrong (a code, its data, and a plain sentence naming no face's input), the
/// appointment in the way (if any), and the nearest free alternatives.
/// </summary>
public sealed record Refusal(RefusalKind Kind, string Message, long? ConflictingAppointmentId = null, IReadOnlyList<Slot>? Alternatives = null, int? CurrentVersion = null)
{
    public RefusalCode Code { get; init; } = Kind switch
    {
        RefusalKind.Conflict => RefusalCode.SlotNotFree,
        RefusalKind.Stale => RefusalCode.ChangedMeanwhile,
        _ => RefusalCode.BadInput,
    };

    /// <summary>For <see cref="RefusalCode.SlotNotFree"/>: the slot engine's reason.</summary>
    public SlotRejection? SlotReason { get; init; }

    /// <summary>For <see cref="RefusalCode.CostNotAcknowledged"/>: why the type is billable, and the notice the shop must accept.</summary>
    public BillingReason? Billing { get; init; }

    /// <inheritdoc cref="Billing"/>
    public string? CostNotice { get; init; }

    /// <summary>Taken time is a conflict (alternatives help); anything else the engine says is bad input.</summary>
    internal static Refusal For(SlotProblem problem) => new(
        problem.Reason is SlotRejection.TechnicianBusy or SlotRejection.ShopBusy or SlotRejection.DailyCapReached or SlotRejection.TimeOff
            ? RefusalKind.Conflict
            : RefusalKind.Invalid,
        problem.Message,
        problem.ConflictingAppointmentId)
    {
        Code = RefusalCode.SlotNotFree,
        SlotReason = problem.Reason,
    };
}

/// <summary>The appointment as stored after the change, or why there was no change.</summary>
public sealed record BookingOutcome(Appointment? Appointment, Refusal? Refusal)
{
    public bool Succeeded => Appointment is not null;

    public static implicit operator BookingOutcome(Appointment appointment) => new(appointment, null);

    public static implicit operator BookingOutcome(Refusal refusal) => new(null, refusal);
}
