using System.ComponentModel;
using JoeCash.Scheduler.Hosting;
using JoeCash.Scheduler.Scheduling;
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
        var hint = new Web.WebSignInHint
        {
            NoAccountYet = "No staff account yet. Create the first admin to sign in to the web pages: " +
                "joecash-scheduler staff add --role admin --email you@example.com --name \"Your Name\" (or start with --demo for demo accounts).",
        };
        using var host = ServiceHost.Build(new ServeSettings(settings.Demo), SchedulerServices.BuildConfiguration(), hint);
        // Settings first, as every verb does: a bad one is then the command line's one-line error, before the host's
        // start would log it again with its stack trace (the host validates the same values again, from its cache).
        host.Services.GetRequiredService<Microsoft.Extensions.Options.IStartupValidator>().Validate();
        // Taken before the run: RunAsync disposes the host's services when it returns.
        var failure = host.Services.GetRequiredService<ServiceFailure>();
        var loops = host.Services.GetServices<IHostedService>().OfType<BackgroundService>().ToList();
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        try
        {
            await host.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested || cancellationToken.IsCancellationRequested)
        {
            // SIGTERM while still starting (the web server binding, say): a stop asked for, not a failure.
        }

        // A stop asked for (SIGTERM, Ctrl+C) is success; a stop because a part of the service failed is not,
        // so that systemd's Restart=on-failure restarts it.
        return failure.HasFailed || loops.Any(loop => loop.ExecuteTask is { IsFaulted: true }) ? ExitCodes.Failure : ExitCodes.Ok;
    }
}
