using Microsoft.Extensions.DependencyInjection;

namespace JoeCash.Scheduler.SelfService;

/// <summary>The shops' own appointment pages.</summary>
public static class SelfServiceServices
{
    public static IServiceCollection AddSelfService(this IServiceCollection services) => services.AddSingleton<ShopSelfService>();
}
