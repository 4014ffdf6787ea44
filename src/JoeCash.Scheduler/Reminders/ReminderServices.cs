using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace JoeCash.Scheduler.Reminders;

/// <summary>Reminder planning (inside booking transactions) and the sweep that turns due reminders into emails.</summary>
public static class ReminderServices
{
    public static IServiceCollection AddReminders(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ReminderOptions>().Bind(configuration.GetSection(ReminderOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ReminderOptions>, ReminderOptionsValidator>();
        services.AddSingleton(ReminderComposer.Reminder);
        services.AddSingleton<ReminderPlanner>();
        services.AddSingleton<ReminderComposer>();
        return services;
    }
}
