using System.Data.Common;
using System.Security.Cryptography;
using System.Text.Json;
using JoeCash.Scheduler.Configuration;
using JoeCash.Scheduler.Customers;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Domain.Availability;
using JoeCash.Scheduler.Invitations;
using JoeCash.Scheduler.Reminders;
using JoeCash.Scheduler.Storage;
using Microsoft.Extensions.Logging;
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
    string BookedBy);

/// <summary>Why a booking change was refused.</summary>
public enum RefusalKind
{
    /// <summary>The input itself is wrong (unknown shop, missing cost acknowledgment, …).</summary>
    Invalid,

    /// <summary>The time is not free; alternatives are offered.</summary>
    Conflict,

    /// <summary>Someone changed the appointment since the caller read it.</summary>
    Stale,
}

/// <summary>A refused booking: what is wrong, the appointment in the way (if any), and the nearest free alternatives.</summary>
public sealed record Refusal(RefusalKind Kind, string Message, long? ConflictingAppointmentId = null, IReadOnlyList<Slot>? Alternatives = null, int? CurrentVersion = null);

/// <summary>The appointment as stored after the change, or why there was no change.</summary>
public sealed record BookingOutcome(Appointment? Appointment, Refusal? Refusal)
{
    public bool Succeeded => Appointment is not null;

    public static implicit operator BookingOutcome(Appointment appointment) => new(appointment, null);

    public static implicit operator BookingOutcome(Refusal refusal) => new(null, refusal);
}

/// <summary>
/// Books, reschedules and cancels. Each change is one <c>BEGIN IMMEDIATE</c> transaction: read the
/// schedule, check it with the slot engine, write the appointment and its audit line. The triggers in
/// the schema refuse overlaps even if this code had a bug; under a race the losers see the winner's row.
/// </summary>
public sealed class BookingService(
    Database database,
    Availability availability,
    AppointmentTypeCatalog types,
    InvitationOutbox invitations,
    ReminderPlanner reminders,
    IClock clock,
    ILogger<BookingService> logger)
{
    private const int AlternativeCount = 3;
    private static readonly Duration AlternativesBefore = Duration.FromDays(3);
    private static readonly Duration AlternativesAfter = Duration.FromDays(14);
    private static readonly Duration LoadWindow = Duration.FromDays(7);

    public async Task<BookingOutcome> BookAsync(BookingRequest request, CancellationToken cancellationToken = default)
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
            await using var transaction = Database.BeginWrite(connection);
            var customer = await connection.FindCustomerAsync(request.Customer, transaction).ConfigureAwait(false);
            if (!customer.IsSuccess)
            {
                return new Refusal(RefusalKind.Invalid, customer.Error!);
            }

            var badAddress = customer.Value.Emails.Select(e => UserText.Email(e, "email")).FirstOrDefault(r => !r.IsSuccess);
            if (customer.Value.Emails.Count == 0 || badAddress.Error is not null)
            {
                return new Refusal(RefusalKind.Invalid,
                    $"customer {customer.Value.Number} has no valid contact address for the invitation ({badAddress.Error ?? "none on file"}); correct it with 'customer add'.");
            }

            var billing = Billing.Reason(type.Value, customer.Value);
            if (billing != BillingReason.Covered && !request.AcknowledgeCost)
            {
                var notice = Billing.CostNotice(type.Value, customer.Value, Language.De, availability.Options.NoContractNotice);
                return new Refusal(RefusalKind.Invalid, billing == BillingReason.NoSupportContract
                    ? $"customer {customer.Value.Number} has no support contract, so '{type.Value.Key}' is billable and needs the shop's acknowledgment of the cost notice (--acknowledge-cost): {notice}"
                    : $"'{type.Value.Key}' is a billable extra and needs the shop's acknowledgment of the cost notice (--acknowledge-cost): {notice}");
            }

            var found = await Availability.TechniciansForAsync(connection, transaction, type.Value, request.Technician).ConfigureAwait(false);
            if (!found.IsSuccess)
            {
                return new Refusal(RefusalKind.Invalid, found.Error!);
            }

            candidates = found.Value;
            customerId = customer.Value.Id;
            var time = new Interval(request.Start, request.Start + type.Value.Duration);
            var shopBusy = await connection.BookedForCustomerAsync(customerId, time, transaction).ConfigureAwait(false);
            var window = new Interval(request.Start - LoadWindow, request.Start + LoadWindow);
            var query = availability.Query(type.Value, window, [.. shopBusy.Select(a => a.Time)]);

            var (chosen, problem) = await ChooseTechnicianAsync(connection, transaction, candidates, query, time).ConfigureAwait(false);
            if (chosen is not null)
            {
                var now = clock.GetCurrentInstant();
                var appointment = new Appointment(
                    0,
                    NewUid(availability.Options.UidDomain),
                    chosen.Technician.Id,
                    customerId,
                    type.Value.Key,
                    time,
                    new Interval(time.Start - type.Value.BufferBefore, time.End + type.Value.BufferAfter),
                    AppointmentStatus.Booked,
                    ResponseStatus.NeedsAction,
                    0,
                    customer.Value.RustDeskId?.Value,
                    notes.Value,
                    request.AcknowledgeCost && billing != BillingReason.Covered,
                    bookedBy.Value,
                    now,
                    now,
                    1);
                try
                {
                    var id = await connection.InsertAppointmentAsync(appointment, transaction).ConfigureAwait(false);
                    appointment = appointment with { Id = id };
                    await connection.InsertAuditAsync(id, now, bookedBy.Value, "booked", Details(new
                    {
                        technician = chosen.Technician.Id,
                        customer = customer.Value.Number,
                        type = type.Value.Key,
                        start = time.Start.ToString(),
                        end = time.End.ToString(),
                        costAcknowledged = appointment.CostAcknowledged,
                    }), transaction).ConfigureAwait(false);
                    await invitations.EnqueueAsync(connection, transaction, InvitationKind.Request, appointment, now, customer.Value, chosen.Technician).ConfigureAwait(false);
                    await reminders.PlanAsync(connection, transaction, appointment, now).ConfigureAwait(false);
                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                    logger.LogInformation(
                        "Booked appointment {AppointmentId} ({Type}) for {Customer} with technician {TechnicianId} at {Start}",
                        id, type.Value.Key, customer.Value.Number, chosen.Technician.Id, time.Start);
                    return appointment;
                }
                catch (DbException e) when (Database.OverlapRule(e) is { } which)
                {
                    // Only reachable if the checks above missed something; the schema is the last line.
                    logger.LogWarning("The database refused appointment for {Customer} at {Start}: {Trigger}", customer.Value.Number, time.Start, which);
                    problem = new SlotProblem(SlotRejection.TechnicianBusy, $"The database refused the booking ({which}).");
                }
            }

            refusal = RefusalFor(problem!);
        }

        var alternatives = await NearestAlternativesAsync(type.Value, request.Technician, request.Start, customerId, excludeAppointmentId: null, cancellationToken).ConfigureAwait(false);
        return refusal with { Alternatives = alternatives };
    }

    /// <summary>
    /// The technician for a booking: the named one, or for "any" the least-booked one around that day
    /// who is free then. Schedules are read one technician at a time in that order (usually the first
    /// is free); a schedule covers only the start's own day, which is all the check needs.
    /// </summary>
    private async Task<(TechnicianSchedule? Chosen, SlotProblem? Problem)> ChooseTechnicianAsync(
        DbConnection connection, DbTransaction transaction, IReadOnlyList<Technician> candidates, SlotQuery query, Interval time, long? excludeAppointmentId = null)
    {
        var ranked = candidates;
        if (candidates.Count > 1)
        {
            var load = await connection.LoadOfTechniciansAsync([.. candidates.Select(t => t.Id)], query.Range, transaction).ConfigureAwait(false);
            ranked = [.. candidates.OrderBy(t => load.GetValueOrDefault(t.Id)).ThenBy(t => t.Id)];
        }

        var problems = new List<SlotProblem>();
        foreach (var technician in ranked)
        {
            var schedule = (await availability.LoadSchedulesAsync(connection, transaction, [technician], time, excludeAppointmentId).ConfigureAwait(false))[0];
            if (SlotEngine.Check(query, schedule, time.Start) is not { } refused)
            {
                return (schedule, null);
            }

            problems.Add(refused);
        }

        return (null, WhyNotFree(problems));
    }

    /// <summary>Moves a booked appointment to a new start (and optionally another technician), if nobody changed it since <paramref name="expectedVersion"/>.</summary>
    public async Task<BookingOutcome> RescheduleAsync(long appointmentId, int expectedVersion, Instant newStart, string? technician, string actor, CancellationToken cancellationToken = default)
    {
        var actorName = UserText.Required(actor, "actor", 100);
        if (!actorName.IsSuccess)
        {
            return new Refusal(RefusalKind.Invalid, actorName.Error!);
        }

        if (Beyond(newStart) is { } beyond)
        {
            return beyond;
        }

        Refusal refusal;
        AppointmentType type;
        await using (var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false))
        {
            await using var transaction = Database.BeginWrite(connection);
            var current = await connection.GetAppointmentAsync(appointmentId, transaction).ConfigureAwait(false);
            var unusable = Unusable(current, appointmentId, expectedVersion);
            if (unusable is not null)
            {
                return unusable;
            }

            type = types.Find(current!.TypeKey).Value;
            var technicianRef = technician ?? current.TechnicianId.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var found = await Availability.TechniciansForAsync(connection, transaction, type, technicianRef).ConfigureAwait(false);
            if (!found.IsSuccess)
            {
                return new Refusal(RefusalKind.Invalid, found.Error!);
            }

            var outcome = await MoveAsync(connection, transaction, current, expectedVersion, newStart, found.Value, actorName.Value, "rescheduled").ConfigureAwait(false);
            if (outcome.Refusal is not { } problem)
            {
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                logger.LogInformation("Rescheduled appointment {AppointmentId} from {From} to {To}", appointmentId, current.Start, newStart);
                return outcome;
            }

            if (problem.Kind == RefusalKind.Stale)
            {
                return problem;
            }

            refusal = problem;
            var alternatives = await NearestAlternativesAsync(type, technicianRef, newStart, current.CustomerId, appointmentId, cancellationToken).ConfigureAwait(false);
            return refusal with { Alternatives = alternatives };
        }
    }

    /// <summary>
    /// Moves <paramref name="current"/> to <paramref name="newStart"/> with the first of
    /// <paramref name="candidates"/> who is free then (least booked first), inside the caller's
    /// transaction: appointment, audit line, updated invitation and reminders, or a refusal and nothing written.
    /// </summary>
    internal async Task<BookingOutcome> MoveAsync(
        DbConnection connection, DbTransaction transaction, Appointment current, int expectedVersion, Instant newStart,
        IReadOnlyList<Technician> candidates, string actor, string action)
    {
        var type = types.ForStored(current.TypeKey);
        var time = new Interval(newStart, newStart + type.Duration);
        var window = new Interval(newStart - LoadWindow, newStart + LoadWindow);
        var shopBusy = (await connection.BookedForCustomerAsync(current.CustomerId, time, transaction).ConfigureAwait(false))
            .Where(a => a.Id != current.Id).Select(a => a.Time).ToArray();
        var (chosen, problem) = await ChooseTechnicianAsync(connection, transaction, candidates, availability.Query(type, window, shopBusy), time, current.Id).ConfigureAwait(false);
        if (chosen is null)
        {
            return RefusalFor(problem!);
        }

        var now = clock.GetCurrentInstant();
        var blocked = new Interval(time.Start - type.BufferBefore, time.End + type.BufferAfter);
        if (!await connection.MoveAppointmentAsync(current.Id, expectedVersion, chosen.Technician.Id, time, blocked, now, transaction).ConfigureAwait(false))
        {
            return new Refusal(RefusalKind.Stale, $"appointment {current.Id} was changed meanwhile; read it again and retry.");
        }

        await connection.InsertAuditAsync(current.Id, now, actor, action, Details(new
        {
            fromTechnician = current.TechnicianId,
            toTechnician = chosen.Technician.Id,
            from = current.Start.ToString(),
            to = newStart.ToString(),
        }), transaction).ConfigureAwait(false);
        var moved = (await connection.GetAppointmentAsync(current.Id, transaction).ConfigureAwait(false))!;
        await invitations.EnqueueAsync(connection, transaction, InvitationKind.Update, moved, now, technician: chosen.Technician, previous: current).ConfigureAwait(false);
        await reminders.ReplanAsync(connection, transaction, moved, now).ConfigureAwait(false);
        return moved;
    }

    /// <summary>Cancels a booked appointment, if nobody changed it since <paramref name="expectedVersion"/>.</summary>
    public async Task<BookingOutcome> CancelAsync(long appointmentId, int expectedVersion, string? reason, string actor, CancellationToken cancellationToken = default)
    {
        var actorName = UserText.Required(actor, "actor", 100);
        var why = UserText.Optional(reason, "reason", 500);
        if (!actorName.IsSuccess || !why.IsSuccess)
        {
            return new Refusal(RefusalKind.Invalid, actorName.Error ?? why.Error!);
        }

        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = Database.BeginWrite(connection);
        var current = await connection.GetAppointmentAsync(appointmentId, transaction).ConfigureAwait(false);
        var unusable = Unusable(current, appointmentId, expectedVersion);
        if (unusable is not null)
        {
            return unusable;
        }

        var now = clock.GetCurrentInstant();
        if (!await connection.CancelAppointmentAsync(appointmentId, expectedVersion, now, transaction).ConfigureAwait(false))
        {
            return new Refusal(RefusalKind.Stale, $"appointment {appointmentId} was changed meanwhile; read it again and retry.");
        }

        await connection.InsertAuditAsync(appointmentId, now, actorName.Value, "cancelled", Details(new { reason = why.Value }), transaction).ConfigureAwait(false);
        var cancelled = (await connection.GetAppointmentAsync(appointmentId, transaction).ConfigureAwait(false))!;
        await invitations.EnqueueAsync(connection, transaction, InvitationKind.Cancel, cancelled, now, reason: why.Value).ConfigureAwait(false);
        await ReminderPlanner.CancelAsync(connection, transaction, appointmentId, now).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Cancelled appointment {AppointmentId}", appointmentId);
        return cancelled;
    }

    public async Task<Appointment?> ReadAsync(long appointmentId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.GetAppointmentAsync(appointmentId).ConfigureAwait(false);
    }

    private Refusal? Beyond(Instant start) =>
        availability.Options.Horizon.Beyond(start, clock.GetCurrentInstant(), availability.Options.Zone) is { } message
            ? new Refusal(RefusalKind.Invalid, message)
            : null;

    private static Refusal? Unusable(Appointment? current, long appointmentId, int expectedVersion) => current switch
    {
        null => new Refusal(RefusalKind.Invalid, $"appointment: there is no appointment {appointmentId}."),
        { Status: AppointmentStatus.Cancelled } => new Refusal(RefusalKind.Invalid, $"appointment {appointmentId} is cancelled; book a new one instead."),
        _ when current.Version != expectedVersion => new Refusal(RefusalKind.Stale,
            $"appointment {appointmentId} is at version {current.Version}, not {expectedVersion}: someone changed it since you read it. Check it again and retry with version {current.Version}.", CurrentVersion: current.Version),
        _ => null,
    };

    private async Task<IReadOnlyList<Slot>> NearestAlternativesAsync(
        AppointmentType type, string? technician, Instant wanted, long customerId, long? excludeAppointmentId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var candidates = await Availability.TechniciansForAsync(connection, null, type, technician).ConfigureAwait(false);
        if (!candidates.IsSuccess)
        {
            return [];
        }

        // Never offer a start beyond the horizon; the wanted start is within it, so the range is never empty.
        var latest = availability.Options.Horizon.LatestStart(clock.GetCurrentInstant());
        var range = new Interval(wanted - AlternativesBefore, Instant.Min(wanted + AlternativesAfter, latest));
        var schedules = await availability.LoadSchedulesAsync(connection, null, candidates.Value, range, excludeAppointmentId).ConfigureAwait(false);
        var shopBusy = (await connection.BookedForCustomerAsync(customerId, range).ConfigureAwait(false))
            .Where(a => a.Id != excludeAppointmentId).Select(a => a.Time).ToArray();
        return [.. SlotEngine.FindSlots(availability.Query(type, range, shopBusy), schedules)
            .DistinctBy(s => s.Start)
            .OrderBy(s => Duration.Max(s.Start - wanted, wanted - s.Start))
            .ThenBy(s => s.Start)
            .Take(AlternativeCount)];
    }

    /// <summary>Why no technician can take the start: the one reason if all share it, else each technician's.</summary>
    private static SlotProblem WhyNotFree(List<SlotProblem> problems)
    {
        if (problems.Count == 1)
        {
            return problems[0];
        }

        // The same words for every technician ("… is in the past.") are said once.
        var messages = problems.Select(p => p.Message).Distinct(StringComparer.Ordinal).ToArray();
        if (messages.Length == 1)
        {
            return problems[0];
        }

        var all = $"No technician is free then. {string.Join(" ", messages)}";
        return problems.Select(p => p.Reason).Distinct().Count() == 1
            ? problems[0] with { Message = all }
            : new SlotProblem(SlotRejection.TechnicianBusy, all);
    }

    /// <summary>Taken time is a conflict (alternatives help); anything else is bad input.</summary>
    private static Refusal RefusalFor(SlotProblem problem) => new(
        problem.Reason is SlotRejection.TechnicianBusy or SlotRejection.ShopBusy or SlotRejection.DailyCapReached or SlotRejection.TimeOff
            ? RefusalKind.Conflict
            : RefusalKind.Invalid,
        problem.Message,
        problem.ConflictingAppointmentId);

    private static string Details(object details) => JsonSerializer.Serialize(details);

    private static string NewUid(string domain) => $"{RandomNumberGenerator.GetHexString(32, lowercase: true)}@{domain}";
}
