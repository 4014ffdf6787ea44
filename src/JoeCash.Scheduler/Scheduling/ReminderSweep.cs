using JoeCash.Scheduler.Booking;
using JoeCash.Scheduler.Invitations;
using JoeCash.Scheduler.Mail;
using JoeCash.Scheduler.ShopLinks;
using JoeCash.Scheduler.Reminders;
using JoeCash.Scheduler.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;

namespace JoeCash.Scheduler.Scheduling;

/// <summary>What one sweep did.</summary>
public sealed record SweepResult(int Queued, int Skipped, int Cancelled);

/// <summary>
/// Turns due reminders into outbox emails, a batch per transaction. A reminder whose time passed while
/// the service was down is still sent if the appointment has not begun; otherwise it is skipped with
/// the reason. The appointment's status is read in the same transaction: a cancelled or moved
/// appointment gets no reminder, ever.
/// </summary>
public sealed class ReminderSweep(
    Database database,
    InvitationOutbox contexts,
    ReminderComposer composer,
    ShopLinkService links,
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

    private async Task<SweepResult> RunBatchAsync(CancellationToken cancellationToken)
    {
        int queued = 0, skipped = 0, cancelled = 0;
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var writing = await Database.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        var transaction = writing.Transaction;
        var now = clock.GetCurrentInstant();
        var due = await connection.DueRemindersAsync(now, options.Value.BatchSize, transaction).ConfigureAwait(false);
        var cache = new Dictionary<long, (AppointmentContext Context, IReadOnlyDictionary<string, string> Seeds)>();
        foreach (var reminder in due)
        {
            if (reminder.AppointmentStatus != "booked" || reminder.AppointmentSequence != reminder.Sequence)
            {
                // Cancellation and rescheduling cancel reminders themselves; this guards a hand-edited database.
                await connection.DecideReminderAsync(reminder.Id, "cancelled", now, "appointment changed or cancelled", transaction).ConfigureAwait(false);
                cancelled++;
                continue;
            }

            if (now >= reminder.StartsAt)
            {
                var note = $"not sent: due {reminder.DueAt}, but the appointment had begun ({reminder.StartsAt}) when the service got to it";
                await connection.DecideReminderAsync(reminder.Id, "skipped", now, note, transaction).ConfigureAwait(false);
                logger.LogWarning("Skipped the {OffsetMinutes}-minute reminder for appointment {AppointmentId}: {Reason}", reminder.OffsetMinutes, reminder.AppointmentId, note);
                skipped++;
                continue;
            }

            if (!cache.TryGetValue(reminder.AppointmentId, out var known))
            {
                var appointment = (await connection.GetAppointmentAsync(reminder.AppointmentId, transaction).ConfigureAwait(false))!;
                var context = await contexts.ContextAsync(connection, transaction, appointment).ConfigureAwait(false);
                // Every reminder carries the shop's personal link: the one its invitation had, or a first one.
                known = (context, await links.SeedsAsync(connection, transaction, appointment.Id, context.Customer.Emails, now).ConfigureAwait(false));
                cache[reminder.AppointmentId] = known;
            }

            foreach (var message in composer.Compose(known.Context, reminder.OffsetMinutes, now, known.Seeds))
            {
                await connection.EnqueueAsync(message, now, transaction).ConfigureAwait(false);
            }

            await connection.DecideReminderAsync(reminder.Id, "queued", now, now > reminder.DueAt + Duration.FromMinutes(1) ? $"late: due {reminder.DueAt}" : null, transaction).ConfigureAwait(false);
            queued++;
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        if (due.Count > 0)
        {
            logger.LogInformation("Reminder sweep: {Queued} queued, {Skipped} skipped, {Cancelled} cancelled", queued, skipped, cancelled);
        }

        return new SweepResult(queued, skipped, cancelled);
    }
}
