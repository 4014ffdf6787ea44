using NodaTime;

namespace JoeCash.Scheduler.Domain.Availability;

/// <summary>
/// What to look for: an appointment type within a range of instants, seen from <see cref="Now"/>.
/// <see cref="ShopBusy"/> holds the shop's own appointments: its till can host one session at a time.
/// </summary>
public sealed record SlotQuery(
    AppointmentType Type,
    Interval Range,
    Instant Now,
    Duration MinimumNotice,
    int GridMinutes = 15,
    IReadOnlyList<Interval>? ShopBusy = null)
{
    /// <summary>The default notice: a shop needs time to get RustDesk ready and plan the till's downtime.</summary>
    public static readonly Duration DefaultMinimumNotice = Duration.FromHours(2);

    public Instant Earliest => Instant.Max(Range.Start, Now + MinimumNotice);
}

/// <summary>Which free slots a search returns for a start at which several technicians are free.</summary>
public enum SlotsPerStart
{
    /// <summary>
    /// Only the first-ranked technician of each start (least booked, then the lower id): what every face shows
    /// and whom a booking for "any technician" gets. With 1,000 technicians about a thousandth of <see cref="All"/>.
    /// </summary>
    FirstRanked,

    /// <summary>Every free technician of each start, in rank order.</summary>
    All,
}

/// <summary>A free start for one technician.</summary>
public readonly record struct Slot(Instant Start, Instant End, long TechnicianId);

/// <summary>Why a start is not free, most fundamental reason first.</summary>
public enum SlotRejection
{
    TechnicianInactive,
    TypeNotTaken,
    TooSoon,
    NotOnGrid,
    Holiday,
    NotWorkingDay,
    OutsideWorkingHours,
    TimeOff,
    DailyCapReached,
    TechnicianBusy,
    ShopBusy,
}

/// <summary>A rejected start: the reason, a sentence for the user, and the conflicting appointment if there is one.</summary>
public sealed record SlotProblem(SlotRejection Reason, string Message, long? ConflictingAppointmentId = null);
