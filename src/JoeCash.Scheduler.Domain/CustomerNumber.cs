namespace JoeCash.Scheduler.Domain;

/// <summary>
/// The rule for customer numbers (Kundennummern), in one place: case does not matter (<c>k10001</c> is
/// <c>K10001</c>, stored upper case), and only letters A–Z, digits and, after the first character,
/// '.', '_' or '-' are allowed, at most 32. A number ends up in file names, spreadsheets and emails, so
/// nothing that a spreadsheet would run as a formula (<c>=</c>, <c>+</c>, <c>@</c>) or a path could climb with.
/// </summary>
public static class CustomerNumber
{
    public const int MaxLength = 32;

    /// <summary>The number in its one stored form (trimmed, upper case), or why it is not one.</summary>
    public static Result<string> Parse(string? text, string field)
    {
        var trimmed = text?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            return Result.Fail<string>($"{field} is required.");
        }

        if (trimmed.Length > MaxLength)
        {
            return Result.Fail<string>($"{field}: '{UserText.Shown(trimmed, 40)}' is {trimmed.Length} characters long; a customer number has at most {MaxLength}.");
        }

        for (var i = 0; i < trimmed.Length; i++)
        {
            var c = trimmed[i];
            // ASCII only, checked before upper-casing: 'ı'.ToUpperInvariant() is 'I', and two spellings must never meet in one number.
            if (!(char.IsAsciiLetterOrDigit(c) || (i > 0 && c is '.' or '_' or '-')))
            {
                return Result.Fail<string>(
                    $"{field}: '{UserText.Shown(trimmed, 40)}' is not a customer number: {Describe(c)} at position {i + 1}. Use letters A–Z and digits, and after the first character also '.', '_' or '-' (e.g. K10001).");
            }
        }

        return trimmed.ToUpperInvariant();
    }

    private static string Describe(char c) =>
        c == ' ' ? "a space"
        : char.IsControl(c) || char.IsWhiteSpace(c) || char.IsSurrogate(c) ? $"U+{(int)c:X4}"
        : $"'{c}'";
}
