using System.ComponentModel;
using JoeCash.Scheduler.Configuration;
using JoeCash.Scheduler.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Spectre.Console.Cli;

namespace JoeCash.Scheduler.Cli;

/// <summary>Settings of <c>serve</c>.</summary>
public sealed class ServeCommandSettings : CommonSettings
{
    [CommandOption("--demo")]
    [Description("Create the demo technicians, shops and appointments first (safe to repeat).")]
    public bool Demo { get; init; }
}

/// <summary><c>serve</c>: runs until stopped (Ctrl+C or SIGTERM), delivering mail.</summary>
public sealed class ServeCommand : SchedulerCommand<ServeCommandSettings>
{
    protected override async Task<int> RunAsync(ServeCommandSettings settings, CancellationToken cancellationToken)
    {
        using var host = ServiceHost.Build(new ServeSettings(settings.Demo), SchedulerServices.BuildConfiguration());
        await host.RunAsync(cancellationToken).ConfigureAwait(false);
        // A stop asked for (SIGTERM, Ctrl+C) is success; a stop because a part of the service failed is not,
        // so that systemd's Restart=on-failure restarts it.
        var faulted = host.Services.GetServices<IHostedService>().OfType<BackgroundService>().Any(s => s.ExecuteTask is { IsFaulted: true });
        return host.Services.GetRequiredService<ServiceFailure>().HasFailed || faulted ? ExitCodes.Failure : ExitCodes.Ok;
    }
}
