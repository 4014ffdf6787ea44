using System.Security.Claims;
using System.Text.Json.Serialization;
using JoeCash.Scheduler.Booking;
using JoeCash.Scheduler.Technicians;
using NodaTime.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace JoeCash.Scheduler.Web.Api;

/// <summary>The technicians: the list for dispatchers, one for dispatchers or that technician, a change by a dispatcher.</summary>
public static class TechniciansEndpoints
{
    public static void MapTechnicians(this RouteGroupBuilder api)
    {
        api.MapGet("/technicians", async (TechnicianService technicians, CancellationToken cancellationToken) =>
                TypedResults.Ok(await technicians.ListAsync(cancellationToken).ConfigureAwait(false)))
            .RequireAuthorization(StaffAuthentication.DispatcherPolicy)
            .WithSummary("All technicians with their zone, federal state, hours, types and daily cap.")
            .Problems(StatusCodes.Status403Forbidden);
        api.MapGet("/technicians/{id:long}", ShowAsync)
            .WithSummary("One technician; a technician may read only themself.")
            .Problems(StatusCodes.Status404NotFound);
        api.MapPatch("/technicians/{id:long}", EditAsync)
            .RequireAuthorization(StaffAuthentication.DispatcherPolicy)
            .WithSummary("Changes the fields given (as 'technician edit'); the rest stays. 409 listing the booked appointments ahead that would "
                + "no longer fit (inactive, type, working time, daily cap); ?keep=true saves anyway and leaves them booked. "
                + "With If-Match: \"<version>\" (the record's version), 412 if the technician changed since.")
            .Problems(StatusCodes.Status400BadRequest, StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict,
                StatusCodes.Status412PreconditionFailed);
    }

    private static async Task<Results<Ok<TechnicianRecord>, ProblemHttpResult>> EditAsync(
        long id, TechnicianPatch body, string? keep, HttpContext http, TechnicianEditService edits, CancellationToken cancellationToken)
    {
        if (body.DailyCap is not null && body.ClearDailyCap == true)
        {
            return ApiProblems.BadInput("dailyCap and clearDailyCap exclude each other.");
        }

        var edit = new TechnicianEdit(body.Name, body.Email, body.Zone, body.State, body.Hours, body.Types is { } types ? string.Join(',', types) : null,
            body.DailyCap, body.ClearDailyCap == true, body.Active, ApiEndpoints.IfMatchVersion(http.Request, "GET /api/v1/technicians/{id}"));
        var outcome = await edits.EditAsync(id, edit, ApiEndpoints.Flag(keep, "keep"), cancellationToken: cancellationToken).ConfigureAwait(false);
        if (outcome.Saved is { } saved)
        {
            http.Response.Headers.ETag = ApiEndpoints.ETag(saved.Version);
            return TypedResults.Ok(TechnicianRecord.From(saved));
        }

        return outcome switch
        {
            { NeedsChoice: true } => ApiProblems.Problem(StatusCodes.Status409Conflict, "appointments-would-not-fit", "Booked appointments would no longer fit",
                outcome.Refusal!,
                new Dictionary<string, object?>
                {
                    ["misfits"] = outcome.Misfits.Select(m => new TechnicianMisfitRecord(
                        m.Booked.Appointment.Id, InstantPattern.ExtendedIso.Format(m.Booked.Appointment.Time.Start), m.Booked.Customer.Number,
                        System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(m.Why.ToString()), m.Reason)).ToArray(),
                }),
            { Stale: true } => ApiProblems.Problem(StatusCodes.Status412PreconditionFailed, "version-mismatch", "Changed meanwhile", outcome.Refusal!),
            { NotFound: true } => ApiProblems.NotFound(outcome.Refusal!),
            _ => ApiProblems.BadInput(outcome.Refusal!),
        };
    }

    private static async Task<Results<Ok<TechnicianRecord>, ProblemHttpResult>> ShowAsync(
        long id, ClaimsPrincipal user, HttpContext http, TechnicianService technicians, CancellationToken cancellationToken)
    {
        if (!ApiEndpoints.MaySee(user, id))
        {
            return ApiProblems.NotFound($"there is no technician {id}.");
        }

        var found = await technicians.FindAsync(id, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
        {
            return ApiProblems.NotFound(found.Error!);
        }

        http.Response.Headers.ETag = ApiEndpoints.ETag(found.Value.Version);
        return TypedResults.Ok(TechnicianRecord.From(found.Value));
    }
}

/// <summary>A change to a technician: every field optional (left out keeps its value); <c>types</c> replaces the list.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record TechnicianPatch(
    string? Name, string? Email, string? Zone, string? State, string? Hours, IReadOnlyList<string>? Types, int? DailyCap, bool? ClearDailyCap, bool? Active);

/// <summary>A booked appointment ahead that a refused change would have left outside the technician's terms.</summary>
public sealed record TechnicianMisfitRecord(long Id, string Start, string Shop, string Code, string Reason);
