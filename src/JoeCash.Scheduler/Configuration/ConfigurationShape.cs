using System.Collections;
using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace JoeCash.Scheduler.Configuration;

/// <summary>
/// Walks a configuration section against the type it binds to. The configuration binder is lenient
/// where a promise is at stake: a list item it cannot convert (<c>JOECASH_Reminders__Offsets__0=abc</c>)
/// is dropped without a word, and so is a plain value given for a list or a section, or a key that is
/// misspelt. Each of those would switch a promise off quietly; here each is a problem that names the key.
/// </summary>
public static class ConfigurationShape
{
    /// <summary>Keys read by hand rather than bound, which the walk must not call unknown.</summary>
    private static readonly HashSet<string> ReadElsewhere = new(StringComparer.OrdinalIgnoreCase) { "Mail:TemplateDirectory" };

    public static IEnumerable<string> Problems(IConfigurationSection section, Type type)
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(type);
        return Check(section, type);
    }

    private static IEnumerable<string> Check(IConfigurationSection section, Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        var children = section.GetChildren().ToList();
        if (IsScalar(type))
        {
            if (children.Count > 0)
            {
                yield return $"{section.Path} is a single value, but the configuration gives it parts ({string.Join(", ", children.Select(c => c.Path))}).";
            }
            else if (section.Value is { } value && Convert(value, type) is { } problem)
            {
                yield return $"{section.Path}: '{value}' is not {problem}.";
            }

            yield break;
        }

        if (section.Value is { Length: > 0 } plain)
        {
            var shape = ElementType(type) is not null ? $"a list: give its items as {section.Path}:0, {section.Path}:1, …" : $"a section: give its settings as {section.Path}:<name>";
            yield return $"{section.Path}: '{plain}' is a single value, but this setting is {shape}.";
            yield break;
        }

        if (ElementType(type) is { } element)
        {
            foreach (var child in children)
            {
                if (!int.TryParse(child.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                {
                    yield return $"{child.Path}: '{child.Key}' is not a list position (0, 1, 2, …).";
                    continue;
                }

                foreach (var problem in Check(child, element))
                {
                    yield return problem;
                }
            }

            yield break;
        }

        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && p.GetIndexParameters().Length == 0)
            .ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        foreach (var child in children)
        {
            if (properties.TryGetValue(child.Key, out var property))
            {
                foreach (var problem in Check(child, property.PropertyType))
                {
                    yield return problem;
                }
            }
            else if (!ReadElsewhere.Contains(child.Path))
            {
                yield return $"{child.Path} is not a setting (known under {section.Path}: {string.Join(", ", properties.Keys.Order(StringComparer.Ordinal))}).";
            }
        }
    }

    private static bool IsScalar(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan) || type == typeof(Uri);

    private static Type? ElementType(Type type) =>
        type.IsArray ? type.GetElementType()
        : type != typeof(string) && type.IsGenericType && typeof(IEnumerable).IsAssignableFrom(type) && type.GetGenericArguments().Length == 1 ? type.GetGenericArguments()[0]
        : null;

    /// <summary>Null if the value converts the way the binder converts it; otherwise what was expected.</summary>
    private static string? Convert(string value, Type type)
    {
        if (type == typeof(string))
        {
            return null;
        }

        if (type.IsEnum)
        {
            return Enum.TryParse(type, value, ignoreCase: true, out var parsed) && Enum.IsDefined(type, parsed!) && !int.TryParse(value, CultureInfo.InvariantCulture, out _)
                ? null
                : $"one of {string.Join(", ", Enum.GetNames(type))}";
        }

        try
        {
            _ = TypeDescriptor.GetConverter(type).ConvertFromInvariantString(value);
            return null;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or NotSupportedException or OverflowException || e.InnerException is FormatException or OverflowException)
        {
            return type == typeof(TimeSpan) ? "a duration such as 00:30:00 (30 minutes) or 1.00:00:00 (one day)"
                : type == typeof(bool) ? "true or false"
                : type == typeof(int) || type == typeof(long) ? "a whole number"
                : $"a valid {type.Name}";
        }
    }
}
