using JoeCash.Scheduler.Mail;
using JoeCash.Scheduler.Telemetry;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using NodaTime;

namespace JoeCash.Scheduler.Web.Operations;

/// <summary>
/// One reading of the outbox (waiting messages, the oldest, the last send the mail server accepted) shared by the
/// readiness checks and the backlog gauges, at most one query a second.
/// </summary>
public sealed class OutboxReading(Outbox outbox, IClock clock) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (Instant At, OutboxHealth Health)? _last;

    public async Task<OutboxHealth> ReadAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = clock.GetCurrentInstant();
            if (_last is { } last && now - last.At < Duration.FromSeconds(1))
            {
                return last.Health;
            }

            var health = await outbox.HealthAsync(cancellationToken).ConfigureAwait(false);
            _last = (now, health);
            return health;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    /// <summary>For the gauges (their callbacks are synchronous); 0s when the database cannot be read.</summary>
    public OutboxBacklog Backlog()
    {
        try
        {
            var health = ReadAsync().GetAwaiter().GetResult();
            var age = health.OldestWaiting is { } oldest ? (clock.GetCurrentInstant() - oldest).TotalSeconds : 0;
            return new OutboxBacklog(health.Waiting, Math.Max(0, age));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new OutboxBacklog(0, 0);
        }
    }
}

/// <summary>The database answers (the outbox can be read).</summary>
public sealed class DatabaseCheck(OutboxReading reading) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await reading.ReadAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy("The database answers.");
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            return HealthCheckResult.Unhealthy($"The database cannot be read: {e.GetType().Name}.");
        }
    }
}

/// <summary>The oldest message waiting in the outbox is younger than Web:ReadyOutboxMaxAge.</summary>
public sealed class OutboxBacklogCheck(OutboxReading reading, IOptions<WebOptions> options, IClock clock) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        OutboxHealth health;
        try
        {
            health = await reading.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            return HealthCheckResult.Unhealthy($"The outbox cannot be read: {e.GetType().Name}.");
        }

        var limit = Duration.FromTimeSpan(options.Value.ReadyOutboxMaxAge);
        var age = health.OldestWaiting is { } oldest ? clock.GetCurrentInstant() - oldest : Duration.Zero;
        var data = new Dictionary<string, object> { ["waiting"] = health.Waiting, ["oldestAgeSeconds"] = Math.Round(age.TotalSeconds) };
        return age <= limit
            ? HealthCheckResult.Healthy($"{health.Waiting} message(s) waiting.", data)
            : HealthCheckResult.Unhealthy($"The oldest of {health.Waiting} waiting message(s) has waited {Math.Round(age.TotalMinutes)} min (more than {limit.TotalMinutes} min).", data: data);
    }
}

/// <summary>
/// With SMTP configured: the last message the server accepted is younger than Web:ReadySmtpMaxSilence. Older is
/// unhealthy while messages wait for more than a minute (mail does not get out), only degraded when nothing waits (a quiet night).
/// </summary>
public sealed class SmtpCheck(OutboxReading reading, IOptions<MailOptions> mail, IOptions<WebOptions> options, IClock clock) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!mail.Value.UsesSmtp)
        {
            return HealthCheckResult.Healthy("No SMTP server configured (mail goes to the pickup folder).");
        }

        OutboxHealth health;
        try
        {
            health = await reading.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            return HealthCheckResult.Unhealthy($"The outbox cannot be read: {e.GetType().Name}.");
        }

        var limit = Duration.FromTimeSpan(options.Value.ReadySmtpMaxSilence);
        var silence = health.LastSent is { } sent ? clock.GetCurrentInstant() - sent : (Duration?)null;
        var data = new Dictionary<string, object> { ["lastSent"] = health.LastSent?.ToString() ?? "never", ["waiting"] = health.Waiting };
        if (silence is { } s && s <= limit)
        {
            return HealthCheckResult.Healthy("The mail server accepted a message recently.", data);
        }

        var what = silence is { } quiet ? $"The last message the mail server accepted was {Math.Round(quiet.TotalMinutes)} min ago" : "The mail server has accepted no message yet";
        // A message queued a moment ago on a fresh or quiet service is no outage yet.
        var stuck = health.OldestWaiting is { } oldest && clock.GetCurrentInstant() - oldest > Duration.FromMinutes(1);
        return stuck
            ? HealthCheckResult.Unhealthy($"{what}, and {health.Waiting} message(s) wait.", data: data)
            : HealthCheckResult.Degraded($"{what}; nothing waits.", data: data);
    }
}
