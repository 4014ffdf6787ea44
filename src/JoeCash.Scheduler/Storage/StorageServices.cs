using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace JoeCash.Scheduler.Storage;

/// <summary>The database (an SQLite file or a PostgreSQL server), its connections and its migrations.</summary>
public static class StorageServices
{
    public static IServiceCollection AddStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.Section))
            .Validate(o => o.Provider != StorageProvider.Sqlite || !string.IsNullOrWhiteSpace(o.Path), "Storage:Path must name the SQLite file.")
            .Validate(
                o => o.Provider != StorageProvider.PostgreSQL || !string.IsNullOrWhiteSpace(o.ConnectionString),
                "Storage:Provider is PostgreSQL: set Storage:ConnectionString (from the environment: JOECASH_Storage__ConnectionString).")
            .ValidateOnStart();
        services.AddSingleton<Database>();
        services.AddSingleton<Migrator>();
        services.AddSingleton<Leases>();
        services.AddSingleton<SharedKeys>();
        services.AddSingleton<DatabaseCopy>();
        services.AddSingleton<DatabaseKeyRing>();
        services.AddSingleton(Claimant.ForProcess());
        return services;
    }
}
