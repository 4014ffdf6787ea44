using System.Net;
using System.Text.Json;

namespace JoeCash.Scheduler.Tests.Web.Api;

/// <summary>The OpenAPI document is the contract: every path in it answers (no 404 for the route, no 500), every error as problem+json.</summary>
public sealed class ApiContractTests(ApiServer server) : IClassFixture<ApiServer>
{
    [Fact]
    public async Task The_document_is_anonymous_declares_bearer_and_problem_answers()
    {
        using var anonymous = server.Client();
        using var response = await anonymous.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = await Api.ReadAsync(response);
        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        Assert.Equal("http", scheme.GetProperty("type").GetString());
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());
        var book = document.GetProperty("paths").GetProperty("/api/v1/appointments").GetProperty("post");
        Assert.False(string.IsNullOrEmpty(book.GetProperty("summary").GetString()));
        Assert.True(book.GetProperty("responses").GetProperty("409").GetProperty("content").TryGetProperty("application/problem+json", out _));
    }

    [Fact]
    public async Task Every_path_in_the_document_answers_without_404_for_the_route_or_500_and_every_error_is_problem_json()
    {
        using var client = server.Client(server.DispatcherKey);
        var document = await Api.ReadAsync(await client.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative)));
        using var booked = await Api.BookAsync(client, "K10001", Api.At(9, weeksAhead: 5));
        Assert.Equal(HttpStatusCode.Created, booked.StatusCode);
        var id = (await Api.ReadAsync(booked)).GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);

        var called = new List<string>();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                var method = operation.Name.ToUpperInvariant();
                var url = path.Name.Replace("{id}", id, StringComparison.Ordinal).Replace("{number}", "K10001", StringComparison.Ordinal) + Query(path.Name, method);
                using var request = new HttpRequestMessage(new HttpMethod(method), url) { Content = Body(path.Name, method) };
                request.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
                using var response = await client.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                var status = (int)response.StatusCode;
                called.Add($"{method} {url} {status}");
                Assert.True(status < 500, $"{method} {url} answered {status}:\n{text}");
                Assert.DoesNotContain("no such API route", text, StringComparison.Ordinal);
                Assert.True(status != 405, $"{method} {url} answered 405");
                if (status >= 400)
                {
                    Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                    Assert.True(JsonDocument.Parse(text).RootElement.TryGetProperty("code", out _), text);
                }
            }
        }

        Assert.True(called.Count >= 13, string.Join("\n", called));
    }

    [Fact]
    public async Task A_body_of_the_wrong_type_is_415_naming_the_type_to_send_and_a_route_that_does_not_exist_stays_404()
    {
        using var client = server.Client(server.DispatcherKey);
        using var csvAsText = new StringContent("Kundennummer;Firma\n", System.Text.Encoding.UTF8, "text/plain");
        var import = await Api.ProblemAsync(await client.PostAsync(new Uri("/api/v1/shops/import", UriKind.Relative), csvAsText), 415, "unsupported-media-type");
        Assert.Contains("takes a body of type text/csv", import.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("'text/plain; charset=utf-8'", import.GetProperty("detail").GetString(), StringComparison.Ordinal);

        using var jsonAsForm = new FormUrlEncodedContent([new("customer", "K10001")]);
        var booking = await Api.ProblemAsync(await client.PostAsync(new Uri("/api/v1/appointments", UriKind.Relative), jsonAsForm), 415, "unsupported-media-type");
        Assert.Contains("application/json", booking.GetProperty("detail").GetString(), StringComparison.Ordinal);

        await Api.ProblemAsync(await client.PostAsync(new Uri("/api/v1/no-such-thing", UriKind.Relative), Api.Json(new { })), 404, "not-found");
        var dotted = await Api.ProblemAsync(await client.GetAsync(new Uri("/api/v1/shops.csv", UriKind.Relative)), 404, "not-found");
        Assert.Contains("no such API route", dotted.GetProperty("detail").GetString(), StringComparison.Ordinal);
        using var notAnId = new HttpRequestMessage(HttpMethod.Patch, "/api/v1/technicians/abc") { Content = Api.Json(new { name = "Lea" }) };
        var technician = await Api.ProblemAsync(await client.SendAsync(notAnId), 404, "not-found");
        Assert.Equal(
            "The {id} in PATCH /api/v1/technicians/{id} is a whole number; 'abc' is not one, so there is nothing with that id.",
            technician.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("GET", "/api/v1/appointments/abc", "The {id} in GET /api/v1/appointments/{id} is a whole number; 'abc' is not one")]
    [InlineData("DELETE", "/api/v1/appointments/1.5", "The {id} in DELETE /api/v1/appointments/{id} is a whole number; '1.5' is not one")]
    [InlineData("GET", "/api/v1/appointments/99999999999999999999", "'99999999999999999999' is not one")]
    [InlineData("GET", "/api/v1/technicians/x%20y", "The {id} in GET /api/v1/technicians/{id} is a whole number; 'x y' is not one")]
    public async Task An_id_in_the_path_that_is_not_a_whole_number_is_named_not_called_a_missing_route(string method, string path, string detail)
    {
        using var client = server.Client(server.DispatcherKey);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        var problem = await Api.ProblemAsync(await client.SendAsync(request), 404, "not-found");
        Assert.Contains(detail, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("no such API route", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private static string Query(string path, string method) => (path, method) switch
    {
        ("/api/v1/slots", _) => "?type=fault&days=3",
        ("/api/v1/appointments", "GET") => "?technician=1",
        ("/api/v1/shops", _) => "?limit=2",
        ("/api/v1/outbox", _) => "?status=sent",
        ("/api/v1/shops/import", _) => "?dryRun=true",
        ("/api/v1/shops/{number}", "PUT") => "?dryRun=true",
        _ => "",
    };

    private static StringContent? Body(string path, string method) => (path, method) switch
    {
        ("/api/v1/appointments", "POST") => Api.Json(new { customer = "K10001", type = "fault", start = Api.At(15, weeksAhead: 5) }),
        ("/api/v1/appointments/{id}/time", _) => Api.Json(new { start = Api.At(11, weeksAhead: 5) }),
        ("/api/v1/shops/{number}", "PUT") => Api.Json(new { city = "München" }),
        ("/api/v1/technicians/{id}", "PATCH") => Api.Json(new { name = "Lea Schmitt" }),
        ("/api/v1/shops/import", _) => new StringContent("Kundennummer;Firma\n", System.Text.Encoding.UTF8, "text/csv"),
        _ => null,
    };
}
