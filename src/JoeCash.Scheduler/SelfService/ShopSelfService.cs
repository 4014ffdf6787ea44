using System.Text.Json;
using JoeCash.Scheduler.Booking;
using JoeCash.Scheduler.Configuration;
using JoeCash.Scheduler.Customers;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Domain.Availability;
using JoeCash.Scheduler.Invitations;
using JoeCash.Scheduler.Mail;
using JoeCash.Scheduler.ShopLinks;
using JoeCash.Scheduler.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;

namespace JoeCash.Scheduler.SelfService;

/// <summary>
/// What a shop may do from its personal link: see its appointment, confirm it, confirm or correct its RustDesk ID,
/// acknowledge a cost notice, choose another time, cancel. Opening never writes; each action re-checks the link
/// and the appointment's version in its own transaction, so a second click or a second tab changes nothing twice.
/// The effects are the ones the rest of the product has: Accept from a calendar, a reschedule or cancellation
/// with its email, the RustDesk ID on file that the technician's day shows.
/// </summary>
public sealed partial class ShopSelfService(
    Database database,
    ShopLinkService links,
    InvitationOutbox contexts,
    InvitationComposer composer,
    BookingService booking,
    Availability availability,
    IClock clock,
    IOptions<ShopLinkOptions> options,
    IOptions<SchedulerOptions> scheduler,
    IOptions<MailOptions> mail,
    ILogger<ShopSelfService> logger)
{
    /// <summary>What <paramref name="token"/> leads to; reads only.</summary>
    public async Task<ShopVisit> OpenAsync(string? token, CancellationToken cancellationToken = default)
    {
        var phone = mail.Value.SupportPhone;
        var link = await links.FindAsync(token, cancellationToken).ConfigureAwait(false);
        if (link is null)
        {
            return new ShopVisit(ShopLinkState.Unknown, Language.De, phone);
        }

        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var appointment = (await connection.GetAppointmentAsync(link.AppointmentId).ConfigureAwait(false))!;
        var context = await contexts.ContextAsync(connection, null, appointment).ConfigureAwait(false);
        var language = context.Customer.Language;
        var now = clock.GetCurrentInstant();
        var state = link.RevokedAt is not null ? (link.RevokedWhy == "cancelled" ? ShopLinkState.Cancelled : ShopLinkState.Replaced)
            : appointment.Status == AppointmentStatus.Cancelled ? ShopLinkState.Cancelled
            : now > appointment.End + Duration.FromTimeSpan(options.Value.ValidAfterEnd) ? ShopLinkState.Expired
            : ShopLinkState.Active;
        if (state != ShopLinkState.Active)
        {
            return new ShopVisit(state, language, phone);
        }

        var message = composer.Model(InvitationKind.Request, context);
        var cancelUntil = appointment.Start - Duration.FromTimeSpan(options.Value.CancelNotice);
        return new ShopVisit(state, language, phone, new ShopPage
        {
            Link = link,
            Appointment = appointment,
            Customer = context.Customer,
            Message = message,
            TechnicianFirstName = context.Technician.Name.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? context.Technician.Name,
            CostNeedsAcknowledgment = message.Billable && !appointment.CostAcknowledged,
            CancelUntil = cancelUntil,
            CanCancel = now < cancelUntil,
            Begun = now >= appointment.Start,
            CancelUntilText = Deadline(cancelUntil, appointment.Start, language),
        });
    }

    /// <summary>The other times the shop may choose: the same engine and rules as a dispatcher's booking, any technician who takes the type.</summary>
    public async Task<IReadOnlyList<ShopSlot>> SlotsAsync(ShopPage page, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(page);
        var found = await FreeAsync(page, cancellationToken).ConfigureAwait(false);
        var zone = scheduler.Value.Zone;
        var language = page.Customer.Language;
        return [.. found.Select(s => s.Start).Distinct().Take(options.Value.RescheduleChoices).Select(start =>
        {
            var time = LocalTimeRange.In(start, start + (page.Appointment.End - page.Appointment.Start), zone);
            return new ShopSlot(start, GermanDates.Date(time.Start.Date, language), time.Sentence(language));
        })];
    }

    /// <summary>Confirms attendance at the time the page showed (<paramref name="version"/>): the same effect as Accept in a calendar.</summary>
    public Task<ShopActionOutcome> ConfirmAsync(string? token, int version, CancellationToken cancellationToken = default) =>
        ActAsync(token, version, page => page.Confirmed, async (page, connection, transaction, now) =>
        {
            if (await connection.AcceptAsync(page.Appointment.Id, version, page.Link.Recipient, now, transaction).ConfigureAwait(false) == 0)
            {
                return new ShopActionOutcome(ShopActionStatus.ChangedMeanwhile);
            }

            await connection.InsertAuditAsync(page.Appointment.Id, now, Actor(page), "answered", Details(page, new { answer = "accepted" }), transaction).ConfigureAwait(false);
            return ShopActionOutcome.Done;
        }, cancellationToken);

    /// <summary>Confirms the till's RustDesk ID, correcting the one on file if the shop typed another (the same rules as the command line).</summary>
    public Task<ShopActionOutcome> ConfirmRustDeskAsync(string? token, int version, string? rustDeskId, CancellationToken cancellationToken = default)
    {
        var parsed = RustDeskId.Parse(rustDeskId ?? "", "rustdesk");
        if (!parsed.IsSuccess)
        {
            return Task.FromResult(new ShopActionOutcome(ShopActionStatus.Invalid, parsed.Error));
        }

        var id = parsed.Value;
        return ActAsync(token, version, page => page.RustDeskConfirmed && page.Customer.RustDeskId == id && page.Appointment.RustDeskId == id.Value, async (page, connection, transaction, now) =>
        {
            var onFile = page.Customer.RustDeskId;

            if (await connection.ConfirmRustDeskAsync(page.Appointment.Id, version, id.Value, now, transaction).ConfigureAwait(false) == 0)
            {
                return new ShopActionOutcome(ShopActionStatus.ChangedMeanwhile);
            }

            if (onFile != id)
            {
                await connection.SetCustomerRustDeskIdAsync(page.Customer.Id, id.Value, now, transaction).ConfigureAwait(false);
            }

            await connection.InsertAuditAsync(page.Appointment.Id, now, Actor(page), "rustdesk-confirmed",
                Details(page, new { customer = page.Customer.Number, from = onFile?.Value, to = id.Value }), transaction).ConfigureAwait(false);
            return ShopActionOutcome.Done;
        }, cancellationToken);
    }

    /// <summary>Records that the shop acknowledged the cost notice it was shown, with the time and the link, as proof for invoicing.</summary>
    public Task<ShopActionOutcome> AcknowledgeCostAsync(string? token, int version, CancellationToken cancellationToken = default) =>
        ActAsync(token, version, page => !page.CostNeedsAcknowledgment, async (page, connection, transaction, now) =>
        {

            if (await connection.AcknowledgeCostAsync(page.Appointment.Id, version, now, transaction).ConfigureAwait(false) == 0)
            {
                return new ShopActionOutcome(ShopActionStatus.ChangedMeanwhile);
            }

            await connection.InsertCostAcknowledgmentAsync(page.Appointment.Id, "shop-link", page.Link.Id, page.Link.Recipient, page.Message.CostNotice ?? "", now, transaction).ConfigureAwait(false);
            await connection.InsertAuditAsync(page.Appointment.Id, now, Actor(page), "cost-acknowledged", Details(page, new { notice = page.Message.CostNotice }), transaction).ConfigureAwait(false);
            return ShopActionOutcome.Done;
        }, cancellationToken);

    /// <summary>Moves the appointment to one of the offered times; the update invitation goes out (SEQUENCE + 1).</summary>
    public async Task<ShopActionOutcome> RescheduleAsync(string? token, int version, Instant start, CancellationToken cancellationToken = default)
    {
        var visit = await OpenAsync(token, cancellationToken).ConfigureAwait(false);
        if (Unusable(visit, version) is { } unusable)
        {
            return unusable;
        }

        var page = visit.Page!;
        // Only a time the page offers now: the same rules as booking, and a technician who takes the type.
        var slot = (await FreeAsync(page, cancellationToken).ConfigureAwait(false)).Where(s => s.Start == start).Select(s => (Slot?)s).FirstOrDefault();
        if (slot is not { } chosen)
        {
            return new ShopActionOutcome(ShopActionStatus.SlotTaken);
        }

        var outcome = await booking.RescheduleAsync(page.Appointment.Id, version, chosen.Start,
            chosen.TechnicianId == page.Appointment.TechnicianId ? null : chosen.TechnicianId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Actor(page), cancellationToken).ConfigureAwait(false);
        return outcome.Refusal switch
        {
            null => Logged(page, "rescheduled", ShopActionOutcome.Done),
            { Kind: RefusalKind.Stale } => new ShopActionOutcome(ShopActionStatus.ChangedMeanwhile),
            { Kind: RefusalKind.Conflict } => new ShopActionOutcome(ShopActionStatus.SlotTaken),
            _ => new ShopActionOutcome(ShopActionStatus.ChangedMeanwhile),
        };
    }

    /// <summary>Cancels the appointment, up to <c>SelfService:CancelNotice</c> before its start; the cancellation goes out.</summary>
    public async Task<ShopActionOutcome> CancelAsync(string? token, int version, CancellationToken cancellationToken = default)
    {
        var visit = await OpenAsync(token, cancellationToken).ConfigureAwait(false);
        if (Unusable(visit, version) is { } unusable)
        {
            return unusable;
        }

        var page = visit.Page!;
        var reason = page.Customer.Language == Language.En ? "cancelled by the shop on its appointment page" : "von der Filiale auf der Terminseite abgesagt";
        var outcome = await booking.CancelAsync(page.Appointment.Id, version, reason, Actor(page), cancellationToken).ConfigureAwait(false);
        return outcome.Refusal is null ? Logged(page, "cancelled", ShopActionOutcome.Done) : new ShopActionOutcome(ShopActionStatus.ChangedMeanwhile);
    }

    /// <summary>
    /// An action's common frame: the link must work and the appointment not have begun; what is <paramref name="done"/> already
    /// is said so (a second click, another tab); otherwise the page's version must be current, and the change commits in one
    /// transaction whose statements check the version again.
    /// </summary>
    private async Task<ShopActionOutcome> ActAsync(
        string? token, int version, Func<ShopPage, bool> done, Func<ShopPage, System.Data.Common.DbConnection, System.Data.Common.DbTransaction, Instant, Task<ShopActionOutcome>> act, CancellationToken cancellationToken)
    {
        var visit = await OpenAsync(token, cancellationToken).ConfigureAwait(false);
        if (visit.State != ShopLinkState.Active)
        {
            return new ShopActionOutcome(ShopActionStatus.Gone);
        }

        var page = visit.Page!;
        if (page.Begun)
        {
            return new ShopActionOutcome(ShopActionStatus.TooLate);
        }

        if (done(page))
        {
            return new ShopActionOutcome(ShopActionStatus.AlreadyDone);
        }

        if (version != page.Appointment.Version)
        {
            return new ShopActionOutcome(ShopActionStatus.ChangedMeanwhile);
        }

        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var writing = await Database.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        var transaction = writing.Transaction;
        var outcome = await act(page, connection, transaction, clock.GetCurrentInstant()).ConfigureAwait(false);
        if (outcome.Status == ShopActionStatus.Done)
        {
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            logger.LogInformation("Shop {Customer} changed appointment {AppointmentId} on its page", page.Customer.Number, page.Appointment.Id);
        }

        return outcome;
    }

    private static ShopActionOutcome? Unusable(ShopVisit visit, int version) => visit switch
    {
        { State: not ShopLinkState.Active } => new ShopActionOutcome(ShopActionStatus.Gone),
        { Page.CanCancel: false } => new ShopActionOutcome(ShopActionStatus.TooLate),
        _ when visit.Page!.Appointment.Version != version => new ShopActionOutcome(ShopActionStatus.ChangedMeanwhile),
        _ => null,
    };

    private async Task<IReadOnlyList<Slot>> FreeAsync(ShopPage page, CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        var range = new Interval(now, now + Duration.FromDays(options.Value.RescheduleDays));
        var found = await availability.FindSlotsAsync(page.Appointment.TypeKey, "any", range, page.Customer.Id, SlotsPerStart.FirstRanked, cancellationToken).ConfigureAwait(false);
        return found.IsSuccess ? [.. found.Value.Where(s => s.Start != page.Appointment.Start)] : [];
    }

    private ShopActionOutcome Logged(ShopPage page, string what, ShopActionOutcome outcome)
    {
        logger.LogInformation("Shop {Customer} {What} appointment {AppointmentId} on its page", page.Customer.Number, what, page.Appointment.Id);
        return outcome;
    }

    /// <summary>The audit's actor: the address the link was sent to.</summary>
    private static string Actor(ShopPage page)
    {
        var actor = "shop:" + page.Link.Recipient;
        return actor.Length <= 100 ? actor : actor[..100];
    }

    private static string Details(ShopPage page, object details) =>
        JsonSerializer.Serialize(new { via = "shop page", link = page.Link.Id, details });

    private string Deadline(Instant until, Instant start, Language language)
    {
        var zone = scheduler.Value.Zone;
        var local = until.InZone(zone);
        var clockText = LocalTimeRange.Clock(local, language, LocalTimeRange.ChangesOn(zone, local.Date));
        var time = language == Language.En ? clockText : $"{clockText} Uhr";
        return local.Date == start.InZone(zone).Date ? time : $"{GermanDates.Date(local.Date, language)}, {time}";
    }
}
