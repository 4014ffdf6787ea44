using JoeCash.Scheduler.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace JoeCash.Scheduler.Storage;

/// <summary>The database file, its connections and its migrations.</summary>
public static class StorageServices
{
    public static IServiceCollection AddStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.Section))
            .Validate(o => !string.IsNullOrWhiteSpace(o.Path), "Storage:Path must name the SQLite file.").ValidateOnStart();
        services.AddSingleton<Database>();
        services.AddSingleton<Migrator>();
        services.AddSingleton<Leases>();
        services.AddSingleton(Claimant.ForProcess());
        return services;
    }
}
