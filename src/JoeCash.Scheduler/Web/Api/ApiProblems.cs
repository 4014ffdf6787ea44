using System.Text.Json;
using JoeCash.Scheduler.Booking;
using JoeCash.Scheduler.Domain;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace JoeCash.Scheduler.Web.Api;

/// <summary>
/// Every API error as RFC 9457 problem details: a stable <c>type</c> (<c>urn:joecash:problem:&lt;code&gt;</c>) and
/// <c>code</c>, the codes the command line prints with <c>--json</c> (bad-input, slot-not-free, version-mismatch, …),
/// and the status the way its exit codes divide them: 400 bad input, 404 unknown, 409 conflict (with
/// <c>alternatives</c>), 412 stale (with <c>currentVersion</c>), 422 cost not acknowledged (with <c>costNotice</c>).
/// </summary>
public static class ApiProblems
{
    public const string TypePrefix = "urn:joecash:problem:";

    /// <summary>The code of a status the framework answered by itself (no route, no session, a body it could not read).</summary>
    public static string CodeFor(int status) => status switch
    {
        StatusCodes.Status400BadRequest => "bad-input",
        StatusCodes.Status401Unauthorized => "unauthenticated",
        StatusCodes.Status403Forbidden => "forbidden",
        StatusCodes.Status404NotFound => "not-found",
        StatusCodes.Status405MethodNotAllowed => "method-not-allowed",
        StatusCodes.Status409Conflict => "conflict",
        StatusCodes.Status412PreconditionFailed => "version-mismatch",
        StatusCodes.Status413PayloadTooLarge => "too-large",
        StatusCodes.Status415UnsupportedMediaType => "unsupported-media-type",
        StatusCodes.Status422UnprocessableEntity => "unprocessable",
        StatusCodes.Status428PreconditionRequired => "precondition-required",
        StatusCodes.Status429TooManyRequests => "too-many-requests",
        >= 500 => "internal-error",
        _ => "error",
    };

    /// <summary>Fills what the framework's own problems (status pages, exception handler) lack, and hides exception details.</summary>
    public static void Complete(ProblemDetailsContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var problem = context.ProblemDetails;
        var status = problem.Status ?? context.HttpContext.Response.StatusCode;
        if (!problem.Extensions.TryGetValue("code", out var code) || code is null)
        {
            code = CodeFor(status);
            problem.Extensions["code"] = code;
        }

        problem.Type = TypePrefix + code;
        problem.Extensions.Remove("exception");
        if (status >= 500)
        {
            // Never the stack trace or the message: the log has them, under the trace id.
            problem.Detail = "The service failed to answer; the log has the details under this trace id.";
        }

        problem.Extensions["traceId"] = context.HttpContext.TraceIdentifier;
    }

    public static ProblemHttpResult Problem(int status, string code, string title, string detail, IDictionary<string, object?>? extensions = null)
    {
        var all = new Dictionary<string, object?>(extensions ?? new Dictionary<string, object?>()) { ["code"] = code };
        return TypedResults.Problem(detail, null, status, title, TypePrefix + code, all);
    }

    public static ProblemHttpResult BadInput(string detail) => Problem(StatusCodes.Status400BadRequest, "bad-input", "Bad input", detail);

    public static ProblemHttpResult NotFound(string detail) => Problem(StatusCodes.Status404NotFound, "not-found", "Not found", detail);

    public static ProblemHttpResult Forbidden(string detail) => Problem(StatusCodes.Status403Forbidden, "forbidden", "Forbidden", detail);

    /// <summary>A refused booking change: status by its code and kind, the data a client needs to go on.</summary>
    public static ProblemHttpResult From(Refusal refusal, DateTimeZone zone)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        var code = JsonNamingPolicy.KebabCaseLower.ConvertName(refusal.Code.ToString());
        var status = refusal.Code switch
        {
            RefusalCode.NotFound => StatusCodes.Status404NotFound,
            RefusalCode.VersionMismatch or RefusalCode.ChangedMeanwhile => StatusCodes.Status412PreconditionFailed,
            RefusalCode.CostNotAcknowledged => StatusCodes.Status422UnprocessableEntity,
            RefusalCode.Cancelled => StatusCodes.Status409Conflict,
            _ => refusal.Kind switch
            {
                RefusalKind.Conflict => StatusCodes.Status409Conflict,
                RefusalKind.Stale => StatusCodes.Status412PreconditionFailed,
                _ => StatusCodes.Status400BadRequest,
            },
        };
        var extensions = new Dictionary<string, object?> { ["kind"] = refusal.Kind.ToString().ToLowerInvariant() };
        if (refusal.Alternatives is { Count: > 0 } || refusal.Kind == RefusalKind.Conflict)
        {
            extensions["alternatives"] = (refusal.Alternatives ?? []).Select(s => SlotRecord.From(s, zone)).ToArray();
            extensions["timeZone"] = zone.Id;
        }

        if (refusal.ConflictingAppointmentId is { } conflicting)
        {
            extensions["conflictingAppointment"] = conflicting;
        }

        if (refusal.CurrentVersion is { } version)
        {
            extensions["currentVersion"] = version;
        }

        if (refusal.CostNotice is { } notice)
        {
            extensions["costNotice"] = notice;
            extensions["hint"] = "Once the shop has accepted the cost notice, book again with \"acknowledgeCost\": true.";
        }

        if (refusal.SlotReason is { } reason)
        {
            extensions["slotReason"] = JsonNamingPolicy.KebabCaseLower.ConvertName(reason.ToString());
        }

        return Problem(status, code, Title(status), refusal.Message, extensions);
    }

    private static string Title(int status) => status switch
    {
        StatusCodes.Status404NotFound => "Not found",
        StatusCodes.Status409Conflict => "Conflict",
        StatusCodes.Status412PreconditionFailed => "Changed meanwhile",
        StatusCodes.Status422UnprocessableEntity => "Cost notice not acknowledged",
        _ => "Bad input",
    };

    /// <summary>The value, or a 400 problem (thrown, caught by the API's filter) naming the field.</summary>
    public static T Require<T>(Result<T> result) => result.IsSuccess ? result.Value : throw new ApiInputException(result.Error!);
}

/// <summary>Bad input found while parsing a request: a 400 problem, nothing done.</summary>
public sealed class ApiInputException(string message) : Exception(message);

/// <summary>The media type of every API error.</summary>
public static class ProblemMedia
{
    public const string Json = "application/problem+json";

    /// <summary>Declares the problem answers an endpoint can give (for the OpenAPI document).</summary>
    public static RouteHandlerBuilder Problems(this RouteHandlerBuilder builder, params int[] statuses)
    {
        ArgumentNullException.ThrowIfNull(builder);
        foreach (var status in statuses.Append(StatusCodes.Status401Unauthorized).Append(StatusCodes.Status500InternalServerError).Distinct())
        {
            builder.Produces<ProblemDetails>(status, Json);
        }

        return builder;
    }
}
