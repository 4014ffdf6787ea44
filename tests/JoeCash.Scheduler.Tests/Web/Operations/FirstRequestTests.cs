using System.Net;
using JoeCash.Scheduler.Tests.Infrastructure;
using JoeCash.Scheduler.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace JoeCash.Scheduler.Tests.Web.Operations;

/// <summary>
/// <c>serve</c> builds its pages, API and endpoints on the first request and reads its signing keys when the first
/// cookie needs them, not at start: the requests that arrive together right after the start, before anything was built,
/// all get their answers, and signing in then works as always.
/// </summary>
public sealed class FirstRequestTests
{
    [Fact]
    public async Task Requests_arriving_together_first_after_the_start_all_get_their_answers()
    {
        await using var server = await WebServer.StartAsync();
        // Data protection's key ring (key-*.xml beside the shop links' key): written when the first cookie needs it.
        var keys = Path.Combine(Path.GetDirectoryName(server.DatabasePath)!, "keys");
        Assert.Empty(Directory.GetFiles(keys, "key-*.xml"));

        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.Address };
        (string Path, HttpStatusCode Status)[] expected =
        [
            ("/health/live", HttpStatusCode.OK),
            ("/sign-in", HttpStatusCode.OK),
            ("/static/site.css", HttpStatusCode.OK),
            ("/openapi/v1.json", HttpStatusCode.OK),
            ("/api/v1/appointments", HttpStatusCode.Unauthorized),
            ("/api/v1/no-such-thing", HttpStatusCode.Unauthorized),
            ("/dispatch", HttpStatusCode.Redirect),
        ];
        var all = Enumerable.Range(0, 4).SelectMany(_ => expected).ToList();
        var answers = await Task.WhenAll(all.Select(async request =>
        {
            using var response = await client.GetAsync(new Uri(request.Path, UriKind.Relative));
            return (request.Path, response.StatusCode, Location: response.Headers.Location?.ToString());
        }));

        for (var i = 0; i < all.Count; i++)
        {
            Assert.True(answers[i].StatusCode == all[i].Status, $"{all[i].Path}: {(int)answers[i].StatusCode}, expected {(int)all[i].Status}\n{server.Log}");
        }

        Assert.All(answers.Where(a => a.Path == "/dispatch"), a => Assert.Contains("/sign-in?ReturnUrl=%2Fdispatch", a.Location, StringComparison.Ordinal));
        using var signedIn = await server.SignedInAsync(WebServer.Dispatcher);
        Assert.NotEmpty(Directory.GetFiles(keys, "key-*.xml"));
    }

    [Fact]
    public void The_pipeline_marks_its_own_sign_in_middleware_with_the_names_ASP_NET_Core_uses()
    {
        // WebApplication adds authentication, authorization and antiforgery in front of a pipeline that lacks these marks;
        // serve's pipeline, built on the first request, sets them by name (WebHost.MiddlewareMarks).
        using var services = new ServiceCollection().AddLogging().AddAntiforgery().AddAuthorization().AddAuthentication().Services.BuildServiceProvider();
        var builder = new ApplicationBuilder(services);

        builder.UseAuthentication().UseAuthorization().UseAntiforgery();

        var marks = builder.Properties.Keys.Where(k => k.StartsWith("__", StringComparison.Ordinal)).Order(StringComparer.Ordinal);
        Assert.Equal(WebHost.MiddlewareMarks.Order(StringComparer.Ordinal), marks);
    }
}
