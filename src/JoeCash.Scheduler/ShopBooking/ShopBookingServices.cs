using JoeCash.Scheduler.Mail;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace JoeCash.Scheduler.ShopBooking;

/// <summary>Shops booking their own appointment: sign-in links, their email, the topics and the booking.</summary>
public static class ShopBookingServices
{
    public static IServiceCollection AddShopBooking(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ShopBookingOptions>().Bind(configuration.GetSection(ShopBookingOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ShopBookingOptions>, ShopBookingOptionsValidator>();
        services.AddSingleton(ShopSignInService.SignInMail);
        services.AddSingleton<ShopSignInTokens>();
        services.AddSingleton<ShopSignInService>();
        services.AddSingleton<ShopBookingService>();
        services.AddSingleton<IMailModelFinisher, ShopSignInFinisher>();
        return services;
    }
}
