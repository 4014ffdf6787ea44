using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace JoeCash.Scheduler.Web.Api;

/// <summary>The OpenAPI document's title, how to authenticate (an API key as Bearer), and the problem type's meaning.</summary>
public sealed class ApiDocument : IOpenApiDocumentTransformer
{
    public const string Scheme = "Bearer";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        document.Info = new OpenApiInfo
        {
            Title = "JoeCash.Scheduler API",
            Version = "v1",
            Description = "Remote-maintenance appointments between support technicians and shops. Authenticate with an API key " +
                "('staff api-key add') as Authorization: Bearer jck_…, or a signed-in session (then send X-CSRF-TOKEN on changes). " +
                "Every error is application/problem+json with a stable 'code' (type urn:joecash:problem:<code>).",
        };
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[Scheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "jck_…",
            Description = "An API key of a staff account: it acts as that account (its role, its technician).",
        };
        document.Security ??= [];
        document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Scheme, document)] = [] });
        return Task.CompletedTask;
    }
}
