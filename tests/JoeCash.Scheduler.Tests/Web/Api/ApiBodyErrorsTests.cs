using System.Text.Json;
using JoeCash.Scheduler.Web.Api;

namespace JoeCash.Scheduler.Tests.Web.Api;

/// <summary>
/// The words a client reads for a body the API cannot take: the field as the API spells it, what it must hold, the
/// entry of a list, a name that needed quoting — never a .NET type.
/// </summary>
public sealed class ApiBodyErrorsTests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    public static TheoryData<string, string> Bookings => new()
    {
        { """{"customer":"K1","colour":"red"}""", "'colour' is not a field of this request; its fields are customer, type, technician, start, zone, notes, acknowledgeCost." },
        { """{"customer":10001}""", "'customer' must be a string (text in double quotes)." },
        // The API reads names case-blind, so the fault is the value, named as the API spells the field.
        { """{"Customer":10001}""", "'customer' must be a string (text in double quotes)." },
        { """{"acknowledgeCost":"yes"}""", "'acknowledgeCost' must be true or false." },
        { """{"opening hours":"8-18"}""", "'opening hours' is not a field of this request" },
        { """{"a.b":1}""", "'a.b' is not a field of this request" },
        { "[]", "it must be a JSON object with the fields customer, type" },
        // The last one would win unseen: K2 booked where the client meant K1, or the other way round.
        { """{"customer":"K1","type":"fault","customer":"K2"}""", "'customer' is given more than once: give it once." },
        { """{"customer":"K1","Customer":"K2"}""", "'customer' is given more than once: give it once." },
        { """{"customer":""", "it is not valid JSON (it breaks off at line 1" },
    };

    [Theory]
    [MemberData(nameof(Bookings))]
    public void A_booking_body_is_described_by_its_field(string json, string expected)
    {
        var detail = Describe<BookBody>(json, ApiEndpoints.Json);

        Assert.StartsWith(expected, detail, StringComparison.Ordinal);
        Assert.DoesNotContain("JoeCash", detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_list_entry_of_the_wrong_kind_names_the_entries_not_the_list()
    {
        Assert.Equal("each entry of 'types' must be a string (text in double quotes).", Describe<TechnicianPatch>("""{"types":["fault",5]}""", Web));
        Assert.Equal("'types' must be a list ([…]).", Describe<TechnicianPatch>("""{"types":"fault"}""", Web));
    }

    private static string Describe<T>(string json, JsonSerializerOptions options)
    {
        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<T>(json, options));
        return ApiBodyErrors.Describe(error, options.GetTypeInfo(typeof(T)));
    }
}
