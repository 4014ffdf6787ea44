using Microsoft.Extensions.DependencyInjection;

namespace JoeCash.Scheduler.Invoicing;

/// <summary>Registers the billing export.</summary>
public static class InvoicingServices
{
    public static IServiceCollection AddInvoicing(this IServiceCollection services)
    {
        services.AddSingleton<BillingExport>();
        return services;
    }
}
