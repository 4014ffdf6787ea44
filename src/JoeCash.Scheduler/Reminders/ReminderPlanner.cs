using System.Data;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Storage;
using Microsoft.Extensions.Options;
using NodaTime;

namespace JoeCash.Scheduler.Reminders;

/// <summary>
/// Plans an appointment's reminders inside the booking transaction: one per configured offset, due
/// that exact elapsed time before the start. A reminder whose moment has already passed at booking
/// time (booked 3 h ahead → no 24 h reminder) is never planned.
/// </summary>
public sealed class ReminderPlanner(IOptions<ReminderOptions> options)
{
    public async Task PlanAsync(IDbConnection connection, IDbTransaction transaction, Appointment appointment, Instant now)
    {
        ArgumentNullException.ThrowIfNull(appointment);
        foreach (var (offsetMinutes, due) in Due(appointment, now))
        {
            await connection.InsertReminderAsync(appointment.Id, appointment.Sequence, offsetMinutes, due, transaction).ConfigureAwait(false);
        }
    }

    /// <summary>The same as <see cref="PlanAsync"/>, queued in the booking's batch.</summary>
    public void Plan(StatementBatch batch, Appointment appointment, Instant now)
    {
        ArgumentNullException.ThrowIfNull(appointment);
        foreach (var (offsetMinutes, due) in Due(appointment, now))
        {
            batch.InsertReminder(appointment.Id, appointment.Sequence, offsetMinutes, due);
        }
    }

    /// <summary>Each configured offset whose moment is still ahead of <paramref name="now"/>, with that moment.</summary>
    private IEnumerable<(int OffsetMinutes, Instant Due)> Due(Appointment appointment, Instant now) =>
        options.Value.EffectiveOffsets
            .Select(offset => ((int)offset.TotalMinutes, appointment.Start - Duration.FromTimeSpan(offset)))
            .Where(r => r.Item2 > now);

    /// <summary>For a reschedule: the old reminders (and their queued emails) go, new ones are planned for the new start.</summary>
    public async Task ReplanAsync(IDbConnection connection, IDbTransaction transaction, Appointment moved, Instant now)
    {
        ArgumentNullException.ThrowIfNull(moved);
        await connection.CancelRemindersAsync(moved.Id, now, $"rescheduled (sequence {moved.Sequence})", transaction).ConfigureAwait(false);
        await PlanAsync(connection, transaction, moved, now).ConfigureAwait(false);
    }

    public static Task CancelAsync(IDbConnection connection, IDbTransaction transaction, long appointmentId, Instant now) =>
        connection.CancelRemindersAsync(appointmentId, now, "appointment cancelled", transaction);
}
