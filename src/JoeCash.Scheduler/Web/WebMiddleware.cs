using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace JoeCash.Scheduler.Web;

/// <summary>Headers on every response, and the request log.</summary>
public static partial class WebMiddleware
{
    /// <summary>
    /// No inline script or style, no framing, no sniffing, no referrer leaving the site (feed and self-service
    /// URLs carry tokens). Everything the pages load comes from this host.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            if (!headers.ContainsKey("Cache-Control"))
            {
                // Staff data must not stay in a shared cache or the browser's history cache.
                headers.CacheControl = "no-store";
            }

            return Task.CompletedTask;
        });
        return next(context);
    });

    /// <summary>
    /// One line per request: method, the route's template (never the raw path: feed and self-service URLs carry
    /// secrets, shop pages customer numbers), status and time. Query strings are never logged.
    /// </summary>
    public static IApplicationBuilder UseRequestLog(this IApplicationBuilder app, ILogger logger) => app.Use(async (context, next) =>
    {
        var started = Stopwatch.GetTimestamp();
        // What the answer will be when an exception passes through here: the exception handler outside sets it later.
        int? thrown = null;
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e)
        {
            thrown = e.StatusCode;
            throw;
        }
        catch (Exception e) when (e is not OperationCanceledException || !context.RequestAborted.IsCancellationRequested)
        {
            thrown = StatusCodes.Status500InternalServerError;
            throw;
        }
        finally
        {
            // The route's text is only put together when the line is written (the service may log requests at Warning).
            if (logger.IsEnabled(LogLevel.Information))
            {
                LogRequest(logger, context.Request.Method, Route(context), thrown ?? context.Response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }
    });

    private static string Route(HttpContext context) =>
        (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText is { } template
            ? "/" + template.TrimStart('/')
            : context.Request.Path.StartsWithSegments("/static") ? "/static/…" : "(no route)";

    [LoggerMessage(Level = LogLevel.Information, Message = "HTTP {Method} {Route} {Status} {Elapsed:0.0} ms")]
    private static partial void LogRequest(ILogger logger, string method, string route, int status, double elapsed);
}
