using System.Net.Mail;

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

        var bad = normalised.IndexOfAny(ControlCharactersExcept('\n'));
        return bad >= 0
            ? Result.Fail<string?>($"{field} contains a control character (U+{(int)normalised[bad]:X4}) at position {bad + 1}.")
            : Result.Ok<string?>(normalised);
    }

    /// <summary>An email address: a bare addr-spec such as <c>name@shop.example</c>, nothing else.</summary>
    public static Result<string> Email(string? value, string field)
    {
        var text = Required(value, field, 254);
        if (!text.IsSuccess)
        {
            return text;
        }

        var candidate = text.Value;
        var at = candidate.LastIndexOf('@');
        var valid = at > 0
            && at < candidate.Length - 1
            && !candidate.Any(c => char.IsWhiteSpace(c) || c is '<' or '>' or ',' or ';' or '"' or '(' or ')')
            && candidate[(at + 1)..].Contains('.', StringComparison.Ordinal)
            && !candidate[(at + 1)..].StartsWith('.')
            && !candidate.EndsWith('.')
            && MailAddress.TryCreate(candidate, out var parsed)
            && string.Equals(parsed.Address, candidate, StringComparison.Ordinal);
        return valid
            ? candidate.ToLowerInvariant()
            : Result.Fail<string>($"{field}: '{candidate}' is not a valid email address.");
    }

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

        var bad = value.IndexOfAny(ControlCharactersExcept());
        return bad >= 0
            ? Result.Fail<string>($"{field} contains a control character (U+{(int)value[bad]:X4}) at position {bad + 1}; line breaks and control characters are not allowed here.")
            : value;
    }

    private static char[] ControlCharactersExcept(params char[] allowed) =>
        [.. Enumerable.Range(0, 0x20).Select(i => (char)i).Concat([(char)0x7F, '\u2028', '\u2029']).Except(allowed)];
}
