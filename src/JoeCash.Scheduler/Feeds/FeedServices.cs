using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace JoeCash.Scheduler.Feeds;

/// <summary>The technicians' personal calendar feeds: tokens, the feed itself, and the public base URL.</summary>
public static class FeedServices
{
    /// <summary>Registers the feed services; <c>Web:PublicBaseUrl</c> is read from <paramref name="configuration"/>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The program's configuration.</param>
    public static IServiceCollection AddFeeds(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<FeedOptions>()
            .Configure(o => o.PublicBaseUrl = configuration[FeedOptions.PublicBaseUrlKey] is { Length: > 0 } url ? url
                // Unset: where the web server listens (the first of Web:Urls), as the web face itself assumes.
                : configuration["Web:Urls"]?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() is { } first ? first
                : o.PublicBaseUrl)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<FeedOptions>, FeedOptionsValidator>();
        services.AddSingleton<FeedTokens>();
        services.AddSingleton<TechnicianFeed>();
        return services;
    }
}
