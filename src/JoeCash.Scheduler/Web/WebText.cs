using System.Collections.Frozen;
using System.Reflection;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace JoeCash.Scheduler.Web;

/// <summary>
/// The pages' words in German and English, from <c>Web/Texts/*.de.json</c> and <c>*.en.json</c> (embedded, one
/// pair per area of the site; a test checks both languages have the same keys and no key is defined twice). A key
/// missing at run time shows as the key, never as an empty label.
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
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        var files = assembly.GetManifestResourceNames().Where(n => n.StartsWith("web/texts/", StringComparison.Ordinal) && n.EndsWith($".{language}.json", StringComparison.Ordinal));
        foreach (var file in files)
        {
            using var stream = assembly.GetManifestResourceStream(file)!;
            foreach (var (key, text) in JsonSerializer.Deserialize<Dictionary<string, string>>(stream) ?? [])
            {
                if (!texts.TryAdd(key, text))
                {
                    throw new InvalidOperationException($"The page text '{key}' is defined twice ({file} and another {language} file).");
                }
            }
        }

        return texts.Count > 0 ? texts.ToFrozenDictionary(StringComparer.Ordinal) : throw new InvalidOperationException($"The page texts for '{language}' are missing from the build.");
    }
}
