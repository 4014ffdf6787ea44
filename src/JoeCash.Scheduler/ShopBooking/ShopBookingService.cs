using JoeCash.Scheduler.Booking;
using JoeCash.Scheduler.Configuration;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Domain.Availability;
using JoeCash.Scheduler.Invitations;
using JoeCash.Scheduler.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;

namespace JoeCash.Scheduler.ShopBooking;

/// <summary>One time the page offers, as it shows it.</summary>
/// <param name="Start">The start (the form's value, as milliseconds since the epoch).</param>
/// <param name="Day">"Dienstag, 1. Dezember 2026".</param>
/// <param name="Time">"10:00–11:00 Uhr (MEZ)".</param>
/// <param name="Label">How the time fits the shop's opening hours ("vor Öffnung"), when known.</param>
public sealed record ShopTime(Instant Start, string Day, string Time, string? Label);

/// <summary>What the time page shows for a topic: the type, its cost notice for this shop, the times, and whether its opening hours are on file.</summary>
public sealed record ShopTimes(AppointmentType Type, string? CostNotice, IReadOnlyList<ShopTime> Times, bool HoursKnown);

/// <summary>How a booking from the page ended.</summary>
public enum ShopBookingStatus
{
    Booked,

    /// <summary>The topic is unknown or is answered with a refusal; nothing to book.</summary>
    NotBookable,

    /// <summary>The RustDesk ID is not one (see the field error).</summary>
    BadRustDeskId,

    /// <summary>The type is billable for this shop and the box was not ticked.</summary>
    CostNotAcknowledged,

    /// <summary>The shop has <c>ShopBooking:MaxOpenBookings</c> open bookings already.</summary>
    LimitReached,

    /// <summary>The time was taken meanwhile (or is no longer free for another reason of the slot engine).</summary>
    SlotTaken,

    /// <summary>The time is closer than the minimum notice now.</summary>
    TooSoon,

    /// <summary>Anything else the booking rules refuse (the message says it, for the log and the support).</summary>
    Refused,
}

/// <summary>The result of booking from the page.</summary>
public sealed record ShopBookingOutcome(ShopBookingStatus Status, Appointment? Appointment = null, string? Message = null, int OpenBookings = 0);

/// <summary>The confirmation page's appointment, in the shop's language.</summary>
public sealed record ShopBooked(Appointment Appointment, MessageModel Message, string TechnicianFirstName);

/// <summary>
/// A signed-in shop books its own appointment: a topic from configuration (a type, or a refusal from the support policy),
/// a free time from the same engine and rules as the dispatcher's, its RustDesk ID confirmed, the cost notice
/// acknowledged where it applies, and at most <c>ShopBooking:MaxOpenBookings</c> open bookings. The booking itself is
/// <see cref="BookingService.BookAsync"/>: every rule, the invitation and the reminders as for any booking.
/// </summary>
public sealed class ShopBookingService(
    Database database,
    BookingService booking,
    ShopSlotRanking ranking,
    InvitationOutbox contexts,
    InvitationComposer composer,
    AppointmentTypeCatalog types,
    IClock clock,
    IOptions<ShopBookingOptions> options,
    IOptions<SchedulerOptions> scheduler,
    ILogger<ShopBookingService> logger)
{
    public IReadOnlyList<ShopTopic> Topics { get; } = [.. options.Value.Topics.Select(t => t.ToTopic())];

    public int MaxOpenBookings => options.Value.MaxOpenBookings;

    public ShopTopic? Topic(string? key) => Topics.FirstOrDefault(t => string.Equals(t.Key, key, StringComparison.Ordinal));

    /// <summary>The shop's booked appointments that have not ended, soonest first, as its emails word them.</summary>
    public async Task<IReadOnlyList<ShopBooked>> OpenBookingsAsync(ShopSession session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var ids = await connection.OpenAppointmentIdsAsync(session.Customer.Id, clock.GetCurrentInstant()).ConfigureAwait(false);
        var open = new List<ShopBooked>();
        foreach (var id in ids)
        {
            open.Add(await BookedAsync(connection, id, session).ConfigureAwait(false));
        }

        return open;
    }

    /// <summary>One of the shop's own appointments for the confirmation page; null for anyone else's.</summary>
    public async Task<ShopBooked?> BookedAsync(ShopSession session, long appointmentId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var appointment = await connection.GetAppointmentAsync(appointmentId).ConfigureAwait(false);
        return appointment is null || appointment.CustomerId != session.Customer.Id ? null : await BookedAsync(connection, appointmentId, session).ConfigureAwait(false);
    }

    /// <summary>The times the shop may choose for <paramref name="topic"/>, in the order they suit the shop best; null for a refusal topic.</summary>
    public async Task<ShopTimes?> TimesAsync(ShopSession session, ShopTopic topic, bool onlyWhileClosed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(topic);
        if (topic.Type is null || !types.Find(topic.Type).IsSuccess)
        {
            return null;
        }

        var type = types.Find(topic.Type).Value;
        var language = session.Customer.Language;
        var notice = Billing.CostNotice(type, session.Customer, language, scheduler.Value.NoContractNotice);
        var now = clock.GetCurrentInstant();
        var range = new Interval(now, now + Duration.FromDays(options.Value.SearchDays));
        var zone = scheduler.Value.Zone;
        var hoursKnown = ShopSlotRanking.OpeningHoursOf(session.Customer) is not null;
        var ranked = await ranking.RankAsync(session.Customer.Number, type.Key, range, onlyWhileClosed && hoursKnown, language, cancellationToken).ConfigureAwait(false);
        // In the order the ranking gives (closed first, then the fewest minutes without the till), each with its label;
        // the best few of each day, none overlapping, so the shop sees several days rather than every quarter hour of one.
        var offered = ranked.IsSuccess ? ShopSlotRanking.Spread(ranked.Value, zone, options.Value.ChoicesPerDay) : [];
        return new ShopTimes(type, notice, [.. offered.Take(options.Value.Choices).Select(r =>
        {
            var time = LocalTimeRange.In(r.Slot.Start, r.Slot.End, zone);
            return new ShopTime(r.Slot.Start, GermanDates.Date(time.Start.Date, language), time.Sentence(language), r.Fit == ShopHoursFit.Unknown ? null : r.Label);
        })], hoursKnown);
    }

    /// <summary>Books <paramref name="start"/> for the topic, after the page's own checks; see <see cref="ShopBookingStatus"/>.</summary>
    public async Task<ShopBookingOutcome> BookAsync(
        ShopSession session, string? topicKey, Instant start, string? notes, string? rustDeskId, bool acknowledgeCost, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (Topic(topicKey) is not { Type: { } typeKey } || !types.Find(typeKey).IsSuccess)
        {
            return new ShopBookingOutcome(ShopBookingStatus.NotBookable);
        }

        var type = types.Find(typeKey).Value;
        var id = RustDeskId.Parse(rustDeskId ?? "", "rustdesk");
        if (!id.IsSuccess)
        {
            return new ShopBookingOutcome(ShopBookingStatus.BadRustDeskId, Message: id.Error);
        }

        var notice = Billing.CostNotice(type, session.Customer, session.Customer.Language, scheduler.Value.NoContractNotice);
        if (notice is not null && !acknowledgeCost)
        {
            return new ShopBookingOutcome(ShopBookingStatus.CostNotAcknowledged);
        }

        return await BookInTurnAsync(session, type, start, notes, id.Value, notice, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ShopBookingOutcome> BookInTurnAsync(
        ShopSession session, AppointmentType type, Instant start, string? notes, RustDeskId id, string? notice, CancellationToken cancellationToken)
    {
        var customer = session.Customer;
        // The limit, the RustDesk ID and the acknowledgment are checked and written in the booking's own transaction.
        var request = new BookingRequest(customer.Number, type.Key, "any", start, notes, notice is not null, session.Actor)
        {
            ByShop = new ShopConfirmation(id, session.Email, options.Value.MaxOpenBookings),
        };
        var outcome = await booking.BookAsync(request, cancellationToken).ConfigureAwait(false);
        if (outcome.Refusal is { } refusal)
        {
            logger.LogInformation("Shop {Customer} could not book {Type} at {Start}: {Code}", customer.Number, type.Key, start, refusal.Code);
            return refusal.Code == RefusalCode.TooManyOpenBookings
                ? new ShopBookingOutcome(ShopBookingStatus.LimitReached, OpenBookings: await OpenCountAsync(customer.Id, cancellationToken).ConfigureAwait(false))
                : new ShopBookingOutcome(refusal switch
                {
                    { SlotReason: SlotRejection.TooSoon } => ShopBookingStatus.TooSoon,
                    { Kind: RefusalKind.Conflict } or { Code: RefusalCode.SlotNotFree } => ShopBookingStatus.SlotTaken,
                    _ => ShopBookingStatus.Refused,
                }, Message: refusal.Message);
        }

        var appointment = outcome.Appointment!;
        logger.LogInformation("Shop {Customer} booked appointment {AppointmentId} on the booking page", customer.Number, appointment.Id);
        return new ShopBookingOutcome(ShopBookingStatus.Booked, appointment);
    }

    private async Task<int> OpenCountAsync(long customerId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.CountOpenAppointmentsAsync(customerId, clock.GetCurrentInstant()).ConfigureAwait(false);
    }

    private async Task<ShopBooked> BookedAsync(System.Data.Common.DbConnection connection, long appointmentId, ShopSession session)
    {
        var appointment = (await connection.GetAppointmentAsync(appointmentId).ConfigureAwait(false))!;
        var context = await contexts.ContextAsync(connection, null, appointment, session.Customer).ConfigureAwait(false);
        var first = context.Technician.Name.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? context.Technician.Name;
        return new ShopBooked(appointment, composer.Model(InvitationKind.Request, context), first);
    }

}
