using JoeCash.Scheduler.Agenda;
using JoeCash.Scheduler.Domain;
using Microsoft.Extensions.Options;
using NodaTime;
using Quartz;

namespace JoeCash.Scheduler.Scheduling;

/// <summary>
/// One cron trigger per active technician: the agenda hour, on their working days, in their own zone.
/// A trigger is only replaced when its schedule changes, so Quartz keeps its misfire bookkeeping
/// across restarts (a morning missed while the service was down still fires once on start).
/// </summary>
public sealed class AgendaTriggers(IOptions<AgendaOptions> options)
{
    public static readonly JobKey JobKey = new("morning-agenda", "joecash");
    private const string Group = "agenda";

    /// <summary>Brings the triggers in line with the technicians; returns how many changed.</summary>
    public async Task<int> ReconcileAsync(IScheduler scheduler, IReadOnlyList<Technician> technicians, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        ArgumentNullException.ThrowIfNull(technicians);
        var changed = 0;
        var wanted = new HashSet<TriggerKey>();
        foreach (var technician in technicians.Where(t => t.Active))
        {
            var cron = CronFor(technician.Hours);
            if (cron is null)
            {
                continue;
            }

            var key = new TriggerKey($"agenda-{technician.Id}", Group);
            wanted.Add(key);
            var existing = await scheduler.GetTrigger(key, cancellationToken).ConfigureAwait(false) as ICronTrigger;
            if (existing is not null && existing.CronExpressionString == cron && existing.TimeZone.Id == technician.Zone.Id)
            {
                continue;
            }

            var trigger = TriggerBuilder.Create()
                .WithIdentity(key)
                .ForJob(JobKey)
                .UsingJobData(MorningAgendaJob.TechnicianIdKey, technician.Id)
                .WithCronSchedule(cron, c => c.InTimeZone(TimeZoneInfo.FindSystemTimeZoneById(technician.Zone.Id)).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed))
                .Build();
            await scheduler.ScheduleTrigger(trigger, TriggerConflict.Replace, cancellationToken).ConfigureAwait(false);

            changed++;
        }

        foreach (var stale in await scheduler.GetTriggerKeys(GroupMatcher<TriggerKey>.GroupEquals(Group), cancellationToken).ConfigureAwait(false))
        {
            if (!wanted.Contains(stale))
            {
                await scheduler.UnscheduleJob(stale, cancellationToken).ConfigureAwait(false);
                changed++;
            }
        }

        return changed;
    }

    /// <summary>"0 0 7 ? * MON,TUE,WED,THU,FRI": the agenda time on the days the technician works; null if none.</summary>
    public string? CronFor(WeeklyHours hours)
    {
        ArgumentNullException.ThrowIfNull(hours);
        var days = Enumerable.Range(1, 7).Select(d => (IsoDayOfWeek)d).Where(hours.IsWorkingDay).Select(d => d.ToString()[..3].ToUpperInvariant()).ToArray();
        return days.Length == 0 ? null : $"0 {options.Value.Minute} {options.Value.Hour} ? * {string.Join(',', days)}";
    }
}
