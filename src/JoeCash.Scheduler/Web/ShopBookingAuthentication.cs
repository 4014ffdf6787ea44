using JoeCash.Scheduler.ShopBooking;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace JoeCash.Scheduler.Web;

/// <summary>
/// The shops' session on the booking page: a cookie of its own (never the staff cookie), sent only to
/// <c>/buchen</c>, HttpOnly, SameSite=Lax, Secure over HTTPS, and short-lived (<c>ShopBooking:SessionLifetime</c>, not
/// sliding). Only the sign-in link's confirm button sets it.
/// </summary>
public static class ShopBookingAuthentication
{
    public const string Scheme = "shop";

    public static IServiceCollection AddShopBookingAuthentication(this IServiceCollection services, ShopBookingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddAuthentication().AddCookie(Scheme, o =>
        {
            o.Cookie.Name = "joecash.shop";
            o.Cookie.Path = ShopBookingOptions.PagePath;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = options.SessionLifetime;
            o.SlidingExpiration = false;
            o.LoginPath = ShopBookingOptions.PagePath;
            o.Events.OnRedirectToLogin = context =>
            {
                context.Response.Redirect(ShopBookingOptions.PagePath);
                return Task.CompletedTask;
            };
        });
        return services;
    }
}
