using System.Net;
using System.Text;

namespace JoeCash.Scheduler.Tests.Web.Api;

/// <summary>
/// A body the API cannot take — a field it does not know (a typo), a value of the wrong kind, not JSON, nothing — is a 400
/// that names the field and what it must hold, in the API's words, and changes nothing: a misspelt "note" never books the
/// appointment without its notes.
/// </summary>
public sealed class ApiBodyTests(ApiServer server) : IClassFixture<ApiServer>
{
    [Fact]
    public async Task A_booking_with_an_unknown_field_or_a_value_of_the_wrong_kind_is_refused_naming_the_field_and_books_nothing()
    {
        using var client = server.Client(server.DispatcherKey);
        var start = Api.At(10, weeksAhead: 5);

        var typo = await RefusedAsync(client.PostAsync(Appointments, Raw($$"""{"customer":"K10001","type":"fault","start":"{{start}}","note":"Kasse 2 zuerst"}""")));
        Assert.Contains("'note' is not a field of this request", typo, StringComparison.Ordinal);
        Assert.Contains("notes", typo, StringComparison.Ordinal);

        var number = await RefusedAsync(client.PostAsync(Appointments, Raw($$"""{"customer":10001,"type":"fault","start":"{{start}}"}""")));
        Assert.Contains("'customer' must be a string", number, StringComparison.Ordinal);

        var yes = await RefusedAsync(client.PostAsync(Appointments, Raw($$"""{"customer":"K10001","type":"fault","start":"{{start}}","acknowledgeCost":"yes"}""")));
        Assert.Contains("'acknowledgeCost' must be true or false", yes, StringComparison.Ordinal);

        var list = await RefusedAsync(client.PostAsync(Appointments, Raw("[]")));
        Assert.Contains("must be a JSON object with the fields customer, type", list, StringComparison.Ordinal);

        var twice = await RefusedAsync(client.PostAsync(Appointments, Raw($$"""{"customer":"K10001","type":"fault","start":"{{start}}","customer":"K10002"}""")));
        Assert.Contains("'customer' is given more than once: give it once.", twice, StringComparison.Ordinal);

        var cut = await RefusedAsync(client.PostAsync(Appointments, Raw("""{"customer":""")));
        Assert.Contains("not valid JSON", cut, StringComparison.Ordinal);

        // None of them took the slot: the same booking, spelt right, is the first there.
        using var booked = await Api.BookAsync(client, "K10001", start);
        Assert.Equal(HttpStatusCode.Created, booked.StatusCode);
    }

    [Fact]
    public async Task A_move_a_shop_or_a_technician_change_the_endpoint_cannot_read_is_refused_naming_the_field_and_changes_nothing()
    {
        using var client = server.Client(server.DispatcherKey);
        using var booked = await Api.BookAsync(client, "K10004", Api.At(11, weeksAhead: 6));
        Assert.Equal(HttpStatusCode.Created, booked.StatusCode);
        var time = new Uri(booked.Headers.Location + "/time", UriKind.Relative);
        var before = await (await client.GetAsync(booked.Headers.Location)).Content.ReadAsStringAsync();

        Assert.Contains("'start' must be a string", await RefusedAsync(MoveAsync(client, time, """{"start":123}""")), StringComparison.Ordinal);
        var unknown = await RefusedAsync(MoveAsync(client, time, $$"""{"start":"{{Api.At(14, weeksAhead: 6)}}","when":"später"}"""));
        Assert.Contains("'when' is not a field of this request; its fields are start, technician, zone", unknown, StringComparison.Ordinal);
        Assert.Contains("The body is empty or null", await RefusedAsync(MoveAsync(client, time, "")), StringComparison.Ordinal);
        Assert.Contains("The body is empty or null", await RefusedAsync(MoveAsync(client, time, "null")), StringComparison.Ordinal);
        Assert.Equal(before, await (await client.GetAsync(booked.Headers.Location)).Content.ReadAsStringAsync());
        // The request log tells the same as the answer (the refusal is thrown past it to the handler).
        Assert.Contains("HTTP PUT /api/v1/appointments/{id:long}/time 400", server.Web.Log, StringComparison.Ordinal);
        Assert.DoesNotContain("HTTP PUT /api/v1/appointments/{id:long}/time 200", server.Web.Log, StringComparison.Ordinal);

        var shop = new Uri("/api/v1/shops/K10004", UriKind.Relative);
        var stored = await (await client.GetAsync(shop)).Content.ReadAsStringAsync();
        Assert.Contains("'fone' is not a field", await RefusedAsync(client.PutAsync(shop, Raw("""{"phone":"+49 30 3333","fone":"+49 30 4444"}"""))), StringComparison.Ordinal);
        Assert.Contains("'supportContract' must be true or false", await RefusedAsync(client.PutAsync(shop, Raw("""{"supportContract":"ja"}"""))), StringComparison.Ordinal);
        Assert.Contains("dryRun: 'maybe' must be true or false",
            await RefusedAsync(client.PutAsync(new Uri("/api/v1/shops/K10004?dryRun=maybe", UriKind.Relative), Raw("""{"phone":"+49 30 3333"}"""))), StringComparison.Ordinal);
        Assert.Equal(stored, await (await client.GetAsync(shop)).Content.ReadAsStringAsync());

        var technician = new Uri("/api/v1/technicians/1", UriKind.Relative);
        var anna = await (await client.GetAsync(technician)).Content.ReadAsStringAsync();
        using var patch = new HttpRequestMessage(HttpMethod.Patch, technician) { Content = Raw("""{"nmae":"Anna Schmidt"}""") };
        patch.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        Assert.Contains("'nmae' is not a field of this request; its fields are name, email", await RefusedAsync(client.SendAsync(patch)), StringComparison.Ordinal);
        using var twice = new HttpRequestMessage(HttpMethod.Patch, technician) { Content = Raw("""{"name":"Anna Schmidt","name":"Anna Berger"}""") };
        twice.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        Assert.Contains("'name' is given more than once: give it once.", await RefusedAsync(client.SendAsync(twice)), StringComparison.Ordinal);
        using var unsure = new HttpRequestMessage(HttpMethod.Patch, new Uri("/api/v1/technicians/1?keep=maybe", UriKind.Relative)) { Content = Raw("""{"name":"Anna Schmidt"}""") };
        unsure.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        Assert.Contains("keep: 'maybe' must be true or false", await RefusedAsync(client.SendAsync(unsure)), StringComparison.Ordinal);
        Assert.Equal(anna, await (await client.GetAsync(technician)).Content.ReadAsStringAsync());
    }

    private static readonly Uri Appointments = new("/api/v1/appointments", UriKind.Relative);

    private static StringContent Raw(string json) => new(json, Encoding.UTF8, "application/json");

    private static Task<HttpResponseMessage> MoveAsync(HttpClient client, Uri time, string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, time) { Content = Raw(json) };
        request.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        return client.SendAsync(request);
    }

    /// <summary>The 400's detail, checked to speak of the request, not of the service's code.</summary>
    private static async Task<string> RefusedAsync(Task<HttpResponseMessage> sending)
    {
        using var response = await sending;
        var problem = await Api.ProblemAsync(response, 400, "bad-input");
        var detail = problem.GetProperty("detail").GetString() ?? "";
        Assert.DoesNotContain("JoeCash", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("Body", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("parameter", detail, StringComparison.Ordinal);
        return detail;
    }
}
