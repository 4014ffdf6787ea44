using JoeCash.Scheduler.Storage;
using Microsoft.Extensions.Logging;
using Quartz;

namespace JoeCash.Scheduler.Scheduling;

/// <summary>
/// Quartz logs a failed job and fires it again on the next tick, so a sweep that fails every time would
/// stop reminders with nothing but a log line. A busy database is worth the next tick; anything else
/// stops the service with exit code 1 (<see cref="ServiceFailure"/>) — except a job cut short by the
/// service's own stop.
/// </summary>
public sealed class JobFailureListener(ServiceFailure failure, ILogger<JobFailureListener> logger) : IJobListener
{
    public string Name => "joecash-job-failures";

    public ValueTask JobToBeExecuted(IJobExecutionContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public ValueTask JobExecutionVetoed(IJobExecutionContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public ValueTask JobWasExecuted(IJobExecutionContext context, JobExecutionException? jobException, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var error = jobException?.InnerException ?? jobException;
        switch (error)
        {
            case null:
            case OperationCanceledException when cancellationToken.IsCancellationRequested || context.CancellationToken.IsCancellationRequested:
                break;
            case SchedulerException when context.Scheduler.Status is SchedulerStatus.ShuttingDown or SchedulerStatus.Shutdown or SchedulerStatus.Standby:
                // A job that asked the scheduler for something while the service was stopping: part of a clean stop.
                logger.LogInformation("Job {Job} ended with the scheduler's shutdown: {Error}", context.JobDetail.Key, error.Message);
                break;
            case not null when Database.IsBusy(error):
                logger.LogWarning("Job {Job} skipped a run, database busy: {Error}", context.JobDetail.Key, error.Message);
                break;
            default:
                failure.Report($"Job {context.JobDetail.Key}", error);
                break;
        }

        return ValueTask.CompletedTask;
    }
}
