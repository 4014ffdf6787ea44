using System.Collections;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace JoeCash.Scheduler.Web.Api;

/// <summary>
/// What is wrong with a request body, in the API's own words: the field and what it must hold, or the field that does not
/// exist — never a .NET type name or a serializer's message. The bodies refuse fields they do not know
/// (<c>[JsonUnmappedMemberHandling(Disallow)]</c>), so a misspelt <c>"note"</c> is a 400, not a booking without its notes,
/// and a field given twice, so that the last one does not win unseen.
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
                // An index into a list: the list's entry ("types[1]").
                field += "[…]";
                type = type.Options.GetTypeInfo(ElementOf(type.Type));
                continue;
            }

            var comparison = type.Options.PropertyNameCaseInsensitive ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
            property = type.Kind == JsonTypeInfoKind.Object ? type.Properties.FirstOrDefault(p => string.Equals(p.Name, segment, comparison)) : null;
            if (property is null)
            {
                return $"'{Joined(field, segment)}' is not a field of this request; its fields are {Fields(type)}.";
            }

            field = Joined(field, property.Name);
            type = type.Options.GetTypeInfo(property.PropertyType);
        }

        if (property is not null && error.Message.StartsWith("Duplicate property", StringComparison.Ordinal))
        {
            // AllowDuplicateProperties = false (WebHost): {"customer":"K1", …, "customer":"K2"} would otherwise book for K2.
            return $"'{field}' is given more than once: give it once.";
        }

        return property is null
            ? $"it must be a JSON object with the fields {Fields(body)}."
            : field.EndsWith(']') ? $"each entry of '{field[..^3]}' must be {Expected(type.Type)}." : $"'{field}' must be {Expected(type.Type)}.";
    }

    private static string Joined(string field, string name) => field.Length == 0 ? name : $"{field}.{name}";

    /// <summary>
    /// The names along a path as System.Text.Json writes it: <c>$.tags[0]</c> gives "tags", then null for the index;
    /// a name it had to quote (<c>$['opening hours']</c>) comes out whole.
    /// </summary>
    private static IEnumerable<string?> Segments(string? path)
    {
        var text = path ?? "$";
        var i = text.StartsWith('$') ? 1 : 0;
        while (i < text.Length)
        {
            if (text[i] == '.')
            {
                var end = text.IndexOfAny(['.', '['], i + 1);
                end = end < 0 ? text.Length : end;
                yield return text[(i + 1)..end];
                i = end;
            }
            else if (text.AsSpan(i).StartsWith("['"))
            {
                var name = new System.Text.StringBuilder();
                var j = i + 2;
                for (; j < text.Length && !(text[j] == '\'' && (j + 1 == text.Length || text[j + 1] == ']')); j++)
                {
                    // Inside the quotes a quote is escaped as \'.
                    name.Append(text[j] == '\\' && j + 1 < text.Length ? text[++j] : text[j]);
                }

                yield return name.ToString();
                i = Math.Min(j + 2, text.Length);
            }
            else if (text[i] == '[')
            {
                var end = text.IndexOf(']', i);
                yield return null;
                i = end < 0 ? text.Length : end + 1;
            }
            else
            {
                i++;
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
