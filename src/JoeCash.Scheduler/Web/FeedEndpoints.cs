using JoeCash.Scheduler.Feeds;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace JoeCash.Scheduler.Web;

/// <summary>
/// <c>GET /feed/{token}.ics</c>: a technician's calendar subscription (webcal). The token is the only
/// credential (calendar apps send no cookie): unknown, malformed or rotated → 404, the same answer for each.
/// </summary>
public static class FeedEndpoints
{
    public static IEndpointRouteBuilder MapFeeds(this IEndpointRouteBuilder routes)
    {
        routes.MapMethods("/feed/{token}.ics", [HttpMethods.Get, HttpMethods.Head], ServeAsync)
            .AllowAnonymous()
            .ExcludeFromDescription();
        return routes;
    }

    private static async Task<IResult> ServeAsync(string token, HttpContext context, FeedTokens tokens, TechnicianFeed feed)
    {
        var technician = await tokens.FindTechnicianAsync(token, context.RequestAborted).ConfigureAwait(false);
        var document = technician is { } id ? await feed.RenderAsync(id, context.RequestAborted).ConfigureAwait(false) : null;
        if (document is null)
        {
            return Results.NotFound();
        }

        var headers = context.Response.Headers;
        headers.ETag = document.ETag;
        // Calendar apps poll every few hours; a proxy must not keep one technician's feed for another.
        headers.CacheControl = "private, no-cache";
        var asked = context.Request.Headers.IfNoneMatch;
        if (asked.Count > 0 && EntityTagHeaderValue.TryParseList(asked, out var tags)
            && tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Tag.Equals(document.ETag, StringComparison.Ordinal)))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        return Results.Bytes(document.Content, FeedDocument.ContentType);
    }
}
