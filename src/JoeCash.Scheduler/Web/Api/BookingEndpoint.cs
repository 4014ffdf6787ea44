using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using JoeCash.Scheduler.Booking;
using JoeCash.Scheduler.Configuration;
using JoeCash.Scheduler.Idempotency;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using NodaTime;

namespace JoeCash.Scheduler.Web.Api;

/// <summary>
/// <c>POST /api/v1/appointments</c>: books, as <c>book</c> does. With an <c>Idempotency-Key</c> header the first
/// answer is kept for 24 hours and sent again (same status, same body) for the same key and body; the same key with
/// another body is a 422 problem.
/// </summary>
public static class BookingEndpoint
{
    public const string IdempotencyHeader = "Idempotency-Key";
    private const int MaxBody = 64 * 1024;

    /// <summary>As the API writes every answer (<see cref="ApiEndpoints.Json"/>): stored answers are replayed byte for byte.</summary>
    private static readonly JsonSerializerOptions Json = ApiEndpoints.Json;

    public static void MapBooking(this RouteGroupBuilder api) =>
        api.MapPost("/appointments", BookAsync)
            .RequireAuthorization(StaffAuthentication.DispatcherPolicy)
            .Accepts<BookBody>("application/json")
            .Produces<AppointmentRecord>(StatusCodes.Status201Created)
            .WithSummary("Books an appointment. Billable types need \"acknowledgeCost\": true. Send an Idempotency-Key header to retry safely.")
            .Problems(StatusCodes.Status400BadRequest, StatusCodes.Status403Forbidden, StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity);

    private static async Task<IResult> BookAsync(HttpContext http, BookingService booking, IdempotencyStore keys, IOptions<SchedulerOptions> options, CancellationToken cancellationToken)
    {
        var body = await ReadBodyAsync(http.Request, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return ApiProblems.Problem(StatusCodes.Status413PayloadTooLarge, "too-large", "Request too large", $"The body may have at most {MaxBody} bytes.");
        }

        var key = http.Request.Headers[IdempotencyHeader].ToString();
        var account = StaffClaims.AccountId(http.User) ?? 0;
        if (key.Length > 0)
        {
            if (!IdempotencyStore.IsValidKey(key))
            {
                return ApiProblems.BadInput($"{IdempotencyHeader}: 1 to 200 visible ASCII characters.");
            }

            var claim = await keys.ClaimAsync(account, key, body, cancellationToken).ConfigureAwait(false);
            switch (claim.Verdict)
            {
                case IdempotencyVerdict.Replay:
                    http.Response.Headers["Idempotent-Replayed"] = "true";
                    return Answer(http, claim.Status, claim.Response ?? "");
                case IdempotencyVerdict.BodyMismatch:
                    return ApiProblems.Problem(StatusCodes.Status422UnprocessableEntity, "idempotency-key-reused", "Idempotency key reused",
                        $"The {IdempotencyHeader} '{key}' was used with another request body in the last 24 hours; use a new key for a new booking.");
                case IdempotencyVerdict.InProgress:
                    return ApiProblems.Problem(StatusCodes.Status409Conflict, "idempotency-key-in-progress", "Request in progress",
                        $"The first request with {IdempotencyHeader} '{key}' is still being answered; retry in a moment.");
            }
        }

        int status;
        string json;
        AppointmentRecord? booked;
        try
        {
            (status, json, booked) = await BookOnceAsync(http, body, booking, options.Value, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            if (key.Length > 0)
            {
                await keys.ReleaseAsync(account, key).ConfigureAwait(false);
            }

            throw;
        }

        if (key.Length > 0)
        {
            await keys.CompleteAsync(account, key, status, json, CancellationToken.None).ConfigureAwait(false);
        }

        return Answer(http, status, json, booked);
    }

    private static async Task<(int Status, string Json, AppointmentRecord? Booked)> BookOnceAsync(HttpContext http, byte[] body, BookingService booking, SchedulerOptions options, CancellationToken cancellationToken)
    {
        BookBody? request;
        try
        {
            request = JsonSerializer.Deserialize<BookBody>(body, Json);
        }
        catch (JsonException e)
        {
            return Problem(ApiProblems.BadInput($"The body is not the JSON of a booking: {ApiBodyErrors.Describe(e, Json.GetTypeInfo(typeof(BookBody)))}"));
        }

        if (request is null)
        {
            return Problem(ApiProblems.BadInput("The body is empty; send the booking as JSON."));
        }

        DateTimeZone zone;
        Instant start;
        try
        {
            zone = ApiEndpoints.Zone(request.Zone, options);
            start = ApiTime.ReadStart(request.Start, zone);
        }
        catch (ApiInputException e)
        {
            return Problem(ApiProblems.BadInput(e.Message));
        }

        var outcome = await booking.BookAsync(
            new BookingRequest(request.Customer ?? "", request.Type ?? "", request.Technician, start, request.Notes, request.AcknowledgeCost, StaffClaims.Actor(http.User)),
            cancellationToken).ConfigureAwait(false);
        if (outcome.Refusal is { } refusal)
        {
            return Problem(ApiProblems.From(refusal, zone));
        }

        var appointment = AppointmentRecord.From(outcome.Appointment!, zone);
        return (StatusCodes.Status201Created, JsonSerializer.Serialize(appointment, Json), appointment);
    }

    private static (int, string, AppointmentRecord?) Problem(ProblemHttpResult problem) =>
        (problem.StatusCode, JsonSerializer.Serialize(problem.ProblemDetails, Json), null);

    /// <summary>
    /// The answer, first or replayed: for a booking its Location and ETag, from the record just booked, or for a replay
    /// read back from the stored body.
    /// </summary>
    private static ContentHttpResult Answer(HttpContext http, int status, string json, AppointmentRecord? booked = null)
    {
        booked ??= status == StatusCodes.Status201Created ? JsonSerializer.Deserialize<AppointmentRecord>(json, Json) : null;
        if (booked is not null)
        {
            http.Response.Headers.Location = $"{ApiEndpoints.Prefix}/appointments/{booked.Id}";
            http.Response.Headers.ETag = ApiEndpoints.ETag(booked.Version);
        }

        return TypedResults.Text(json, status >= 400 ? ProblemMedia.Json : "application/json", Encoding.UTF8, status);
    }

    /// <summary>The body, or null if it is larger than <see cref="MaxBody"/>.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBody)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}

/// <summary>A booking: the shop's number, the type, a technician (id, email, or none/"any"), the start (local in <c>zone</c>, or with an offset).</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record BookBody(string? Customer, string? Type, string? Technician, string? Start, string? Zone, string? Notes, bool AcknowledgeCost);
