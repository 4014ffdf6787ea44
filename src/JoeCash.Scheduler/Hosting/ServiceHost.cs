using JoeCash.Scheduler.Scheduling;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace JoeCash.Scheduler.Hosting;

/// <summary>What <c>serve</c> was asked to do.</summary>
public sealed record ServeSettings(bool Demo);

/// <summary>The long-running service: Generic Host with migrations first, then Quartz and the outbox dispatcher.</summary>
public static class ServiceHost
{
    public static IHost Build(ServeSettings settings, IConfiguration configuration)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddConfiguration(configuration);
        builder.Logging.AddConfiguration(configuration.GetSection("Logging"));
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            o.UseUtcTimestamp = true;
        });
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton<ServiceFailure>();
        builder.Services.AddSchedulerCore(configuration);
        builder.Services.AddSingleton(Storage.Claimant.ForService());
        builder.Services.AddSystemd();
        // Hosted services start in this order and stop in reverse: the schema first, then Quartz
        // (reminders, morning agendas), the dispatcher, the reply reader last; on stop, running jobs finish first.
        builder.Services.AddHostedService<MigrationService>();
        builder.Services.AddScheduling(configuration);
        builder.Services.AddHostedService<OutboxDispatcherService>();
        builder.Services.AddHostedService<ReplyReaderService>();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        return builder.Build();
    }
}
