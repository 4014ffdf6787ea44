using JoeCash.Scheduler.Agenda;
using JoeCash.Scheduler.Reminders;
using JoeCash.Scheduler.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace JoeCash.Scheduler.Scheduling;

/// <summary>
/// Quartz.NET in the service host. On SQLite its persistent store is a file of its own beside the
/// application's (data/scheduler-quartz.db): Quartz takes the SQLite writer lock for every store
/// operation, and keeping that off the bookings' file means a booking never waits for a trigger; the
/// schema comes from Quartz itself (ProvisionSchema), so it always matches the library version. On
/// PostgreSQL it runs clustered in the application's database (<see cref="QuartzStore"/>).
/// </summary>
public static class SchedulingServices
{
    public static IServiceCollection AddScheduling(this IServiceCollection services, IConfiguration configuration)
    {
        var reminders = configuration.GetSection(ReminderOptions.Section).Get<ReminderOptions>() ?? new ReminderOptions();
        var agenda = configuration.GetSection(AgendaOptions.Section).Get<AgendaOptions>() ?? new AgendaOptions();
        var quartzFile = QuartzFile(configuration);
        var storage = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        services.AddSingleton<AgendaTriggers>();
        services.AddQuartz(q =>
        {
            q.ConfigureScheduler(o =>
            {
                o.InstanceName = "joecash-scheduler";
                // Clustered, the node's own name: after a restart the node takes back its own triggers at once.
                o.InstanceId = storage.NodeName;
            });
            q.UseDefaultThreadPool(pool => pool.MaxConcurrency = 4);
            q.UsePersistentStore(store =>
            {
                store.UseDatabase(storage, quartzFile);
                store.UseSystemTextJsonSerializer();
                store.ProvisionSchema();
            });

            q.AddJob<ReminderSweepJob>(job => job.WithIdentity(ReminderSweepJob.Key).StoreDurably().RequestRecovery());
            q.AddTrigger(trigger => trigger
                .ForJob(ReminderSweepJob.Key)
                .WithIdentity("reminder-sweep", "joecash")
                .StartNow()
                .WithSimpleSchedule(s => s.WithInterval(reminders.SweepInterval).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)));

            q.AddJob<AgendaPlannerJob>(job => job.WithIdentity(AgendaPlannerJob.Key).StoreDurably().RequestRecovery());
            q.AddTrigger(trigger => trigger
                .ForJob(AgendaPlannerJob.Key)
                .WithIdentity("agenda-planner", "joecash")
                .StartNow()
                .WithSimpleSchedule(s => s.WithInterval(agenda.PlanInterval).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)));

            q.AddJob<MorningAgendaJob>(job => job.WithIdentity(AgendaTriggers.JobKey).StoreDurably().RequestRecovery());
            q.AddJobListener<JobFailureListener>();
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        return services;
    }

    /// <summary>Beside the application's file: data/scheduler.db → data/scheduler-quartz.db (or Scheduling:QuartzPath).</summary>
    public static string QuartzFile(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (configuration["Scheduling:QuartzPath"] is { Length: > 0 } configured)
        {
            return Path.GetFullPath(configured);
        }

        var storage = Path.GetFullPath(configuration[$"{StorageOptions.Section}:Path"] is { Length: > 0 } path ? path : new StorageOptions().Path);
        return Path.Combine(Path.GetDirectoryName(storage)!, Path.GetFileNameWithoutExtension(storage) + "-quartz.db");
    }
}
