using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace JoeCash.Scheduler.Configuration;

/// <summary>The "Scheduler" section, the appointment types and the public address.</summary>
public static class ConfigurationServices
{
    public static IServiceCollection AddSchedulerConfiguration(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SchedulerOptions>().Bind(configuration.GetSection(SchedulerOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SchedulerOptions>, SchedulerOptionsValidator>();
        services.AddSingleton(AppointmentTypeCatalog.FromConfiguration(configuration));
        services.AddOptions<PublicAddressOptions>()
            .Configure(o => o.PublicBaseUrl = configuration[PublicAddressOptions.Key] is { Length: > 0 } url ? url
                // Unset: where the web server listens (the first of Web:Urls), as the web face itself assumes.
                : configuration["Web:Urls"]?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() is { } first ? first
                : o.PublicBaseUrl)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<PublicAddressOptions>, PublicAddressOptionsValidator>();
        return services;
    }
}
