using System.Net;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.WebEncoders;
using JoeCash.Scheduler.Web.Api;
using JoeCash.Scheduler.Web.Operations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.AspNetCore.Mvc.Razor.TagHelpers;
using Microsoft.AspNetCore.Mvc.ViewComponents;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace JoeCash.Scheduler.Web;

/// <summary>
/// The web face inside <c>serve</c>: pages for staff, the HTTP API, the feeds. Same process, same composition
/// root, same services as the command line; this only parses, calls one service method and renders.
/// </summary>
public static class WebHost
{
    public static IServiceCollection AddWeb(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebOptions>().Bind(configuration.GetSection(WebOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<WebOptions>, WebOptionsValidator>();
        var web = configuration.GetSection(WebOptions.Section).Get<WebOptions>() ?? new WebOptions();
        services.AddSingleton<WebText>();
        // Umlauts as themselves, not as &#xE4;: the pages are UTF-8 and HTML-escaping stays on for <, >, &, quotes.
        services.Configure<WebEncoderOptions>(o => o.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        // Session cookies and antiforgery tokens are signed with keys that outlive a restart, so it keeps everyone
        // signed in: on SQLite in a folder beside the database (0750, as PrivateFiles makes every folder); on
        // PostgreSQL in the database every node shares, so a cookie from one node is good on the others.
        var storage = configuration.GetSection(Storage.StorageOptions.Section).Get<Storage.StorageOptions>() ?? new Storage.StorageOptions();
        services.AddDataProtection().SetApplicationName("joecash-scheduler");
        if (storage.Provider == Storage.StorageProvider.PostgreSQL)
        {
            services.AddOptions<KeyManagementOptions>().Configure<Storage.DatabaseKeyRing>((o, ring) => o.XmlRepository = ring);
        }
        else
        {
            // The folder is made when the first cookie needs the key ring, not at registration: a serve that refuses
            // to start (a bad setting, a broken template) leaves nothing behind.
            var keys = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(storage.Path))!, "keys");
            services.AddOptions<KeyManagementOptions>().Configure<ILoggerFactory>((o, loggers) =>
            {
                Storage.PrivateFiles.CreateDirectory(keys);
                o.XmlRepository = new FileSystemXmlRepository(new DirectoryInfo(keys), loggers);
            });
        }
        services.AddStaffAuthentication(web);
        services.AddShopBookingAuthentication(configuration.GetSection(ShopBooking.ShopBookingOptions.Section).Get<ShopBooking.ShopBookingOptions>() ?? new ShopBooking.ShopBookingOptions());
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "joecash.af";
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.HeaderName = "X-CSRF-TOKEN";
        });
        var mvc = services.AddRazorPages(o =>
        {
            o.RootDirectory = "/Web/Pages";
            o.Conventions.AllowAnonymousToPage("/SignIn");
            o.Conventions.AllowAnonymousToPage("/Error");
        });
        // The pages are compiled Razor items; the service has no controllers, view components or tag helpers of its own.
        // Looking for them would load every type of the application (and the assemblies those touch) at start.
        mvc.ConfigureApplicationPartManager(parts =>
        {
            foreach (var provider in parts.FeatureProviders.Where(p => p is ControllerFeatureProvider or ViewComponentFeatureProvider or TagHelperFeatureProvider).ToList())
            {
                parts.FeatureProviders.Remove(provider);
            }
        });
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ApiProblems.Complete);
        services.AddOpenApi("v1", o =>
        {
            o.ShouldInclude = description => description.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true;
            o.AddDocumentTransformer<ApiDocument>();
        });
        services.AddOperations(web);
        // Binding failures reach ApiBadRequests, which names the field, instead of a bare 400.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddExceptionHandler<ApiBadRequests>();
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Encoder = ApiEndpoints.Json.Encoder;
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJson.Default);
            o.SerializerOptions.AllowDuplicateProperties = false;
        });
        services.AddSingleton(new SignInThrottle(web.SignInAttemptsPerMinute));
        services.AddSingleton<ShopLinkThrottle>();
        services.AddSingleton<ShopSignInThrottle>();
        if (web.KnownProxies.Length > 0)
        {
            services.Configure<ForwardedHeadersOptions>(o =>
            {
                o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
                o.KnownProxies.Clear();
                o.KnownIPNetworks.Clear();
                foreach (var proxy in web.KnownProxies)
                {
                    o.KnownProxies.Add(IPAddress.Parse(proxy));
                }
            });
        }

        LoadKeyRingOnFirstUse(services);
        return services;
    }

    /// <summary>
    /// Data protection registers a hosted service that reads the key ring (and creates the first key) at start, "so the
    /// first request does not wait": the XML reader and the key's cryptography, resident from then on, for a service
    /// whose first request may come hours later. Without it the ring is read by the first request that signs or checks a
    /// cookie or an antiforgery token, as it is again whenever the ring expires. Registered again by every
    /// <c>AddDataProtection</c> call (authentication, antiforgery), so this runs after all of them.
    /// Measured: serve-idle, tests/JoeCash.Scheduler.Benchmarks.
    /// </summary>
    private static void LoadKeyRingOnFirstUse(IServiceCollection services)
    {
        var loadAtStart = services.Where(d => d.ServiceType == typeof(IHostedService)
            && d.ImplementationType?.FullName == "Microsoft.AspNetCore.DataProtection.Internal.DataProtectionHostedService").ToList();
        foreach (var descriptor in loadAtStart)
        {
            services.Remove(descriptor);
        }
    }

    /// <summary>
    /// The request pipeline: proxy headers, security headers, log, static files, sign-in, pages, API. Built on the first
    /// request, not at start: mapping the pages builds MVC's action descriptors, and the first pipeline build makes every
    /// endpoint (the authorization middleware reads all their policies), which loads and compiles the pages' models,
    /// model binding, the minimal API's metadata and the OpenAPI and health check endpoints. A service that is up but
    /// not asked anything (most of the night) needs none of it. Measured: serve-idle, tests/JoeCash.Scheduler.Benchmarks.
    /// </summary>
    public static WebApplication UseWeb(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        IApplicationBuilder builder = app;
        var pipeline = new Lazy<RequestDelegate>(() => BuildPipeline(new ApplicationBuilder(app.Services, builder.ServerFeatures)), LazyThreadSafetyMode.ExecutionAndPublication);
        // The pipeline below authenticates, authorizes and checks antiforgery tokens itself; without these marks the
        // WebApplication would add a second authentication, authorization and antiforgery middleware in front of it
        // (it looks only at its own builder). The names are ASP.NET Core's (WebApplicationBuilder, UseAntiforgery).
        foreach (var mark in MiddlewareMarks)
        {
            builder.Properties[mark] = true;
        }

        app.Run(context => pipeline.Value(context));
        app.Lifetime.ApplicationStarted.Register(() => AnnounceAddresses(app));
        return app;
    }

    /// <summary>
    /// The marks <c>UseAuthentication</c>, <c>UseAuthorization</c> and <c>UseAntiforgery</c> leave on the builder they are
    /// called on, which WebApplication reads before adding its own. ASP.NET Core's names: a test calls the three and
    /// compares, so a release that renames one fails the build's tests instead of authenticating every request twice.
    /// </summary>
    public static IReadOnlyList<string> MiddlewareMarks { get; } = ["__AuthenticationMiddlewareSet", "__AuthorizationMiddlewareSet", "__AntiforgeryMiddlewareSet"];

    private static RequestDelegate BuildPipeline(ApplicationBuilder app)
    {
        var web = app.ApplicationServices.GetRequiredService<IOptions<WebOptions>>().Value;
        if (web.KnownProxies.Length > 0)
        {
            app.UseForwardedHeaders();
        }

        app.UseSecurityHeaders();
        // People get a page in their language; scripts get RFC 9457 problem details, never HTML.
        app.UseWhen(context => WebPaths.IsApi(context.Request.Path), api =>
        {
            api.UseExceptionHandler();
            api.UseStatusCodePages();
        });
        app.UseWhen(context => !WebPaths.IsApi(context.Request.Path), pages =>
        {
            pages.UseExceptionHandler("/error");
            pages.UseStatusCodePagesWithReExecute("/error", "?status={0}");
        });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(Path.Combine(AppContext.BaseDirectory, "wwwroot")),
            RequestPath = "/static",
            OnPrepareResponse = context => context.Context.Response.Headers.CacheControl = "public, max-age=3600",
        });
        app.UseRouting();
        app.UseRequestLog(app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("JoeCash.Scheduler.Web.Requests"));
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.UseEndpoints(endpoints =>
        {
            endpoints.MapRazorPages();
            endpoints.MapFeeds();
            endpoints.MapApi();
            endpoints.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
            endpoints.MapOperations();
            // Anything else under /api is a 404 problem (after authentication: unknown to a stranger is 401). A plain
            // RequestDelegate, not a Delegate: the request delegate generator drops MapFallback's pattern
            // (dotnet/aspnetcore#65992) and mapped this to every unknown path, so a signed-in person at a page address that
            // does not exist got the API's JSON instead of the "not found" page.
            endpoints.MapFallback("/api/{**rest}", context =>
                ApiFallback.Answer(context, context.RequestServices.GetRequiredService<EndpointDataSource>()).ExecuteAsync(context));
        });
        return app.Build();
    }

    /// <summary>Where the pages are (the real port when 0 was asked for), and how to sign in.</summary>
    private static void AnnounceAddresses(WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("JoeCash.Scheduler.Web");
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        foreach (var address in addresses)
        {
            logger.LogInformation("Web pages at {Address}", address);
        }

        var signIn = app.Services.GetRequiredService<WebSignInHint>();
        foreach (var line in signIn.Lines)
        {
            logger.LogWarning("{Hint}", line);
        }
    }
}

/// <summary>What <c>serve</c> tells the person who started it about signing in (demo accounts, or how to create the first one).</summary>
public sealed class WebSignInHint
{
    public IReadOnlyList<string> Lines { get; set; } = [];

    /// <summary>Set by the face that starts the service: how to create the first account, in its own words.</summary>
    public string NoAccountYet { get; set; } = "No staff account yet: create the first admin account to sign in.";
}
