using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using JoeCash.Scheduler.Tests.Infrastructure;

namespace JoeCash.Scheduler.Tests.Web.Api;

/// <summary>One real <c>serve --demo</c> per test class, with API keys for the dispatcher and two technicians.</summary>
public sealed class ApiServer : IAsyncLifetime
{
    public WebServer Web { get; private set; } = null!;

    public string DispatcherKey { get; private set; } = "";

    public string AnnaKey { get; private set; } = "";

    public string JonasKey { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        Web = await WebServer.StartAsync();
        DispatcherKey = await KeyAsync(WebServer.Dispatcher);
        AnnaKey = await KeyAsync(WebServer.Anna);
        JonasKey = await KeyAsync(WebServer.Jonas);
    }

    public async ValueTask DisposeAsync() => await Web.DisposeAsync();

    private async Task<string> KeyAsync(string login)
    {
        var created = await Web.Cli.RunAsync("staff", "api-key", "add", login, "--name", "tests", "--json");
        Assert.True(created.ExitCode == 0, created.ToString());
        return created.Json.GetProperty("key").GetString()!;
    }

    /// <summary>A client that sends <paramref name="key"/> as Bearer (none: anonymous).</summary>
    public HttpClient Client(string? key = null)
    {
        var client = new HttpClient { BaseAddress = Web.Address, Timeout = TimeSpan.FromSeconds(30) };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }
}

/// <summary>Requests and answers of the API, as a script sends and reads them.</summary>
internal static class Api
{
    public static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Asserts an RFC 9457 answer with <paramref name="status"/> (and <paramref name="code"/>, if given); returns its body.</summary>
    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, int status, string? code = null)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}, not {status}:\n{body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement.Clone();
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        var actual = problem.GetProperty("code").GetString();
        Assert.Equal("urn:joecash:problem:" + actual, problem.GetProperty("type").GetString());
        if (code is not null)
        {
            Assert.Equal(code, actual);
        }

        return problem;
    }

    /// <summary>Books through the API; returns the answer.</summary>
    public static Task<HttpResponseMessage> BookAsync(HttpClient client, string customer, string start, string? technician = null, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/appointments")
        {
            Content = Json(new { customer, type = "fault", technician, start }),
        };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return client.SendAsync(request);
    }

    /// <summary>"2026-12-22T10:00" on a working Tuesday some weeks ahead (Berlin time).</summary>
    public static string At(int hour, int weeksAhead = 3, int minute = 0) =>
        $"{CliDates.WorkingTuesday(weeksAhead).Text()}T{hour:00}:{minute:00}";
}
