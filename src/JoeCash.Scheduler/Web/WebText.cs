using System.Collections.Frozen;
using System.Reflection;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace JoeCash.Scheduler.Web;

/// <summary>
/// The pages' words in German and English, from <c>Web/Texts/de.json</c> and <c>en.json</c> (embedded; a test
/// checks both have the same keys). A key missing at run time shows as the key, never as an empty label.
/// </summary>
public sealed class WebText
{
    public static readonly IReadOnlyList<string> Languages = ["de", "en"];

    private readonly FrozenDictionary<string, FrozenDictionary<string, string>> _texts;

    public WebText()
    {
        var assembly = typeof(WebText).Assembly;
        _texts = Languages.ToFrozenDictionary(language => language, language => Load(assembly, language));
    }

    /// <summary>The keys of one language: what the test compares.</summary>
    public IEnumerable<string> Keys(string language) => _texts[language].Keys;

    public string Get(string language, string key) =>
        _texts.TryGetValue(language, out var texts) && texts.TryGetValue(key, out var text) ? text : key;

    /// <summary>
    /// The account's choice if it made one, else the first of German or English the browser asks for, else German
    /// (the product's first language).
    /// </summary>
    public static string LanguageOf(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.User.FindFirstValue(StaffClaims.Language) is { } chosen && Languages.Contains(chosen))
        {
            return chosen;
        }

        if (StringWithQualityHeaderValue.TryParseList(context.Request.Headers.AcceptLanguage, out var asked))
        {
            foreach (var language in asked.OrderByDescending(a => a.Quality ?? 1))
            {
                var code = language.Value.Value?.Split('-')[0].ToLowerInvariant();
                if (code is not null && Languages.Contains(code))
                {
                    return code;
                }
            }
        }

        return "de";
    }

    private static FrozenDictionary<string, string> Load(Assembly assembly, string language)
    {
        using var stream = assembly.GetManifestResourceStream($"web/texts/{language}.json")
            ?? throw new InvalidOperationException($"The page texts for '{language}' are missing from the build.");
        return (JsonSerializer.Deserialize<Dictionary<string, string>>(stream) ?? []).ToFrozenDictionary(StringComparer.Ordinal);
    }
}
