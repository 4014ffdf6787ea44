using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace JoeCash.Scheduler.Configuration;

/// <summary>The "Scheduler" section and the appointment types.</summary>
public static class ConfigurationServices
{
    public static IServiceCollection AddSchedulerConfiguration(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SchedulerOptions>().Bind(configuration.GetSection(SchedulerOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SchedulerOptions>, SchedulerOptionsValidator>();
        services.AddSingleton(AppointmentTypeCatalog.FromConfiguration(configuration));
        return services;
    }
}
