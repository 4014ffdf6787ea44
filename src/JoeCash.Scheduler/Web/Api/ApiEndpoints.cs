using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using JoeCash.Scheduler.Configuration;
using JoeCash.Scheduler.Domain;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace JoeCash.Scheduler.Web.Api;

/// <summary>
/// The HTTP API under <c>/api/v1</c>: one group per feature, every answer JSON, every error problem details.
/// Everything needs a session or an API key; changes need a dispatcher; a cookie session also needs the
/// antiforgery header on POST, PUT and DELETE (an API key does not: it is not sent by a browser on its own).
/// </summary>
public static class ApiEndpoints
{
    public const string Prefix = "/api/v1";

    /// <summary>JSON as the command line writes it: camelCase, umlauts and '+' as themselves.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = JsonTypeInfoResolver.Combine(ApiJson.Default, new DefaultJsonTypeInfoResolver()),
        AllowDuplicateProperties = false,
    };

    public static IEndpointRouteBuilder MapApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(Prefix)
            .RequireAuthorization()
            .AddEndpointFilter(RefuseBadInputAsync)
            .AddEndpointFilter(CheckAntiforgeryAsync);
        api.MapSession();
        api.MapSlots();
        api.MapAppointments();
        api.MapShops();
        api.MapTechnicians();
        api.MapOutbox();
        return app;
    }

    /// <summary>Input the parsing refused (<see cref="ApiInputException"/>) is a 400 problem.</summary>
    private static async ValueTask<object?> RefuseBadInputAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context).ConfigureAwait(false);
        }
        catch (ApiInputException e)
        {
            return ApiProblems.BadInput(e.Message);
        }
    }

    /// <summary>A cookie-authenticated change must carry <c>X-CSRF-TOKEN</c> (from <c>GET /api/v1/session</c>).</summary>
    private static async ValueTask<object?> CheckAntiforgeryAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method)
            && http.User.Identity?.AuthenticationType != StaffAuthentication.ApiKeyScheme)
        {
            var antiforgery = http.RequestServices.GetRequiredService<IAntiforgery>();
            if (!await antiforgery.IsRequestValidAsync(http).ConfigureAwait(false))
            {
                return ApiProblems.Problem(StatusCodes.Status400BadRequest, "antiforgery", "Antiforgery token missing or invalid",
                    "A signed-in browser session must send the X-CSRF-TOKEN header (GET /api/v1/session gives it) with POST, PUT and DELETE; scripts use an API key instead.");
            }
        }

        return await next(context).ConfigureAwait(false);
    }

    /// <summary>The zone times are read and shown in: <paramref name="zone"/> if given, else Scheduler:TimeZone.</summary>
    public static DateTimeZone Zone(string? zone, SchedulerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var id = string.IsNullOrWhiteSpace(zone) ? options.TimeZone : zone.Trim();
        return DateTimeZoneProviders.Tzdb.GetZoneOrNull(id)
            ?? throw new ApiInputException($"zone: '{id}' is not an IANA time zone id (e.g. Europe/Berlin).");
    }

    /// <summary>True if <paramref name="user"/> may see what belongs to technician <paramref name="technicianId"/>: dispatchers all, a technician their own.</summary>
    public static bool MaySee(ClaimsPrincipal user, long technicianId) =>
        StaffClaims.Dispatches(user) || StaffClaims.TechnicianId(user) == technicianId;

    /// <summary>An ETag for a version: <c>"3"</c>.</summary>
    public static string ETag(int version) => $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    /// <summary>A yes/no query value (<c>?dryRun=true</c>): absent is false; anything but true or false is bad input naming it.</summary>
    public static bool Flag(string? text, string name) => text?.Trim().ToLowerInvariant() switch
    {
        null or "" or "false" => false,
        "true" => true,
        _ => throw new ApiInputException($"{name}: '{UserText.Shown(text, 40)}' must be true or false."),
    };

    /// <summary>
    /// The version in <c>If-Match: "3"</c> (a weak <c>W/"3"</c> or a bare 3 is read the same), null without the header;
    /// <paramref name="readFrom"/> names where the client gets the ETag, for the refusal of anything else.
    /// </summary>
    public static int? IfMatchVersion(HttpRequest request, string readFrom)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Headers.IfMatch.Count == 0)
        {
            return null;
        }

        var text = request.Headers.IfMatch.ToString().Trim();
        text = text.StartsWith("W/", StringComparison.Ordinal) ? text[2..] : text;
        return int.TryParse(text.Trim('"'), NumberStyles.None, CultureInfo.InvariantCulture, out var version) && version > 0
            ? version
            : throw new ApiInputException($"If-Match: '{UserText.Shown(text, 40)}' is not a version; send the ETag of {readFrom}, e.g. \"3\".");
    }

    /// <summary>The session's antiforgery token for the header: how a signed-in page calls the API.</summary>
    private static void MapSession(this RouteGroupBuilder api) =>
        api.MapGet("/session", (HttpContext http, IAntiforgery antiforgery) =>
            {
                var tokens = antiforgery.GetAndStoreTokens(http);
                return TypedResults.Ok(new SessionRecord(StaffClaims.Actor(http.User), StaffClaims.Dispatches(http.User), StaffClaims.TechnicianId(http.User),
                    tokens.HeaderName ?? "X-CSRF-TOKEN", tokens.RequestToken ?? ""));
            })
            .WithSummary("Who is signed in, and the antiforgery token a browser session sends as X-CSRF-TOKEN on changes.")
            .Problems();
}

/// <summary>The caller, as the API sees it.</summary>
public sealed record SessionRecord(string Login, bool Dispatches, long? Technician, string AntiforgeryHeader, string AntiforgeryToken);
