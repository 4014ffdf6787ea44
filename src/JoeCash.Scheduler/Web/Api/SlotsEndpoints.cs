using JoeCash.Scheduler.Booking;
using JoeCash.Scheduler.Domain;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using NodaTime;

namespace JoeCash.Scheduler.Web.Api;

/// <summary><c>GET /api/v1/slots</c>: free starts, as <c>slots --json</c> finds them.</summary>
public static class SlotsEndpoints
{
    public static void MapSlots(this RouteGroupBuilder api) =>
        api.MapGet("/slots", SearchAsync)
            .WithSummary("Free starts for an appointment type: any technician (least booked first) or one; optionally leaving out times the shop is already booked.")
            .Problems(StatusCodes.Status400BadRequest);

    private static async Task<Results<Ok<SlotsRecord>, ProblemHttpResult>> SearchAsync(
        Availability availability, IClock clock, string? type, string? technician, string? customer, string? from, string? days, string? limit, string? zone,
        CancellationToken cancellationToken)
    {
        var shownIn = ApiEndpoints.Zone(zone, availability.Options);
        var now = clock.GetCurrentInstant();
        var horizon = availability.Options.Horizon;
        var first = from is null
            ? now.InZone(shownIn).Date
            : ApiProblems.Require(horizon.CheckDate(ApiProblems.Require(WallClock.ParseDate(from, "from")), now, shownIn, "from", pastAllowed: false));
        var dayCount = ApiProblems.Require(WholeNumber.Parse(days, "days", 1, 92, 14));
        var most = ApiProblems.Require(WholeNumber.Parse(limit, "limit", 1, 1000, 20));
        var latest = horizon.LatestStart(now);
        var end = shownIn.AtStartOfDay(first.PlusDays(dayCount)).ToInstant();
        var clamped = end > latest;
        var range = new Interval(shownIn.AtStartOfDay(first).ToInstant(), clamped ? latest : end);
        var search = new SlotSearch(type ?? throw new ApiInputException("type is required."), technician, range, customer);
        var found = await availability.SearchAsync(search, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
        {
            return ApiProblems.BadInput(found.Error!);
        }

        // One slot per start, with the technician a booking for "any" would get (all the search keeps).
        var starts = found.Value.Slots;
        return TypedResults.Ok(new SlotsRecord(
            shownIn.Id,
            starts.Count,
            clamped ? IsoTime.Utc(latest) : null,
            [.. starts.Take(most).Select(s => SlotRecord.From(s, shownIn))]));
    }
}

/// <summary>Free starts: the zone of their local times, how many there are in all, where the booking horizon cut the search (if it did), the first <c>limit</c>.</summary>
public sealed record SlotsRecord(string TimeZone, int Total, string? HorizonEndsAt, IReadOnlyList<SlotRecord> Slots);
