using Microsoft.Extensions.DependencyInjection;

namespace JoeCash.Scheduler.Outcomes;

/// <summary>Registers the outcomes of appointments and what is read from them.</summary>
public static class OutcomeServices
{
    public static IServiceCollection AddOutcomes(this IServiceCollection services)
    {
        services.AddSingleton<OutcomeService>();
        services.AddSingleton<OutcomeQueries>();
        return services;
    }
}
