using JoeCash.Scheduler.Agenda;
using JoeCash.Scheduler.Booking;
using JoeCash.Scheduler.Configuration;
using JoeCash.Scheduler.Customers;
using JoeCash.Scheduler.Feeds;
using JoeCash.Scheduler.Idempotency;
using JoeCash.Scheduler.Invitations;
using JoeCash.Scheduler.Invoicing;
using JoeCash.Scheduler.Mail;
using JoeCash.Scheduler.Outcomes;
using JoeCash.Scheduler.Reminders;
using JoeCash.Scheduler.Replies;
using JoeCash.Scheduler.SelfService;
using JoeCash.Scheduler.ShopBooking;
using JoeCash.Scheduler.ShopLinks;
using JoeCash.Scheduler.Staff;
using JoeCash.Scheduler.Storage;
using JoeCash.Scheduler.Technicians;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace JoeCash.Scheduler.Hosting;

/// <summary>
/// The composition root: where the configuration comes from, how it is checked, and the services every
/// verb and the service share. Each feature registers itself; this only says which features there are.
/// </summary>
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
            var file = Path.GetFullPath(extra);
            if (!File.Exists(file))
            {
                throw new ConfigurationException([$"JOECASH_CONFIG names {file}, which does not exist (or is not a file)."]);
            }

            builder.AddJsonFile(file, optional: false, reloadOnChange: false);
        }

        builder.AddEnvironmentVariables("JOECASH_");
        if (overrides is not null)
        {
            builder.AddInMemoryCollection(overrides);
        }

        return builder.Build();
    }

    /// <summary>The sections bound to options classes, and their types: what <see cref="CheckShape"/> walks.</summary>
    private static readonly (string Section, Type Type)[] BoundSections =
    [
        (SchedulerOptions.Section, typeof(SchedulerOptions)),
        (StorageOptions.Section, typeof(StorageOptions)),
        (MailOptions.Section, typeof(MailOptions)),
        (ReminderOptions.Section, typeof(ReminderOptions)),
        (AgendaOptions.Section, typeof(AgendaOptions)),
        (StaffOptions.Section, typeof(StaffOptions)),
        (Web.WebOptions.Section, typeof(Web.WebOptions)),
        (ShopLinkOptions.Section, typeof(ShopLinkOptions)),
        (ShopBookingOptions.Section, typeof(ShopBookingOptions)),
    ];

    /// <summary>
    /// Before anything is bound: every value under an options section must be convertible to its setting
    /// and every key must exist (<see cref="ConfigurationShape"/>). Throws a <see cref="ConfigurationException"/> naming each key at fault.
    /// </summary>
    public static void CheckShape(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var problems = BoundSections.SelectMany(b => ConfigurationShape.Problems(configuration.GetSection(b.Section), b.Type)).ToList();
        if (problems.Count > 0)
        {
            throw new ConfigurationException(problems);
        }
    }

    /// <summary>Everything but the faces and the service's own loops: what a verb, a test host or a benchmark needs.</summary>
    public static IServiceCollection AddSchedulerCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IClock>(SystemClock.Instance);
        services.AddSchedulerConfiguration(configuration);
        services.AddStorage(configuration);
        services.AddMail(configuration);
        services.AddCustomers();
        services.AddTechnicians();
        services.AddBooking();
        services.AddOutcomes();
        services.AddInvoicing();
        services.AddInvitations();
        services.AddReplies();
        services.AddReminders(configuration);
        services.AddAgenda(configuration);
        services.AddStaff(configuration);
        services.AddIdempotency();
        services.AddSingleton<Demo.DemoStaff>();
        services.AddFeeds();
        services.AddShopLinks(configuration);
        services.AddSelfService();
        services.AddShopBooking(configuration);
        services.AddSingleton<Scheduling.ReminderSweep>();
        services.AddSingleton<Demo.DemoData>();
        return services;
    }
}
