using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace JoeCash.Scheduler.Scheduling;

/// <summary>
/// The one way a background part of <c>serve</c> says "I cannot go on": the first report is logged as
/// critical with what failed, the host stops, and <c>serve</c> exits with code 1, so systemd's
/// <c>Restart=on-failure</c> restarts it and a crash loop shows in its start limit instead of a quiet halt.
/// </summary>
public sealed class ServiceFailure(IHostApplicationLifetime lifetime, ILogger<ServiceFailure> logger)
{
    private Exception? _first;

    /// <summary>What failed first, if anything did.</summary>
    public string? Component { get; private set; }

    public bool HasFailed => _first is not null;

    public void Report(string component, Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (Interlocked.CompareExchange(ref _first, error, null) is null)
        {
            Component = component;
            logger.LogCritical(error, "{Component} failed, stopping the service (exit code 1): {Error}", component, error.Message);
        }

        lifetime.StopApplication();
    }
}
