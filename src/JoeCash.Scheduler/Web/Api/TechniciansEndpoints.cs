using System.Security.Claims;
using JoeCash.Scheduler.Technicians;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace JoeCash.Scheduler.Web.Api;

/// <summary>The technicians: the list for dispatchers, one for dispatchers or that technician.</summary>
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
    }

    private static async Task<Results<Ok<TechnicianRecord>, ProblemHttpResult>> ShowAsync(long id, ClaimsPrincipal user, TechnicianService technicians, CancellationToken cancellationToken)
    {
        if (!ApiEndpoints.MaySee(user, id))
        {
            return ApiProblems.NotFound($"there is no technician {id}.");
        }

        var found = await technicians.FindAsync(id, cancellationToken).ConfigureAwait(false);
        return found.IsSuccess ? TypedResults.Ok(TechnicianRecord.From(found.Value)) : ApiProblems.NotFound(found.Error!);
    }
}
