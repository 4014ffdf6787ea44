using System.Globalization;

namespace JoeCash.Scheduler.Domain;

/// <summary>
/// Checks for free text that ends up in emails, calendar files and tables: no control characters
/// (so a name can never start a new mail header or iCalendar line) and a sane length.
/// </summary>
public static class UserText
{
    /// <summary>A required single-line field: trimmed, not empty, no control characters, at most <paramref name="maxLength"/>.</summary>
    public static Result<string> Required(string? value, string field, int maxLength)
    {
        var trimmed = value?.Trim() ?? "";
        return trimmed.Length == 0
            ? Result.Fail<string>($"{field} is required.")
            : SingleLine(trimmed, field, maxLength);
    }

    /// <summary>An optional single-line field: empty becomes null.</summary>
    public static Result<string?> Optional(string? value, string field, int maxLength)
    {
        var trimmed = value?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            return Result.Ok<string?>(null);
        }

        var checkedText = SingleLine(trimmed, field, maxLength);
        return checkedText.IsSuccess ? Result.Ok<string?>(checkedText.Value) : Result.Fail<string?>(checkedText.Error!);
    }

    /// <summary>An optional multi-line note: line breaks allowed (normalised to LF), other control characters not.</summary>
    public static Result<string?> Note(string? value, string field, int maxLength)
    {
        var normalised = (value ?? "").Replace("\r\n", "\n", StringComparison.Ordinal).Trim();
        if (normalised.Length == 0)
        {
            return Result.Ok<string?>(null);
        }

        if (normalised.Length > maxLength)
        {
            return Result.Fail<string?>($"{field} is {normalised.Length} characters long; at most {maxLength} are allowed.");
        }

        var bad = IndexOfForbidden(normalised, allowLineFeed: true);
        return bad >= 0
            ? Result.Fail<string?>($"{field} contains an invisible control or format character (U+{(int)normalised[bad]:X4}) at position {bad + 1}.")
            : Result.Ok<string?>(normalised);
    }

    /// <summary>An email address under the program's one address rule (<see cref="EmailAddress"/>), stored in lower case.</summary>
    public static Result<string> Email(string? value, string field)
    {
        var address = EmailAddress.Parse(value, field);
        return address.IsSuccess ? address.Value.ToLowerInvariant() : address;
    }

    /// <summary>
    /// True for characters no user text may hold: C0 and C1 controls (NEL, U+0085, is a line break to
    /// many tools), DEL, the Unicode line and paragraph separators, format characters (bidi overrides,
    /// zero-width characters, soft hyphens) and lone surrogates.
    /// </summary>
    public static bool IsForbidden(char c) =>
        char.GetUnicodeCategory(c) is UnicodeCategory.Control or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
            or UnicodeCategory.Format or UnicodeCategory.Surrogate;

    /// <summary>Text quoted back in a message: control characters shown as '?', cut to <paramref name="maxLength"/> with '…', so the message stays one line.</summary>
    public static string Shown(string text, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        var safe = string.Concat(text.Select(c => char.IsControl(c) || c is '\u2028' or '\u2029' ? '?' : c));
        return safe.Length <= maxLength ? safe : string.Concat(safe.AsSpan(0, maxLength), "…");
    }

    private static Result<string> SingleLine(string value, string field, int maxLength)
    {
        if (value.Length > maxLength)
        {
            return Result.Fail<string>($"{field} is {value.Length} characters long; at most {maxLength} are allowed.");
        }

        var bad = IndexOfForbidden(value, allowLineFeed: false);
        return bad >= 0
            ? Result.Fail<string>($"{field} contains an invisible control or format character (U+{(int)value[bad]:X4}) at position {bad + 1}; line breaks and control characters are not allowed here.")
            : value;
    }

    /// <summary>Where the first control or format character is (a valid surrogate pair is a character, not two), or -1.</summary>
    internal static int IndexOfForbidden(string text, bool allowLineFeed)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (IsForbidden(c) && !(allowLineFeed && c == '\n') && !IsSurrogatePair(text, i))
            {
                return i;
            }

            if (IsSurrogatePair(text, i))
            {
                i++;
            }
        }

        return -1;
    }

    private static bool IsSurrogatePair(string text, int i) =>
        i + 1 < text.Length && char.IsHighSurrogate(text[i]) && char.IsLowSurrogate(text[i + 1]);
}
