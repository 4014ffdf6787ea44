using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;

namespace JoeCash.Scheduler.Web.Api;

/// <summary>
/// What an API request that matched no endpoint is told. Routing leaves out an endpoint whose body type the request
/// does not send (<c>.Accepts(…)</c>): such a request lands here, and is told the Content-Type to send, not that the route does not exist.
/// </summary>
public static class ApiFallback
{
    public static ProblemHttpResult Answer(HttpContext http, EndpointDataSource endpoints)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(endpoints);
        var wanted = endpoints.Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Contains(http.Request.Method, StringComparer.OrdinalIgnoreCase) == true)
            .Where(e => new TemplateMatcher(new RouteTemplate(e.RoutePattern), []).TryMatch(http.Request.Path, []))
            .SelectMany(e => e.Metadata.GetMetadata<IAcceptsMetadata>()?.ContentTypes ?? [])
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToArray();
        // A request that sent one of those types matched no route for another reason (a constraint such as {id:long}).
        var sent = http.Request.ContentType ?? "";
        return wanted.Length > 0 && !wanted.Any(type => sent.StartsWith(type, StringComparison.OrdinalIgnoreCase))
            ? ApiProblems.Problem(StatusCodes.Status415UnsupportedMediaType, "unsupported-media-type", "Unsupported media type",
                $"{http.Request.Method} {http.Request.Path} takes a body of type {string.Join(" or ", wanted)}; send it with that Content-Type "
                + $"(this request's is '{http.Request.ContentType ?? "none"}').")
            : ApiProblems.NotFound("There is no such API route; GET /openapi/v1.json lists them.");
    }
}
