using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace JoeCash.Scheduler.Web.Api;

/// <summary>
/// A request the API's endpoints could not bind — a body that is not the JSON they take, a query value of the wrong kind —
/// as a problem that says which field and what it must be (<see cref="ApiBodyErrors"/>). The endpoints throw these
/// (<c>RouteHandlerOptions.ThrowOnBadRequest</c>) instead of answering a bare 400 of their own.
/// </summary>
public sealed class ApiBadRequests : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (exception is not BadHttpRequestException bad || !WebPaths.IsApi(httpContext.Request.Path))
        {
            return false;
        }

        var status = bad.StatusCode;
        var detail = Describe(httpContext, bad);
        var title = status == StatusCodes.Status400BadRequest ? "Bad input" : ReasonOf(status);
        await ApiProblems.Problem(status, ApiProblems.CodeFor(status), title, detail).ExecuteAsync(httpContext).ConfigureAwait(false);
        return true;
    }

    private static string Describe(HttpContext http, BadHttpRequestException bad)
    {
        // The middleware has cleared the request's endpoint by now; the feature keeps the one that failed.
        var body = http.Features.Get<IExceptionHandlerFeature>()?.Endpoint?.Metadata.GetMetadata<IAcceptsMetadata>();
        if (bad.InnerException is JsonException json && body?.RequestType is { } type)
        {
            var options = http.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
            return $"The body is not what this request takes: {ApiBodyErrors.Describe(json, options.GetTypeInfo(type))}";
        }

        return bad.StatusCode switch
        {
            // No body, or the JSON literal null: there is nothing to bind.
            StatusCodes.Status400BadRequest when body is not null => "The body is empty or null; send this request's fields as a JSON object.",
            // The framework's sentence names the parameter and the value it could not read.
            _ => bad.Message,
        };
    }

    private static string ReasonOf(int status) => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } reason ? reason : "Error";
}
