using System.Globalization;
using System.Security.Claims;
using System.Text.Json.Serialization;
using JoeCash.Scheduler.Agenda;
using JoeCash.Scheduler.Booking;
using JoeCash.Scheduler.Configuration;
using JoeCash.Scheduler.Domain;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using NodaTime;

namespace JoeCash.Scheduler.Web.Api;

/// <summary>
/// Appointments: one (as <c>show --json</c>, with an ETag of its version), a technician's day (as <c>agenda --json</c>),
/// and the changes that need the version read: <c>PUT …/{id}/time</c> (reschedule) and <c>DELETE …/{id}</c> (cancel),
/// both with <c>If-Match: "&lt;version&gt;"</c>. A technician sees only their own.
/// </summary>
public static class AppointmentsEndpoints
{
    public static void MapAppointments(this RouteGroupBuilder api)
    {
        api.MapBooking();
        api.MapGet("/appointments/{id:long}", ShowAsync)
            .WithSummary("One appointment and its audit trail; the ETag is its version (send it back as If-Match to change it).")
            .Problems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);
        api.MapGet("/appointments", DayAsync)
            .WithSummary("One technician's booked appointments on one day in their zone (default: your own, today). Technicians may read only their own day.")
            .Problems(StatusCodes.Status400BadRequest, StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound);
        api.MapPut("/appointments/{id:long}/time", RescheduleAsync)
            .RequireAuthorization(StaffAuthentication.DispatcherPolicy)
            .WithSummary("Moves an appointment to a new start (and optionally another technician). Needs If-Match: \"<version>\".")
            .Problems(StatusCodes.Status400BadRequest, StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict,
                StatusCodes.Status412PreconditionFailed, StatusCodes.Status428PreconditionRequired);
        api.MapDelete("/appointments/{id:long}", CancelAsync)
            .RequireAuthorization(StaffAuthentication.DispatcherPolicy)
            .WithSummary("Cancels an appointment; the shop gets a cancellation. Needs If-Match: \"<version>\".")
            .Problems(StatusCodes.Status400BadRequest, StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict,
                StatusCodes.Status412PreconditionFailed, StatusCodes.Status428PreconditionRequired);
    }

    private static async Task<Results<Ok<AppointmentDetailsRecord>, ProblemHttpResult>> ShowAsync(
        long id, string? zone, ClaimsPrincipal user, HttpResponse response, AppointmentQueries appointments, IOptions<SchedulerOptions> options, CancellationToken cancellationToken)
    {
        var shownIn = ApiEndpoints.Zone(zone, options.Value);
        var details = await appointments.ShowAsync(id, cancellationToken).ConfigureAwait(false);
        // Another technician's appointment is as unknown as a missing one: the answer tells nothing about it.
        if (details is null || !ApiEndpoints.MaySee(user, details.Appointment.TechnicianId))
        {
            return ApiProblems.NotFound($"there is no appointment {id}.");
        }

        response.Headers.ETag = ApiEndpoints.ETag(details.Appointment.Version);
        return TypedResults.Ok(AppointmentDetailsRecord.From(details, shownIn));
    }

    private static async Task<Results<Ok<AgendaRecord>, ProblemHttpResult>> DayAsync(
        string? technician, string? date, ClaimsPrincipal user, AgendaBuilder agenda, IOptions<SchedulerOptions> options, IClock clock, CancellationToken cancellationToken)
    {
        var own = StaffClaims.TechnicianId(user);
        var reference = technician ?? own?.ToString(CultureInfo.InvariantCulture)
            ?? throw new ApiInputException("technician is required (an id or email address).");
        var now = clock.GetCurrentInstant();
        // One connection for the technician and their day; another technician's day is not read at all.
        var built = await agenda.BuildAsync(reference, found =>
        {
            if (!ApiEndpoints.MaySee(user, found.Id))
            {
                return null;
            }

            return date is null
                ? now.InZone(found.Zone).Date
                : ApiProblems.Require(options.Value.Horizon.CheckDate(ApiProblems.Require(WallClock.ParseDate(date, "date")), now, found.Zone, "date", pastAllowed: true));
        }, cancellationToken).ConfigureAwait(false);
        if (!built.IsSuccess)
        {
            return StaffClaims.Dispatches(user) ? ApiProblems.NotFound(built.Error!) : ApiProblems.Forbidden("You may read only your own day.");
        }

        // No day built: the caller may not see this technician's.
        return built.Value.Agenda is { } day ? TypedResults.Ok(AgendaRecord.From(day)) : ApiProblems.Forbidden("You may read only your own day.");
    }

    private static async Task<Results<Ok<AppointmentRecord>, ProblemHttpResult>> RescheduleAsync(
        long id, RescheduleBody body, HttpContext http, BookingService booking, IOptions<SchedulerOptions> options, CancellationToken cancellationToken)
    {
        if (IfMatch(http.Request) is { } missing)
        {
            return missing;
        }

        var zone = ApiEndpoints.Zone(body.Zone, options.Value);
        var start = ApiTime.ReadStart(body.Start, zone);
        var outcome = await booking.RescheduleAsync(id, Version(http.Request), start, body.Technician, StaffClaims.Actor(http.User), cancellationToken).ConfigureAwait(false);
        return Answer(outcome, http.Response, zone);
    }

    private static async Task<Results<Ok<AppointmentRecord>, ProblemHttpResult>> CancelAsync(
        long id, string? reason, string? zone, HttpContext http, BookingService booking, IOptions<SchedulerOptions> options, CancellationToken cancellationToken)
    {
        if (IfMatch(http.Request) is { } missing)
        {
            return missing;
        }

        var shownIn = ApiEndpoints.Zone(zone, options.Value);
        var outcome = await booking.CancelAsync(id, Version(http.Request), reason, StaffClaims.Actor(http.User), cancellationToken).ConfigureAwait(false);
        return Answer(outcome, http.Response, shownIn);
    }

    private static Results<Ok<AppointmentRecord>, ProblemHttpResult> Answer(BookingOutcome outcome, HttpResponse response, DateTimeZone zone)
    {
        if (outcome.Refusal is { } refusal)
        {
            return ApiProblems.From(refusal, zone);
        }

        response.Headers.ETag = ApiEndpoints.ETag(outcome.Appointment!.Version);
        return TypedResults.Ok(AppointmentRecord.From(outcome.Appointment, zone));
    }

    /// <summary>428 if the request has no If-Match: a change must say which version it was made on.</summary>
    private static ProblemHttpResult? IfMatch(HttpRequest request) =>
        request.Headers.IfMatch.Count == 0
            ? ApiProblems.Problem(StatusCodes.Status428PreconditionRequired, "precondition-required", "If-Match required",
                "Send If-Match: \"<version>\" with the ETag of GET /api/v1/appointments/{id}, so that nobody's change is overwritten.")
            : null;

    private static int Version(HttpRequest request) => ApiEndpoints.IfMatchVersion(request, "GET /api/v1/appointments/{id}")!.Value;
}

/// <summary>A new start (local in <c>zone</c>, or with an offset), and optionally another technician (id or email).</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record RescheduleBody(string? Start, string? Technician, string? Zone);
