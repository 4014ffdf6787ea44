using System.Data.Common;
using System.Security.Cryptography;
using System.Text.Json;
using JoeCash.Scheduler.Configuration;
using JoeCash.Scheduler.Customers;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Domain.Availability;
using JoeCash.Scheduler.Invitations;
using JoeCash.Scheduler.Mail;
using JoeCash.Scheduler.Reminders;
using JoeCash.Scheduler.Storage;
using JoeCash.Scheduler.Telemetry;
using Microsoft.Extensions.Logging;
using NodaTime;

namespace JoeCash.Scheduler.Booking;

/// <summary>
/// Books, reschedules and cancels. Each change is one <c>BEGIN IMMEDIATE</c> transaction: read the
/// schedule, check it with the slot engine, write the appointment and its audit line. The triggers in
/// the schema refuse overlaps even if this code had a bug; under a race the losers see the winner's row.
/// </summary>
public sealed partial class BookingService(
    Database database,
    Availability availability,
    TechnicianChoice choice,
    IHolidayCalendar holidays,
    AppointmentTypeCatalog types,
    InvitationOutbox invitations,
    ReminderPlanner reminders,
    OutboxSignal signal,
    IClock clock,
    ILogger<BookingService> logger)
{
    /// <remarks>
    /// On PostgreSQL, racing bookers on several nodes may make the server abort all but one of their transactions;
    /// each such booking runs again (<see cref="Database.RetryAsync{T}"/>) and then sees the winner, as it would have
    /// behind SQLite's single writer.
    /// </remarks>
    public async Task<BookingOutcome> BookAsync(BookingRequest request, CancellationToken cancellationToken = default) =>
        Counted("book", await Database.RetryAsync(() => BookCoreAsync(request, cancellationToken), cancellationToken).ConfigureAwait(false));

    /// <summary>Counts the outcome in the service's metrics: a booking, or a refusal by its code.</summary>
    private static BookingOutcome Counted(string action, BookingOutcome outcome)
    {
        if (outcome.Refusal is { } refusal)
        {
            SchedulerMetrics.Refused(action, JsonNamingPolicy.KebabCaseLower.ConvertName(refusal.Code.ToString()));
        }
        else if (action == "book")
        {
            SchedulerMetrics.Booked();
        }

        return outcome;
    }

    private async Task<BookingOutcome> BookCoreAsync(BookingRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var type = types.Find(request.Type);
        if (!type.IsSuccess)
        {
            return new Refusal(RefusalKind.Invalid, type.Error!);
        }

        // Before any arithmetic on the start: a date near the calendar's end would overflow.
        if (Beyond(request.Start) is { } beyond)
        {
            return beyond;
        }

        var notes = UserText.Note(request.Notes, "notes", 2000);
        var bookedBy = UserText.Required(request.BookedBy, "booked by", 100);
        if (!notes.IsSuccess || !bookedBy.IsSuccess)
        {
            return new Refusal(RefusalKind.Invalid, notes.Error ?? bookedBy.Error!);
        }

        Refusal? refusal;
        IReadOnlyList<Technician> candidates;
        long customerId;
        await using (var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false))
        {
            await using var writing = await Database.BeginWriteInTurnsAsync(connection, cancellationToken).ConfigureAwait(false);
            var transaction = writing.Transaction;
            var customer = await connection.FindCustomerAsync(request.Customer, transaction).ConfigureAwait(false);
            if (!customer.IsSuccess)
            {
                return new Refusal(RefusalKind.Invalid, customer.Error!) { Code = RefusalCode.UnknownCustomer };
            }

            if (CannotBook(customer.Value, type.Value, request.AcknowledgeCost) is { } cannot)
            {
                return cannot;
            }

            var found = await Availability.TechniciansForAsync(connection, transaction, type.Value, request.Technician).ConfigureAwait(false);
            if (!found.IsSuccess)
            {
                return new Refusal(RefusalKind.Invalid, found.Error!);
            }

            candidates = found.Value;
            customerId = customer.Value.Id;
            var time = new Interval(request.Start, request.Start + type.Value.Duration);
            var now = clock.GetCurrentInstant();
            var reads = await ReadForBookingAsync(connection, transaction, candidates, customerId, time, request.ByShop is not null, now).ConfigureAwait(false);
            if (request.ByShop is { } byShop && reads.OpenBookings >= byShop.MaxOpenBookings)
            {
                return new Refusal(RefusalKind.Invalid, $"The shop has {reads.OpenBookings} open appointment(s); it may book at most {byShop.MaxOpenBookings} itself.")
                {
                    Code = RefusalCode.TooManyOpenBookings,
                };
            }

            var (chosen, problem) = await ChooseAsync(connection, transaction, candidates, type.Value, time, reads).ConfigureAwait(false);
            if (chosen is not null)
            {
                var appointment = new Appointment(
                    reads.NextId,
                    NewUid(availability.Options.UidDomain),
                    chosen.Technician.Id,
                    customerId,
                    type.Value.Key,
                    time,
                    new Interval(time.Start - type.Value.BufferBefore, time.End + type.Value.BufferAfter),
                    AppointmentStatus.Booked,
                    ResponseStatus.NeedsAction,
                    0,
                    request.ByShop?.RustDeskId.Value ?? customer.Value.RustDeskId?.Value,
                    notes.Value,
                    request.AcknowledgeCost && Billing.Reason(type.Value, customer.Value) != BillingReason.Covered,
                    bookedBy.Value,
                    now,
                    now,
                    1);
                try
                {
                    // Everything the booking writes goes in one batch: on PostgreSQL one round trip with the commit.
                    var batch = Database.Batch(connection, transaction);
                    batch.InsertAppointment(appointment);
                    batch.InsertBilling(appointment.Id, Billing.Reason(type.Value, customer.Value));
                    batch.InsertAudit(appointment.Id, now, bookedBy.Value, "booked", Details(new
                    {
                        technician = chosen.Technician.Id,
                        customer = customer.Value.Number,
                        type = type.Value.Key,
                        start = time.Start.ToString(),
                        end = time.End.ToString(),
                        costAcknowledged = appointment.CostAcknowledged,
                    }));
                    var shop = customer.Value;
                    if (request.ByShop is { } confirmed)
                    {
                        shop = await ConfirmByShopAsync(batch, appointment, shop, type.Value, confirmed, now).ConfigureAwait(false);
                    }

                    invitations.Invite(batch, appointment, shop, chosen.Technician, now);
                    reminders.Plan(batch, appointment, now);
                    if (request.Alongside is { } alongside)
                    {
                        await batch.ExecuteAsync(cancellationToken).ConfigureAwait(false);
                        if (await alongside(new BookingWrite(connection, transaction, appointment, now)).ConfigureAwait(false) is { } why)
                        {
                            // Disposing the transaction without a commit takes the appointment, its invitation and reminders back.
                            return new Refusal(RefusalKind.Stale, why) { Code = RefusalCode.NotWrittenAlongside };
                        }
                    }

                    await batch.CommitAsync(cancellationToken).ConfigureAwait(false);
                    signal.Ring();
                    logger.LogInformation(
                        "Booked appointment {AppointmentId} ({Type}) for {Customer} with technician {TechnicianId} at {Start}",
                        appointment.Id, type.Value.Key, customer.Value.Number, chosen.Technician.Id, time.Start);
                    return appointment;
                }
                catch (DbException e) when (Database.OverlapRule(e) is { } which && !Database.LostARace(e))
                {
                    // SQLite: only reachable if the checks above missed something; the schema is the last line. (On
                    // PostgreSQL the refusal means a concurrent booking won: BookAsync runs this again, and the checks see it.)
                    logger.LogWarning("The database refused appointment for {Customer} at {Start}: {Trigger}", customer.Value.Number, time.Start, which);
                    problem = new SlotProblem(SlotRejection.TechnicianBusy, $"The database refused the booking ({which}).");
                }
            }

            refusal = Refusal.For(problem!);
        }

        var alternatives = await choice.NearestAlternativesAsync(type.Value, candidates, request.Start, customerId, excludeAppointmentId: null, cancellationToken).ConfigureAwait(false);
        return refusal with { Alternatives = alternatives };
    }

    /// <summary>Cancels a booked appointment, if nobody changed it since <paramref name="expectedVersion"/>.</summary>
    public Task<BookingOutcome> CancelAsync(long appointmentId, int expectedVersion, string? reason, string actor, CancellationToken cancellationToken = default) =>
        Database.RetryAsync(() => CancelCoreAsync(appointmentId, expectedVersion, reason, actor, cancellationToken), cancellationToken);

    private async Task<BookingOutcome> CancelCoreAsync(long appointmentId, int expectedVersion, string? reason, string actor, CancellationToken cancellationToken)
    {
        var actorName = UserText.Required(actor, "actor", 100);
        var why = UserText.Optional(reason, "reason", 500);
        if (!actorName.IsSuccess || !why.IsSuccess)
        {
            return new Refusal(RefusalKind.Invalid, actorName.Error ?? why.Error!);
        }

        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var writing = await Database.BeginWriteInTurnsAsync(connection, cancellationToken).ConfigureAwait(false);
        var transaction = writing.Transaction;
        var current = await connection.GetAppointmentAsync(appointmentId, transaction).ConfigureAwait(false);
        var unusable = Unusable(current, appointmentId, expectedVersion);
        if (unusable is not null)
        {
            return unusable;
        }

        var now = clock.GetCurrentInstant();
        if (!await connection.CancelAppointmentAsync(appointmentId, expectedVersion, now, transaction).ConfigureAwait(false))
        {
            return ChangedMeanwhile(appointmentId);
        }

        await connection.InsertAuditAsync(appointmentId, now, actorName.Value, "cancelled", Details(new { reason = why.Value }), transaction).ConfigureAwait(false);
        var cancelled = (await connection.GetAppointmentAsync(appointmentId, transaction).ConfigureAwait(false))!;
        await invitations.EnqueueAsync(connection, transaction, InvitationKind.Cancel, cancelled, now, reason: why.Value).ConfigureAwait(false);
        await ReminderPlanner.CancelAsync(connection, transaction, appointmentId, now).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        signal.Ring();
        logger.LogInformation("Cancelled appointment {AppointmentId}", appointmentId);
        return cancelled;
    }

    public async Task<Appointment?> ReadAsync(long appointmentId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.GetAppointmentAsync(appointmentId).ConfigureAwait(false);
    }

    /// <summary>Why this shop cannot book this type as asked: no address for the invitation, or a cost it has not accepted.</summary>
    private Refusal? CannotBook(Customer customer, AppointmentType type, bool acknowledgeCost)
    {
        var badAddress = customer.Emails.Select(e => UserText.Email(e, "email")).FirstOrDefault(r => !r.IsSuccess);
        if (customer.Emails.Count == 0 || badAddress.Error is not null)
        {
            return new Refusal(RefusalKind.Invalid,
                $"customer {customer.Number} has no valid contact address for the invitation ({badAddress.Error ?? "none on file"}).")
            { Code = RefusalCode.NoContactAddress };
        }

        var billing = Billing.Reason(type, customer);
        if (billing == BillingReason.Covered || acknowledgeCost)
        {
            return null;
        }

        var notice = Billing.CostNotice(type, customer, Language.De, availability.Options.NoContractNotice);
        return new Refusal(RefusalKind.Invalid, billing == BillingReason.NoSupportContract
            ? $"customer {customer.Number} has no support contract, so '{type.Key}' is billable and needs the shop's acknowledgment of the cost notice: {notice}"
            : $"'{type.Key}' is a billable extra and needs the shop's acknowledgment of the cost notice: {notice}")
        {
            Code = RefusalCode.CostNotAcknowledged,
            Billing = billing,
            CostNotice = notice,
        };
    }

    private Refusal? Beyond(Instant start) =>
        availability.Options.Horizon.Beyond(start, clock.GetCurrentInstant(), availability.Options.Zone) is { } message
            ? new Refusal(RefusalKind.Invalid, message) { Code = RefusalCode.BeyondHorizon }
            : null;

    private static Refusal? Unusable(Appointment? current, long appointmentId, int expectedVersion) => current switch
    {
        null => new Refusal(RefusalKind.Invalid, $"appointment: there is no appointment {appointmentId}.") { Code = RefusalCode.NotFound },
        { Status: AppointmentStatus.Cancelled } => new Refusal(RefusalKind.Invalid, $"appointment {appointmentId} is cancelled; book a new one instead.") { Code = RefusalCode.Cancelled },
        _ when current.Version != expectedVersion => new Refusal(RefusalKind.Stale,
            $"appointment {appointmentId} is at version {current.Version}, not {expectedVersion}: someone changed it since you read it. Check it again and retry with version {current.Version}.",
            CurrentVersion: current.Version)
        { Code = RefusalCode.VersionMismatch },
        _ => null,
    };

    private static Refusal ChangedMeanwhile(long appointmentId) =>
        new(RefusalKind.Stale, $"appointment {appointmentId} was changed meanwhile; read it again and retry.") { Code = RefusalCode.ChangedMeanwhile };

    private static string Details(object details) => JsonSerializer.Serialize(details);

    private static string NewUid(string domain) => $"{RandomNumberGenerator.GetHexString(32, lowercase: true)}@{domain}";
}
