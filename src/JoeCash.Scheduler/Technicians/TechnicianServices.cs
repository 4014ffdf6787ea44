using Microsoft.Extensions.DependencyInjection;

namespace JoeCash.Scheduler.Technicians;

/// <summary>Registers the technicians' service.</summary>
public static class TechnicianServices
{
    public static IServiceCollection AddTechnicians(this IServiceCollection services)
    {
        services.AddSingleton<TechnicianService>();
        return services;
    }
}
