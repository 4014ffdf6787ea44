using System.Collections;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace JoeCash.Scheduler.Web.Api;

/// <summary>
/// What is wrong with a request body, in the API's own words: the field and what it must hold, or the field that does not
/// exist — never a .NET type name or a serializer's message. The bodies refuse fields they do not know
/// (<c>[JsonUnmappedMemberHandling(Disallow)]</c>), so a misspelt <c>"note"</c> is a 400, not a booking without its notes.
/// </summary>
public static class ApiBodyErrors
{
    public static string Describe(JsonException error, JsonTypeInfo body)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(body);
        if (error.InnerException is JsonException)
        {
            // The reader's own error: the text is not JSON at all (cut off, a stray comma, …).
            return $"it is not valid JSON (it breaks off at line {error.LineNumber + 1}, byte {error.BytePositionInLine + 1}).";
        }

        var type = body;
        JsonPropertyInfo? property = null;
        var field = "";
        foreach (var segment in Segments(error.Path))
        {
            if (segment is null)
            {
                // An index into a list: the list's element.
                type = type.Options.GetTypeInfo(ElementOf(type.Type));
                continue;
            }

            field = field.Length == 0 ? segment : $"{field}.{segment}";
            property = type.Kind == JsonTypeInfoKind.Object ? type.Properties.FirstOrDefault(p => p.Name == segment) : null;
            if (property is null)
            {
                return $"'{field}' is not a field of this request; its fields are {Fields(type)}.";
            }

            type = type.Options.GetTypeInfo(property.PropertyType);
        }

        return property is null
            ? $"it must be a JSON object with the fields {Fields(body)}."
            : $"'{field}' must be {Expected(type.Type)}.";
    }

    /// <summary>The names along a path such as <c>$.tags[0]</c>: "tags", then null for the index.</summary>
    private static IEnumerable<string?> Segments(string? path)
    {
        foreach (var part in (path ?? "$").TrimStart('$').Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            var bracket = part.IndexOf('[', StringComparison.Ordinal);
            yield return bracket < 0 ? part : part[..bracket];
            for (var i = bracket; i >= 0; i = part.IndexOf('[', i + 1))
            {
                yield return null;
            }
        }
    }

    private static string Fields(JsonTypeInfo type) =>
        type.Kind == JsonTypeInfoKind.Object ? string.Join(", ", type.Properties.Select(p => p.Name)) : "(none)";

    private static Type ElementOf(Type list) =>
        list.IsArray ? list.GetElementType()! : list.GetInterfaces().Append(list)
            .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0] ?? typeof(object);

    private static string Expected(Type type) => (Nullable.GetUnderlyingType(type) ?? type) switch
    {
        var t when t == typeof(string) => "a string (text in double quotes)",
        var t when t == typeof(bool) => "true or false",
        var t when t == typeof(int) || t == typeof(long) || t == typeof(short) => "a whole number",
        var t when t == typeof(decimal) || t == typeof(double) || t == typeof(float) => "a number",
        var t when t != typeof(string) && typeof(IEnumerable).IsAssignableFrom(t) => "a list ([…])",
        _ => "an object ({…})",
    };
}
