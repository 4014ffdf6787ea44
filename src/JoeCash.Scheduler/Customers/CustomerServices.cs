using Microsoft.Extensions.DependencyInjection;

namespace JoeCash.Scheduler.Customers;

/// <summary>Registers the shops' service.</summary>
public static class CustomerServices
{
    public static IServiceCollection AddCustomers(this IServiceCollection services)
    {
        services.AddSingleton<CustomerService>();
        return services;
    }
}
