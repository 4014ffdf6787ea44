namespace JoeCash.Scheduler.Domain;

/// <summary>The language a customer reads: German by default, English on request.</summary>
public enum Language
{
    De,
    En,
}

/// <summary>Parsing of language codes.</summary>
public static class Languages
{
    public static Result<Language> Parse(string? text, string field) =>
        (text?.Trim().ToLowerInvariant()) switch
        {
            "" or null or "de" or "deutsch" or "german" => Language.De,
            "en" or "englisch" or "english" => Language.En,
            _ => Result.Fail<Language>($"{field}: '{text}' is not a supported language (de or en)."),
        };

    public static string Code(this Language language) => language == Language.En ? "en" : "de";
}
