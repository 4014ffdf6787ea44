using Microsoft.Extensions.DependencyInjection;

namespace JoeCash.Scheduler.Feeds;

/// <summary>The technicians' personal calendar feeds: tokens and the feed itself.</summary>
public static class FeedServices
{
    /// <summary>Registers the feed services.</summary>
    /// <param name="services">The service collection.</param>
    public static IServiceCollection AddFeeds(this IServiceCollection services)
    {
        services.AddSingleton<FeedTokens>();
        services.AddSingleton<TechnicianFeed>();
        return services;
    }
}
