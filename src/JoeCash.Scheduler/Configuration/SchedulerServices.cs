using JoeCash.Scheduler.Booking;
using JoeCash.Scheduler.Domain.Availability;
using JoeCash.Scheduler.Holidays;
using JoeCash.Scheduler.Invitations;
using JoeCash.Scheduler.Mail;
using JoeCash.Scheduler.Reminders;
using JoeCash.Scheduler.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NodaTime;

namespace JoeCash.Scheduler.Configuration;

/// <summary>Where the configuration comes from, and the services every verb and the service share.</summary>
public static class SchedulerServices
{
    /// <summary>
    /// <c>config/appsettings.json</c> beside the binary, then the file named by <c>JOECASH_CONFIG</c> (if set),
    /// then environment variables with the prefix <c>JOECASH_</c> (<c>JOECASH_Storage__Path=/var/lib/joecash/scheduler.db</c>).
    /// </summary>
    public static IConfigurationRoot BuildConfiguration(IDictionary<string, string?>? overrides = null)
    {
        var builder = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "config", "appsettings.json"), optional: false, reloadOnChange: false);
        var extra = Environment.GetEnvironmentVariable("JOECASH_CONFIG");
        if (!string.IsNullOrWhiteSpace(extra))
        {
            builder.AddJsonFile(Path.GetFullPath(extra), optional: false, reloadOnChange: false);
        }

        builder.AddEnvironmentVariables("JOECASH_");
        if (overrides is not null)
        {
            builder.AddInMemoryCollection(overrides);
        }

        return builder.Build();
    }

    public static IServiceCollection AddSchedulerCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IClock>(SystemClock.Instance);
        services.AddOptions<SchedulerOptions>().Bind(configuration.GetSection(SchedulerOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SchedulerOptions>, SchedulerOptionsValidator>();
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.Section))
            .Validate(o => !string.IsNullOrWhiteSpace(o.Path), "Storage:Path must name the SQLite file.").ValidateOnStart();
        services.AddSingleton(AppointmentTypeCatalog.FromConfiguration(configuration));
        services.AddSingleton<IHolidayCalendar, GermanHolidayCalendar>();
        services.AddSingleton<Database>();
        services.AddSingleton<Migrator>();
        services.AddSingleton<Availability>();
        services.AddSingleton<Customers.CustomerDirectory>();
        services.AddSingleton<BookingService>();
        services.AddSingleton<TimeOffService>();
        services.AddSingleton<Agenda.AgendaBuilder>();
        services.AddSingleton<Demo.DemoData>();
        services.AddMail(configuration);
        services.AddReminders(configuration);
        return services;
    }

    /// <summary>Reminder planning (inside booking transactions) and the sweep that turns due reminders into emails.</summary>
    public static IServiceCollection AddReminders(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ReminderOptions>().Bind(configuration.GetSection(ReminderOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ReminderOptions>, ReminderOptionsValidator>();
        services.AddSingleton<ReminderPlanner>();
        services.AddSingleton<ReminderComposer>();
        services.AddSingleton<ReminderSweep>();
        services.AddOptions<Agenda.AgendaOptions>().Bind(configuration.GetSection(Agenda.AgendaOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<Agenda.AgendaOptions>, Agenda.AgendaOptionsValidator>();
        services.AddSingleton<Agenda.AgendaMailer>();
        return services;
    }

    /// <summary>Templates, invitations, the outbox and the transport: SMTP when a host is configured, else the pickup folder.</summary>
    public static IServiceCollection AddMail(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MailOptions>().Bind(configuration.GetSection(MailOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<MailOptions>, MailOptionsValidator>();
        var templateDirectory = configuration["Mail:TemplateDirectory"] is { Length: > 0 } configured
            ? Path.GetFullPath(configured)
            : Path.Combine(AppContext.BaseDirectory, "config", "templates");
        services.AddSingleton(_ => TemplateCatalog.Load(templateDirectory));
        services.AddSingleton<InvitationComposer>();
        services.AddSingleton<MailRenderer>();
        services.AddSingleton<InvitationOutbox>();
        services.AddSingleton<OutboxDispatcher>();
        services.AddSingleton<IMailTransport>(provider => provider.GetRequiredService<IOptions<MailOptions>>().Value.UsesSmtp
            ? new SmtpTransport(provider.GetRequiredService<IOptions<MailOptions>>())
            : new PickupDirectoryTransport(provider.GetRequiredService<IOptions<MailOptions>>()));
        return services;
    }
}
