using System.Data.Common;
using System.Diagnostics;
using JoeCash.Scheduler.Booking;
using JoeCash.Scheduler.Configuration;
using JoeCash.Scheduler.Customers;
using JoeCash.Scheduler.Invitations;
using JoeCash.Scheduler.Mail;
using JoeCash.Scheduler.ShopLinks;
using JoeCash.Scheduler.Reminders;
using JoeCash.Scheduler.Storage;
using JoeCash.Scheduler.Technicians;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;

namespace JoeCash.Scheduler.Scheduling;

/// <summary>What one sweep did.</summary>
public sealed record SweepResult(int Queued, int Skipped, int Cancelled);

/// <summary>
/// Turns reminders into outbox emails, a batch per transaction, up to <see cref="ReminderOptions.QueueAhead"/> before
/// they are due; each email is not sent before its reminder's due instant. A reminder whose time passed while
/// the service was down is still sent if the appointment has not begun; otherwise it is skipped with
/// the reason. The appointment's status is read in the same transaction: a cancelled or moved
/// appointment gets no reminder, ever.
/// </summary>
public sealed class ReminderSweep(
    Database database,
    AppointmentTypeCatalog types,
    ReminderComposer composer,
    ShopLinkService links,
    OutboxSignal signal,
    IClock clock,
    IOptions<ReminderOptions> options,
    ILogger<ReminderSweep> logger)
{
    public async Task<SweepResult> RunAsync(CancellationToken cancellationToken = default)
    {
        int queued = 0, skipped = 0, cancelled = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var batch = await RunBatchAsync(cancellationToken).ConfigureAwait(false);
            queued += batch.Queued;
            skipped += batch.Skipped;
            cancelled += batch.Cancelled;
            if (batch.Queued + batch.Skipped + batch.Cancelled < options.Value.BatchSize)
            {
                break;
            }
        }

        return new SweepResult(queued, skipped, cancelled);
    }

    /// <summary>
    /// Sweeps, then wakes for every pending reminder that is to be queued before the next regular sweep (one sweep
    /// interval from now) and sweeps again at that instant (its due instant less <see cref="ReminderOptions.QueueAhead"/>):
    /// with no queueing ahead, a reminder still goes out when it is due, not up to an interval later.
    /// Returns once nothing more falls due within the interval; the regular sweep takes over from there.
    /// </summary>
    /// <remarks>
    /// The earliest due instant is read afresh after every sweep, so a reminder written meanwhile by a booking (or by
    /// another process) is seen at the latest by the next regular sweep, as before.
    /// </remarks>
    public async Task<SweepResult> RunUntilNextSweepAsync(CancellationToken cancellationToken = default)
    {
        var interval = Stopwatch.StartNew();
        var total = await RunAsync(cancellationToken).ConfigureAwait(false);
        while (!cancellationToken.IsCancellationRequested)
        {
            Instant? next;
            await using (var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false))
            {
                next = await connection.NextDueReminderAsync().ConfigureAwait(false);
            }

            // due_at is stored in whole milliseconds: a millisecond past it, the reminder is due by the sweep's clock.
            var wait = next is { } dueAt ? (dueAt - Ahead - clock.GetCurrentInstant()).ToTimeSpan() + TimeSpan.FromMilliseconds(1) : TimeSpan.MaxValue;
            if (wait >= options.Value.SweepInterval - interval.Elapsed)
            {
                break;
            }

            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
            }

            var more = await RunAsync(cancellationToken).ConfigureAwait(false);
            total = new SweepResult(total.Queued + more.Queued, total.Skipped + more.Skipped, total.Cancelled + more.Cancelled);
            if (wait <= TimeSpan.Zero && more.Queued + more.Skipped + more.Cancelled == 0)
            {
                // Due by the database but not by this sweep: leave it to the next regular sweep rather than spin.
                break;
            }
        }

        return total;
    }

    /// <summary>How long before its due instant a reminder is queued (<see cref="ReminderOptions.QueueAhead"/>).</summary>
    private Duration Ahead => Duration.FromTimeSpan(options.Value.QueueAhead);

    /// <remarks>
    /// The batch's appointments, shops, technicians and links are read together (a handful of queries, not a few per
    /// reminder), so that 10,000 reminders due at once hold the single writer for as short as possible and the
    /// dispatcher, woken after each batch (<see cref="OutboxSignal"/>), sends the first while the sweep goes on.
    /// </remarks>
    private async Task<SweepResult> RunBatchAsync(CancellationToken cancellationToken)
    {
        int queued = 0, skipped = 0, cancelled = 0;
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var writing = await Database.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        var transaction = writing.Transaction;
        var now = clock.GetCurrentInstant();
        var due = await connection.DueRemindersAsync(now + Ahead, options.Value.BatchSize, transaction).ConfigureAwait(false);
        var sendable = due.Where(r => r.AppointmentStatus == "booked" && r.AppointmentSequence == r.Sequence && now < r.StartsAt).ToList();
        var contexts = await ContextsAsync(connection, transaction, sendable.Select(r => r.AppointmentId)).ConfigureAwait(false);
        // Every reminder carries the shop's personal link: the one its invitation had, or a first one.
        var seeds = await links.SeedsAsync(
            connection, transaction, contexts.Values.ToDictionary(c => c.Appointment.Id, c => c.Customer.Emails), now).ConfigureAwait(false);
        // The batch's emails go in as prepared statements run one after another (SQLite) or in one round trip
        // (PostgreSQL), and its reminders are marked in one UPDATE per outcome: the writer is held for the batch's
        // work, not for a statement's set-up per email.
        var emails = Database.Batch(connection, transaction);
        var decisions = new List<ReminderDecision>(due.Count);
        foreach (var reminder in due)
        {
            if (reminder.AppointmentStatus != "booked" || reminder.AppointmentSequence != reminder.Sequence)
            {
                // Cancellation and rescheduling cancel reminders themselves; this guards a hand-edited database.
                decisions.Add(new ReminderDecision(reminder.Id, "cancelled", "appointment changed or cancelled"));
                cancelled++;
                continue;
            }

            if (now >= reminder.StartsAt)
            {
                var note = $"not sent: due {reminder.DueAt}, but the appointment had begun ({reminder.StartsAt}) when the service got to it";
                decisions.Add(new ReminderDecision(reminder.Id, "skipped", note));
                logger.LogWarning("Skipped the {OffsetMinutes}-minute reminder for appointment {AppointmentId}: {Reason}", reminder.OffsetMinutes, reminder.AppointmentId, note);
                skipped++;
                continue;
            }

            foreach (var message in composer.Compose(contexts[reminder.AppointmentId], reminder.OffsetMinutes, now, seeds[reminder.AppointmentId]))
            {
                emails.Enqueue(message, now, notBefore: reminder.DueAt);
            }

            decisions.Add(new ReminderDecision(reminder.Id, "queued", now > reminder.DueAt + Duration.FromMinutes(1) ? $"late: due {reminder.DueAt}" : null));
            queued++;
        }

        await emails.ExecuteAsync(cancellationToken).ConfigureAwait(false);
        await connection.DecideRemindersAsync(decisions, now, transaction).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        if (queued > 0)
        {
            signal.Ring();
        }

        if (due.Count > 0)
        {
            logger.LogInformation("Reminder sweep: {Queued} queued, {Skipped} skipped, {Cancelled} cancelled", queued, skipped, cancelled);
        }

        return new SweepResult(queued, skipped, cancelled);
    }

    /// <summary>What the reminders of a batch mention — appointments, shops, technicians — in three queries; by appointment id.</summary>
    private async Task<IReadOnlyDictionary<long, AppointmentContext>> ContextsAsync(DbConnection connection, DbTransaction transaction, IEnumerable<long> appointmentIds)
    {
        var appointments = (await connection.AppointmentsByIdAsync(appointmentIds, transaction).ConfigureAwait(false)).Values;
        var customers = await connection.CustomersByIdAsync(appointments.Select(a => a.CustomerId), transaction).ConfigureAwait(false);
        var technicians = await connection.TechniciansByIdAsync(appointments.Select(a => a.TechnicianId), transaction).ConfigureAwait(false);
        return appointments.ToDictionary(
            a => a.Id, a => new AppointmentContext(a, customers[a.CustomerId], technicians[a.TechnicianId], types.ForStored(a.TypeKey)));
    }
}
