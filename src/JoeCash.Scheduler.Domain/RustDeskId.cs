namespace JoeCash.Scheduler.Domain;

/// <summary>
/// The ID a shop's till shows in RustDesk: either the numeric one RustDesk assigns (9 or 10 digits,
/// shown grouped with spaces, stored without) or a custom one (RustDesk's rule: 6–16 characters of
/// letters, digits, '_' or '-', starting with a letter).
/// </summary>
public readonly record struct RustDeskId
{
    private RustDeskId(string value) => Value = value;

    public string Value { get; }

    public bool IsNumeric => Value.All(char.IsAsciiDigit);

    /// <summary>The ID as RustDesk displays it: numeric IDs in groups of three ("732 901 938").</summary>
    public string Display => IsNumeric && Value.Length == 9
        ? $"{Value[..3]} {Value[3..6]} {Value[6..]}"
        : IsNumeric ? $"{Value[..1]} {Value[1..4]} {Value[4..7]} {Value[7..]}" : Value;

    public override string ToString() => Value;

    /// <summary>Parses an ID; empty input means "not on file" and returns null.</summary>
    public static Result<RustDeskId?> ParseOptional(string? text, string field)
    {
        var trimmed = text?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            return Result.Ok<RustDeskId?>(null);
        }

        var parsed = Parse(trimmed, field);
        return parsed.IsSuccess ? Result.Ok<RustDeskId?>(parsed.Value) : Result.Fail<RustDeskId?>(parsed.Error!);
    }

    /// <summary>An ID read back from storage, where only parsed IDs are written; a bad one is a bug, not input.</summary>
    public static RustDeskId FromStored(string stored)
    {
        var parsed = Parse(stored, "stored RustDesk ID");
        return parsed.IsSuccess ? parsed.Value : throw new InvalidOperationException(parsed.Error);
    }

    public static Result<RustDeskId> Parse(string text, string field)
    {
        var trimmed = text.Trim();
        var digits = trimmed.Replace(" ", "", StringComparison.Ordinal);
        if (digits.Length > 0 && digits.All(char.IsAsciiDigit))
        {
            return digits.Length is 9 or 10
                ? new RustDeskId(digits)
                : Result.Fail<RustDeskId>($"{field}: '{trimmed}' has {digits.Length} digits; a numeric RustDesk ID has 9 or 10.");
        }

        var validCustom = trimmed.Length is >= 6 and <= 16
            && char.IsAsciiLetter(trimmed[0])
            && trimmed.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');
        return validCustom
            ? new RustDeskId(trimmed)
            : Result.Fail<RustDeskId>(
                $"{field}: '{trimmed}' is not a RustDesk ID: use the 9- or 10-digit number RustDesk shows, or a custom ID of 6–16 letters, digits, '_' or '-' that starts with a letter.");
    }
}
