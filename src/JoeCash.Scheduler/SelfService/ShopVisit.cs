using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Invitations;
using JoeCash.Scheduler.ShopLinks;
using NodaTime;

namespace JoeCash.Scheduler.SelfService;

/// <summary>What a link leads to.</summary>
public enum ShopLinkState
{
    /// <summary>No such link (or a malformed one): 404.</summary>
    Unknown,

    /// <summary>The link works: the page shows the appointment.</summary>
    Active,

    /// <summary>A newer link was sent for the same appointment and address.</summary>
    Replaced,

    /// <summary>The appointment was cancelled.</summary>
    Cancelled,

    /// <summary>The appointment ended longer ago than <c>SelfService:ValidAfterEnd</c>.</summary>
    Expired,
}

/// <summary>A link opened: its state, and for a link that works, everything the page shows.</summary>
/// <param name="State">What the link leads to.</param>
/// <param name="Language">The shop's language (German for an unknown link).</param>
/// <param name="SupportPhone">The number to call instead.</param>
/// <param name="Page">The appointment's page, when the link works.</param>
public sealed record ShopVisit(ShopLinkState State, Language Language, string SupportPhone, ShopPage? Page = null);

/// <summary>The appointment as its shop sees it.</summary>
public sealed record ShopPage
{
    public required ShopLinkRow Link { get; init; }

    public required Appointment Appointment { get; init; }

    public required Customer Customer { get; init; }

    /// <summary>Dates, times and notices in the shop's language, worded as its emails word them.</summary>
    public required MessageModel Message { get; init; }

    /// <summary>The technician's first name only: the shop needs no more.</summary>
    public required string TechnicianFirstName { get; init; }

    /// <summary>True once the shop confirmed (on this page or with Accept in its calendar).</summary>
    public bool Confirmed => Appointment.Response == ResponseStatus.Accepted;

    public bool RustDeskConfirmed => Appointment.RustDeskConfirmedAt is not null;

    /// <summary>A billable appointment whose cost notice nobody has acknowledged yet.</summary>
    public required bool CostNeedsAcknowledgment { get; init; }

    /// <summary>The last moment the shop may cancel here; later it is asked to call.</summary>
    public required Instant CancelUntil { get; init; }

    public required bool CanCancel { get; init; }

    /// <summary>True once the appointment has begun: nothing can be changed here any more.</summary>
    public required bool Begun { get; init; }

    /// <summary>"10:30 Uhr" on the day, or the date and time when the deadline falls on another day.</summary>
    public required string CancelUntilText { get; init; }
}

/// <summary>One other time the shop may choose, as the page shows it.</summary>
/// <param name="Start">The new start (the form's value, as milliseconds since the epoch).</param>
/// <param name="Day">"Dienstag, 1. Dezember 2026".</param>
/// <param name="Time">"10:00–11:00 Uhr (MEZ)".</param>
public sealed record ShopSlot(Instant Start, string Day, string Time);

/// <summary>What an action on the page did.</summary>
public enum ShopActionStatus
{
    Done,

    /// <summary>It had been done already (a second click, another tab): nothing changed.</summary>
    AlreadyDone,

    /// <summary>The appointment changed since the page was shown: nothing changed, the page shows it as it is now.</summary>
    ChangedMeanwhile,

    /// <summary>The chosen time is no longer free.</summary>
    SlotTaken,

    /// <summary>Too close to the start for this action: the shop is asked to call.</summary>
    TooLate,

    /// <summary>The input is wrong (see the field error).</summary>
    Invalid,

    /// <summary>The link no longer works.</summary>
    Gone,
}

/// <summary>The result of an action, with the field error for bad input.</summary>
public sealed record ShopActionOutcome(ShopActionStatus Status, string? FieldError = null)
{
    public static readonly ShopActionOutcome Done = new(ShopActionStatus.Done);
}
