using System.Net;
using System.Text.Json;
using JoeCash.Scheduler.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace JoeCash.Scheduler.Web.Operations;

/// <summary>
/// For operators: <c>/health/live</c> and <c>/health/ready</c> (anonymous, JSON per check), and the metrics on
/// <c>/metrics</c> in Prometheus format: the service's Meter and ASP.NET Core's HTTP metrics, for a scraper on this
/// host (loopback, when Web:MetricsFromLoopback) or a dispatcher or admin.
/// </summary>
public static class WebOperations
{
    public const string MetricsPolicy = "metrics";
    private const string Ready = "ready";

    /// <summary>The meter .NET publishes its runtime metrics on (since .NET 9).</summary>
    public const string RuntimeMeter = "System.Runtime";

    public static IServiceCollection AddOperations(this IServiceCollection services, WebOptions web)
    {
        ArgumentNullException.ThrowIfNull(web);
        services.AddSingleton<OutboxReading>();
        services.AddHealthChecks()
            .AddCheck<DatabaseCheck>("database", tags: [Ready])
            .AddCheck<OutboxBacklogCheck>("outbox-backlog", tags: [Ready])
            .AddCheck<SmtpCheck>("smtp", tags: [Ready]);
        services.AddOpenTelemetry().ConfigureResource(resource => resource.AddService("joecash-scheduler")).WithMetrics(metrics => metrics
            .AddMeter(SchedulerMetrics.MeterName)
            // The runtime's own meter (GC, thread pool, CPU, exceptions): a thread pool starved by blocking database calls
            // shows as dotnet_thread_pool_queue_length(_total) before it shows as slow requests.
            .AddMeter(RuntimeMeter)
            .AddAspNetCoreInstrumentation()
            .AddPrometheusExporter());
        services.AddAuthorizationBuilder().AddPolicy(MetricsPolicy, policy => policy
            .AddAuthenticationSchemes(StaffAuthentication.Scheme)
            .RequireAssertion(context =>
                (web.MetricsFromLoopback && context.Resource is HttpContext http && http.Connection.RemoteIpAddress is { } address && IPAddress.IsLoopback(address))
                || StaffClaims.Dispatches(context.User)));
        return services;
    }

    public static IEndpointRouteBuilder MapOperations(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        SchedulerMetrics.ObserveBacklog(app.ServiceProvider.GetRequiredService<OutboxReading>().Backlog);
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(Ready), ResponseWriter = WriteAsync }).AllowAnonymous();
        app.MapPrometheusScrapingEndpoint("/metrics").RequireAuthorization(MetricsPolicy);
        return app;
    }

    /// <summary><c>{"status":"healthy","checks":{"database":{"status":"healthy","description":"…","data":{…}}}}</c>.</summary>
    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new
        {
            status = Word(report.Status),
            checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = Word(e.Value.Status),
                description = e.Value.Description,
                data = e.Value.Data.Count == 0 ? null : e.Value.Data,
            }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, JsonSerializerOptions.Web), context.RequestAborted);
    }

    private static string Word(HealthStatus status) => status.ToString().ToLowerInvariant();
}
