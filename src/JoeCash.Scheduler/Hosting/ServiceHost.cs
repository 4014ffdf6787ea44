using JoeCash.Scheduler.Mail;
using JoeCash.Scheduler.Scheduling;
using JoeCash.Scheduler.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace JoeCash.Scheduler.Hosting;

/// <summary>What <c>serve</c> was asked to do.</summary>
public sealed record ServeSettings(bool Demo);

/// <summary>
/// The long-running service: migrations first, then Quartz, the outbox dispatcher and the reply reader, then
/// (unless <c>Web:Enabled</c> is false) the web server with pages and API. One process, one composition root.
/// </summary>
public static class ServiceHost
{
    public static IHost Build(ServeSettings settings, IConfiguration configuration, WebSignInHint? signInHint = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var web = configuration.GetSection(WebOptions.Section).Get<WebOptions>() ?? new WebOptions();
        if (!web.Enabled)
        {
            var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
            builder.Configuration.AddConfiguration(configuration);
            AddService(builder, settings, configuration, signInHint);
            return CollectAfterStart(builder.Build());
        }

        var webBuilder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            WebRootPath = Path.Combine(AppContext.BaseDirectory, "wwwroot"),
            ApplicationName = typeof(ServiceHost).Assembly.GetName().Name,
        });
        // Only the service's configuration (appsettings, JOECASH_CONFIG, JOECASH_ variables): no ASPNETCORE_ surprises.
        webBuilder.Configuration.Sources.Clear();
        webBuilder.Configuration.AddConfiguration(configuration);
        webBuilder.WebHost.UseUrls([.. web.UrlList]);
        webBuilder.WebHost.ConfigureKestrel(o => o.AddServerHeader = false);
        AddService(webBuilder, settings, configuration, signInHint);
        webBuilder.Services.AddWeb(configuration);
        var app = webBuilder.Build();
        app.UseWeb();
        return CollectAfterStart(app);
    }

    /// <summary>
    /// A second after the host has started (after READY=1 and the first web address is logged), one full compacting
    /// collection that gives the start-up's garbage back to the system: what configuration binding, the template
    /// parsing, the migration check and the web face's set-up allocated is dead by then, and the GC would otherwise
    /// keep it for as long as the service idles (its gen0 budget is sized from the CPU's L3 cache, 32 MiB on the test
    /// machine). Once per start, off the request path. Measured: serve-idle, tests/JoeCash.Scheduler.Benchmarks.
    /// </summary>
    private static IHost CollectAfterStart(IHost host)
    {
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        lifetime.ApplicationStarted.Register(() => _ = Task.Run(async () =>
        {
            await Task.Delay(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
            if (!lifetime.ApplicationStopping.IsCancellationRequested)
            {
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            }
        }));
        return host;
    }

    private static void AddService(IHostApplicationBuilder builder, ServeSettings settings, IConfiguration configuration, WebSignInHint? signInHint)
    {
        builder.Logging.ClearProviders();
        builder.Logging.AddConfiguration(configuration.GetSection("Logging"));
        // The key ring lives in a folder only the service's user reads (beside the database); Linux has no DPAPI to
        // encrypt it further, which this logger would otherwise warn about on every first start.
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection.KeyManagement.XmlKeyManager", LogLevel.Error);
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            o.UseUtcTimestamp = true;
        });
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(signInHint ?? new WebSignInHint());
        builder.Services.AddSingleton<ServiceFailure>();
        builder.Services.AddSchedulerCore(configuration);
        builder.Services.LoadTemplatesAhead(configuration);
        builder.Services.AddSingleton(sp => Storage.Claimant.ForService(sp.GetRequiredService<IOptions<Storage.StorageOptions>>().Value.NodeName));
        builder.Services.AddSystemd();
        // Hosted services start in this order and stop in reverse: the schema first, then Quartz
        // (reminders, morning agendas), the dispatcher, the reply reader; the web server starts after all of
        // them. On stop, running jobs finish first.
        builder.Services.AddHostedService<MigrationService>();
        builder.Services.AddScheduling(configuration);
        builder.Services.AddHostedService<OutboxDispatcherService>();
        builder.Services.AddHostedService<ReplyReaderService>();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
    }
}
