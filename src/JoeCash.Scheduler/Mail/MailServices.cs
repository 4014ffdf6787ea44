using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace JoeCash.Scheduler.Mail;

/// <summary>Templates of every registered <see cref="TemplateSet"/>, the outbox and the transport: SMTP when a host is configured, else the pickup folder.</summary>
public static class MailServices
{
    public static IServiceCollection AddMail(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MailOptions>().Bind(configuration.GetSection(MailOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<MailOptions>, MailOptionsValidator>();
        var templateDirectory = TemplateDirectory(configuration);
        services.AddSingleton(provider => TemplateCatalog.Load(templateDirectory, provider.GetServices<TemplateSet>()));
        services.AddSingleton<MailComposer>();
        services.AddSingleton<MailRenderer>();
        services.AddSingleton<OutboxDispatcher>();
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<Outbox>();
        services.AddSingleton<IMailTransport>(provider => provider.GetRequiredService<IOptions<MailOptions>>().Value.UsesSmtp
            ? new SmtpTransport(provider.GetRequiredService<IOptions<MailOptions>>())
            : new PickupDirectoryTransport(provider.GetRequiredService<IOptions<MailOptions>>()));
        return services;
    }

    /// <summary>
    /// For the service's start, once every feature has registered its sets: parses the templates and renders each with
    /// its sample on another thread, while the caller goes on building the host and the web face (on two cores that is
    /// ~0.2–0.3 s of a start off the critical path). The catalog is still resolved, and a broken template still stops
    /// the start, before any hosted service runs: resolving it waits for the load and rethrows its error.
    /// </summary>
    public static IServiceCollection LoadTemplatesAhead(this IServiceCollection services, IConfiguration configuration)
    {
        var registered = services.Where(d => d.ServiceType == typeof(TemplateSet)).ToList();
        var sets = registered.Select(d => d.ImplementationInstance).OfType<TemplateSet>().ToList();
        if (sets.Count != registered.Count)
        {
            throw new InvalidOperationException("Every TemplateSet must be registered as an instance to be loaded ahead.");
        }

        var directory = TemplateDirectory(configuration);
        var loading = Task.Run(() => TemplateCatalog.Load(directory, sets));
        return services.Replace(ServiceDescriptor.Singleton(_ => loading.GetAwaiter().GetResult()));
    }

    private static string TemplateDirectory(IConfiguration configuration) =>
        configuration["Mail:TemplateDirectory"] is { Length: > 0 } configured
            ? Path.GetFullPath(configured)
            : Path.Combine(AppContext.BaseDirectory, "config", "templates");
}
