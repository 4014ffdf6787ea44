using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.AspNetCore.Routing.Template;

namespace JoeCash.Scheduler.Web.Api;

/// <summary>
/// What an API request that matched no endpoint is told. Routing leaves out an endpoint whose body type the request
/// does not send (<c>.Accepts(…)</c>): such a request lands here, and is told the Content-Type to send, not that the route does not exist.
/// A request whose path fits a route but not its constraint (<c>/appointments/abc</c> for <c>{id:long}</c>) is told which
/// value is wrong.
/// </summary>
public static class ApiFallback
{
    /// <summary>How much of a rejected path value the answer repeats.</summary>
    private const int ShownValue = 40;

    public static ProblemHttpResult Answer(HttpContext http, EndpointDataSource endpoints)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(endpoints);
        // The routes of this method whose template fits the path, constraints aside, with the values the path gives them.
        var fitting = endpoints.Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Contains(http.Request.Method, StringComparer.OrdinalIgnoreCase) == true)
            .Select(e => (Endpoint: e, Values: new RouteValueDictionary()))
            .Where(x => new TemplateMatcher(new RouteTemplate(x.Endpoint.RoutePattern), []).TryMatch(http.Request.Path, x.Values))
            .ToList();
        var wanted = fitting
            .SelectMany(x => x.Endpoint.Metadata.GetMetadata<IAcceptsMetadata>()?.ContentTypes ?? [])
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToArray();
        var sent = http.Request.ContentType ?? "";
        if (wanted.Length > 0 && !wanted.Any(type => sent.StartsWith(type, StringComparison.OrdinalIgnoreCase)))
        {
            return ApiProblems.Problem(StatusCodes.Status415UnsupportedMediaType, "unsupported-media-type", "Unsupported media type",
                $"{http.Request.Method} {http.Request.Path} takes a body of type {string.Join(" or ", wanted)}; send it with that Content-Type "
                + $"(this request's is '{http.Request.ContentType ?? "none"}').");
        }

        // The body type is right (or there is none), so a constraint failed: name the value and what it must be.
        foreach (var (endpoint, values) in fitting)
        {
            if (NotAWholeNumber(endpoint.RoutePattern, values) is { } parameter)
            {
                var value = Convert.ToString(values[parameter], CultureInfo.InvariantCulture) ?? "";
                var shown = value.Length > ShownValue ? value[..ShownValue] + "…" : value;
                return ApiProblems.NotFound(
                    $"The {{{parameter}}} in {http.Request.Method} {Shown(endpoint.RoutePattern)} is a whole number; '{shown}' is not one, so there is nothing with that {parameter}.");
            }
        }

        return ApiProblems.NotFound("There is no such API route; GET /openapi/v1.json lists them.");
    }

    /// <summary>The route as the OpenAPI document writes it: <c>/api/v1/appointments/{id}</c>, without its constraints.</summary>
    private static string Shown(RoutePattern pattern) =>
        "/" + string.Join('/', pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternSeparatorPart separator => separator.Content,
            RoutePatternParameterPart parameter => "{" + parameter.Name + "}",
            _ => "",
        }))));

    /// <summary>The name of a <c>{name:long}</c> parameter whose value from the path is not a 64-bit whole number, or null.</summary>
    private static string? NotAWholeNumber(RoutePattern pattern, RouteValueDictionary values) =>
        pattern.Parameters
            .Where(p => p.ParameterPolicies.Any(policy => string.Equals(policy.Content, "long", StringComparison.OrdinalIgnoreCase)))
            .Where(p => values.TryGetValue(p.Name, out var value)
                && !long.TryParse(Convert.ToString(value, CultureInfo.InvariantCulture), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
            .Select(p => p.Name)
            .FirstOrDefault();
}
