using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace JoeCash.Scheduler.Mail;

/// <summary>Templates of every registered <see cref="TemplateSet"/>, the outbox and the transport: SMTP when a host is configured, else the pickup folder.</summary>
public static class MailServices
{
    public static IServiceCollection AddMail(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MailOptions>().Bind(configuration.GetSection(MailOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<MailOptions>, MailOptionsValidator>();
        var templateDirectory = configuration["Mail:TemplateDirectory"] is { Length: > 0 } configured
            ? Path.GetFullPath(configured)
            : Path.Combine(AppContext.BaseDirectory, "config", "templates");
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
}
