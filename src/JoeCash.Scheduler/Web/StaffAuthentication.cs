using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using JoeCash.Scheduler.Staff;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace JoeCash.Scheduler.Web;

/// <summary>
/// Who is asking: a cookie session for people, <c>Authorization: Bearer jck_…</c> for scripts. Both carry the
/// same claims (<see cref="StaffClaims"/>); pages challenge with the sign-in page, the API with 401 problem details.
/// </summary>
public static class StaffAuthentication
{
    public const string Scheme = "staff";
    public const string CookieScheme = CookieAuthenticationDefaults.AuthenticationScheme;
    public const string ApiKeyScheme = "api-key";
    public const string DispatcherPolicy = "dispatcher";
    public const string AdminPolicy = "admin";

    public static IServiceCollection AddStaffAuthentication(this IServiceCollection services, WebOptions web)
    {
        services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "Cookie or API key", o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? ApiKeyScheme : CookieScheme)
            .AddCookie(CookieScheme, o =>
            {
                o.Cookie.Name = "joecash.staff";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.LoginPath = "/sign-in";
                o.LogoutPath = "/sign-out";
                o.AccessDeniedPath = "/denied";
                o.ExpireTimeSpan = web.SessionIdleTimeout;
                o.SlidingExpiration = true;
                o.Events.OnValidatePrincipal = ValidateStampAsync;
                o.Events.OnRedirectToLogin = context => ApiOr(context, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = context => ApiOr(context, StatusCodes.Status403Forbidden);
            })
            .AddScheme<AuthenticationSchemeOptions, ApiKeyHandler>(ApiKeyScheme, null);
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder(Scheme).RequireAuthenticatedUser().Build())
            .AddPolicy(DispatcherPolicy, p => p.AddAuthenticationSchemes(Scheme).RequireRole(nameof(StaffRole.Dispatcher), nameof(StaffRole.Admin)))
            .AddPolicy(AdminPolicy, p => p.AddAuthenticationSchemes(Scheme).RequireRole(nameof(StaffRole.Admin)));
        return services;
    }

    /// <summary>The claims a signed-in account carries.</summary>
    public static ClaimsPrincipal Principal(StaffAccount account, string scheme)
    {
        ArgumentNullException.ThrowIfNull(account);
        List<Claim> claims =
        [
            new(ClaimTypes.NameIdentifier, account.Id.ToString(CultureInfo.InvariantCulture)),
            new(ClaimTypes.Name, account.Name),
            new(ClaimTypes.Email, account.Login),
            new(ClaimTypes.Role, account.Role.ToString()),
            new(StaffClaims.Stamp, account.SecurityStamp),
        ];
        if (account.TechnicianId is { } technician)
        {
            claims.Add(new(StaffClaims.Technician, technician.ToString(CultureInfo.InvariantCulture)));
        }

        if (account.Language is { } language)
        {
            claims.Add(new(StaffClaims.Language, language));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme, ClaimTypes.Name, ClaimTypes.Role));
    }

    /// <summary>A session whose stamp no longer matches (password reset, "sign out everywhere", account gone) ends now.</summary>
    private static async Task ValidateStampAsync(CookieValidatePrincipalContext context)
    {
        var staff = context.HttpContext.RequestServices.GetRequiredService<StaffService>();
        var id = StaffClaims.AccountId(context.Principal);
        var stamp = id is { } account ? await staff.SecurityStampAsync(account, context.HttpContext.RequestAborted).ConfigureAwait(false) : null;
        if (stamp is null || stamp != context.Principal?.FindFirstValue(StaffClaims.Stamp))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieScheme).ConfigureAwait(false);
        }
    }

    private static Task ApiOr(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (WebPaths.IsApi(context.Request.Path))
        {
            context.Response.StatusCode = status;
            if (status == StatusCodes.Status401Unauthorized)
            {
                context.Response.Headers.WWWAuthenticate = "Bearer";
            }

            return Task.CompletedTask;
        }

        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    /// <summary><c>Authorization: Bearer jck_…</c>: the key's account, or a failure that says nothing about why.</summary>
    private sealed class ApiKeyHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyService keys)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            var header = Request.Headers.Authorization.ToString();
            if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            {
                return AuthenticateResult.NoResult();
            }

            var account = await keys.AuthenticateAsync(header["Bearer ".Length..].Trim(), Context.RequestAborted).ConfigureAwait(false);
            return account is null
                ? AuthenticateResult.Fail("The API key is unknown or revoked.")
                : AuthenticateResult.Success(new AuthenticationTicket(Principal(account, ApiKeyScheme), ApiKeyScheme));
        }

        protected override Task HandleChallengeAsync(AuthenticationProperties properties)
        {
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            Response.Headers.WWWAuthenticate = "Bearer";
            return Task.CompletedTask;
        }
    }
}

/// <summary>Reading the staff claims.</summary>
public static class StaffClaims
{
    public const string Stamp = "joecash:stamp";
    public const string Technician = "joecash:technician";
    public const string Language = "joecash:language";

    public static long? AccountId(ClaimsPrincipal? user) =>
        long.TryParse(user?.FindFirstValue(ClaimTypes.NameIdentifier), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    public static long? TechnicianId(ClaimsPrincipal? user) =>
        long.TryParse(user?.FindFirstValue(Technician), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    public static bool Dispatches(ClaimsPrincipal? user) =>
        user is not null && (user.IsInRole(nameof(StaffRole.Dispatcher)) || user.IsInRole(nameof(StaffRole.Admin)));

    /// <summary>The login (email address), as the audit's "who".</summary>
    public static string Actor(ClaimsPrincipal? user) => user?.FindFirstValue(ClaimTypes.Email) ?? "anonymous";
}

/// <summary>Which requests belong to which face.</summary>
public static class WebPaths
{
    public static bool IsApi(PathString path) => path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase);
}
