using System.Globalization;

namespace JoeCash.Scheduler.Domain;

/// <summary>
/// The one address rule of the program: an address it accepts can always be written as a MIME
/// mailbox, as an SMTP envelope recipient, and as a <c>mailto:</c> URI in an iCalendar ATTENDEE
/// without escaping (RFC 6068 needs none for the characters allowed here).
/// </summary>
/// <remarks>
/// RFC 5322 allows more in a local part (<c>#%&amp;/=?^`{|}</c>, quoted strings, IP literals as the
/// domain). Those forms must be percent-encoded in a mailto URI, calendar clients compare ATTENDEE
/// addresses without decoding, and <c>%</c> is an old source-routing trick; no shop needs them, so
/// they are refused at the door instead of breaking an invitation later. A domain in Unicode
/// (<c>bäckerei-müller.de</c>) is kept in its ASCII form (<c>xn--bckerei-mller-bfb28a.de</c>), which every
/// mail server and calendar understands.
/// </remarks>
public static class EmailAddress
{
    /// <summary>Characters a local part may hold besides letters, digits and single dots.</summary>
    public const string LocalPartSymbols = "!$'*+-_~";

    private const int MaxLocalPart = 64;
    private const int MaxLength = 254;

    private static readonly IdnMapping Idn = new() { UseStd3AsciiRules = true };

    /// <summary>Checks <paramref name="value"/> and returns it in the form that is stored: local part as typed, domain in lower-case ASCII.</summary>
    public static Result<string> Parse(string? value, string field)
    {
        var text = (value ?? "").Trim();
        if (text.Length == 0)
        {
            return Result.Fail<string>($"{field} is required.");
        }

        var shown = Printable(text);
        if (text.Length > MaxLength)
        {
            return Result.Fail<string>($"{field}: '{shown}' is {text.Length} characters long; an address has at most {MaxLength}.");
        }

        // A line break or another control character first: wherever it is, it is the fault to point at.
        if (UserText.IndexOfForbidden(text, allowLineFeed: false) is var bad and >= 0)
        {
            return Result.Fail<string>($"{field}: '{shown}' contains {Describe(text[bad])} at position {bad + 1}; an address has no line breaks or control characters.");
        }

        var at = text.LastIndexOf('@');
        if (at <= 0 || at == text.Length - 1)
        {
            return Result.Fail<string>($"{field}: '{shown}' is not an email address (expected name@domain, e.g. kasse@baeckerei-mueller.de).");
        }

        if (text.IndexOf('@', StringComparison.Ordinal) != at)
        {
            return Result.Fail<string>($"{field}: '{shown}' contains more than one @; an address has exactly one (name@domain, e.g. kasse@baeckerei-mueller.de).");
        }

        var local = text[..at];
        if (CheckLocalPart(local, field, shown) is { } localError)
        {
            return Result.Fail<string>(localError);
        }

        var domain = CheckDomain(text[(at + 1)..], field, shown);
        if (!domain.IsSuccess)
        {
            return domain;
        }

        var address = local + "@" + domain.Value;
        return address.Length > MaxLength
            ? Result.Fail<string>($"{field}: '{shown}' is {address.Length} characters long; an address has at most {MaxLength}.")
            : address;
    }

    private static string? CheckLocalPart(string local, string field, string shown)
    {
        if (local.Length > MaxLocalPart)
        {
            return $"{field}: the part before the @ in '{shown}' is {local.Length} characters long; at most {MaxLocalPart} are allowed.";
        }

        for (var i = 0; i < local.Length; i++)
        {
            var c = local[i];
            if (char.IsAsciiLetterOrDigit(c) || LocalPartSymbols.Contains(c, StringComparison.Ordinal))
            {
                continue;
            }

            if (c == '.')
            {
                if (i == 0 || i == local.Length - 1 || local[i - 1] == '.')
                {
                    return $"{field}: '{shown}' has a dot at the start, at the end or twice in a row before the @.";
                }

                continue;
            }

            return $"{field}: '{shown}' contains {Describe(c)} at position {i + 1}; before the @ an address may use letters a–z, digits, dots and {LocalPartSymbols}.";
        }

        return null;
    }

    private static Result<string> CheckDomain(string domain, string field, string shown)
    {
        if (domain.StartsWith('[') || domain.All(c => char.IsAsciiDigit(c) || c == '.'))
        {
            return Result.Fail<string>($"{field}: '{shown}' names an IP address instead of a domain; use the shop's mail domain.");
        }

        if (domain.Split('.').Any(label => label.Length == 0))
        {
            return Result.Fail<string>($"{field}: '{Printable(domain)}' in '{shown}' is not a valid domain name: it has an empty part between dots, or a dot at its start or end.");
        }

        if (domain.Split('.').FirstOrDefault(label => label.All(char.IsAscii) && !IsHostLabel(label)) is { } badLabel)
        {
            return Result.Fail<string>($"{field}: '{Printable(badLabel)}' in the domain of '{shown}' is not a valid part of a domain name (letters, digits and hyphens; no hyphen at its start or end).");
        }

        string ascii;
        try
        {
            ascii = Idn.GetAscii(domain).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            return Result.Fail<string>($"{field}: '{Printable(domain)}' in '{shown}' is not a valid domain name (letters, digits and hyphens between dots; no hyphen at the start or end of a part).");
        }

        var labels = ascii.Split('.');
        if (labels.Length < 2)
        {
            return Result.Fail<string>($"{field}: the domain of '{shown}' has no dot; a full domain such as shop.de is needed.");
        }

        foreach (var label in labels)
        {
            if (!IsHostLabel(label))
            {
                return Result.Fail<string>($"{field}: '{Printable(label)}' in the domain of '{shown}' is not a valid part of a domain name (letters, digits and hyphens; no hyphen at its start or end).");
            }
        }

        var top = labels[^1];
        return top.All(char.IsAsciiLetter) || top.StartsWith("xn--", StringComparison.Ordinal)
            ? ascii
            : Result.Fail<string>($"{field}: '{shown}' ends in '.{top}', which is not a top-level domain.");
    }

    private static bool IsHostLabel(string label) =>
        label.Length is > 0 and <= 63
        && char.IsAsciiLetterOrDigit(label[0])
        && char.IsAsciiLetterOrDigit(label[^1])
        && label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    private static string Describe(char c) =>
        char.IsControl(c) || char.IsWhiteSpace(c) || c > '~'
            ? $"the character U+{(int)c:X4}"
            : $"'{c}'";

    /// <summary>The value as it may be echoed in a message: control and format characters shown as code points.</summary>
    private static string Printable(string text) =>
        string.Concat(text.Select(c => UserText.IsForbidden(c) ? $"<U+{(int)c:X4}>" : c.ToString()));
}
