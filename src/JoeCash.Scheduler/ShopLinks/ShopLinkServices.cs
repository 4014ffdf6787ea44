using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace JoeCash.Scheduler.ShopLinks;

/// <summary>The shops' personal links: their key, issuing and finding them.</summary>
public static class ShopLinkServices
{
    public static IServiceCollection AddShopLinks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ShopLinkOptions>().Bind(configuration.GetSection(ShopLinkOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ShopLinkOptions>, ShopLinkOptionsValidator>();
        services.AddSingleton<ShopLinkKey>();
        services.AddSingleton<ShopLinkService>();
        return services;
    }
}
