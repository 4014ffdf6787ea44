using JoeCash.Scheduler.Agenda;
using JoeCash.Scheduler.Storage;
using JoeCash.Scheduler.Technicians;
using Microsoft.Extensions.Logging;
using NodaTime;
using Quartz;

namespace JoeCash.Scheduler.Scheduling;

/// <summary>
/// Every few seconds: turn due reminders into outbox emails, and in between wake when the next one falls due. Thin: the
/// work is in <see cref="ReminderSweep"/>.
/// </summary>
[DisallowConcurrentExecution]
public sealed class ReminderSweepJob(ReminderSweep sweep, ILogger<ReminderSweepJob> logger) : IJob
{
    public static readonly JobKey Key = new("reminder-sweep", "joecash");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var result = await sweep.RunUntilNextSweepAsync(cancellationToken).ConfigureAwait(false);
        if (result.Queued + result.Skipped + result.Cancelled > 0)
        {
            logger.LogInformation("Reminder sweep run {FireInstanceId}: {Queued} queued, {Skipped} skipped, {Cancelled} cancelled",
                context.FireInstanceId, result.Queued, result.Skipped, result.Cancelled);
        }
    }
}

/// <summary>
/// At the configured hour in one technician's zone: queue that day's agenda. After downtime Quartz fires
/// a missed morning once on start; the job still sends it if that morning is today in the technician's zone.
/// </summary>
[DisallowConcurrentExecution]
public sealed class MorningAgendaJob(Database database, AgendaMailer mailer, IClock clock, ILogger<MorningAgendaJob> logger) : IJob
{
    public const string TechnicianIdKey = "technicianId";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var technicianId = context.MergedJobDataMap.GetLong(TechnicianIdKey);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var technician = await connection.FindTechnicianAsync(technicianId).ConfigureAwait(false);
        if (!technician.IsSuccess || !technician.Value.Active)
        {
            logger.LogInformation("Agenda trigger for technician {TechnicianId} fired, but the technician is gone or inactive", technicianId);
            return;
        }

        var zone = technician.Value.Zone;
        var scheduledDay = Instant.FromDateTimeOffset(context.ScheduledFireTimeUtc ?? context.FireTimeUtc).InZone(zone).Date;
        var today = clock.GetCurrentInstant().InZone(zone).Date;
        if (scheduledDay != today)
        {
            logger.LogWarning("Skipped the agenda of technician {TechnicianId} for {Day}: the service was down until {Today}", technicianId, scheduledDay, today);
            return;
        }

        await mailer.QueueAsync(technician.Value, today, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>Keeps one morning trigger per active technician, at the agenda hour on their working days in their zone.</summary>
[DisallowConcurrentExecution]
public sealed class AgendaPlannerJob(Database database, AgendaTriggers triggers, ILogger<AgendaPlannerJob> logger) : IJob
{
    public static readonly JobKey Key = new("agenda-planner", "joecash");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var technicians = await connection.ListTechniciansAsync().ConfigureAwait(false);
        var changed = await triggers.ReconcileAsync(context.Scheduler, technicians, cancellationToken).ConfigureAwait(false);
        if (changed > 0)
        {
            logger.LogInformation("Agenda triggers updated for {Changed} technician(s)", changed);
        }
    }
}
