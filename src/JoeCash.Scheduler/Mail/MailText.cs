using System.Text;
using System.Text.RegularExpressions;

namespace JoeCash.Scheduler.Mail;

/// <summary>
/// The plain-text part as a mail client shows it without reflowing: lines longer than about 72
/// columns are wrapped at spaces, never inside a word or a URL (a longer word keeps a line of its
/// own), and never right after a number, so "732 901 938", "10:00 Uhr", "60 min" and "1. Dezember" stay whole. A continuation line keeps the line's indentation and hangs under its label or bullet
/// ("  Termin:     …", "  - …", "Kostenhinweis: …"), so a wrapped paragraph still reads as one.
/// </summary>
public static partial class MailText
{
    public const int Width = 72;

    // Every C0/C1 control, DEL, line/paragraph separator and format character of the BMP: what UserText forbids.
    private static readonly char[] ControlCharacters = [.. Enumerable.Range(0, 0x10000).Select(i => (char)i).Where(c => Domain.UserText.IsForbidden(c) && !char.IsSurrogate(c))];

    /// <summary>
    /// One line, whatever came in: input checks already refuse control characters, and this makes the
    /// writer safe on its own — a name can never start a new header, body line or calendar property.
    /// </summary>
    public static string SingleLine(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return string.Join(' ', text.Split(ControlCharacters, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    /// <summary>Line breaks kept (as LF), every other control character dropped.</summary>
    public static string Multiline(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return string.Join('\n', text.ReplaceLineEndings("\n").Split('\n').Select(SingleLine));
    }

    public static string Wrap(string text, int width = Width)
    {
        ArgumentNullException.ThrowIfNull(text);
        var output = new StringBuilder(text.Length + 64);
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (i > 0)
            {
                output.Append('\n');
            }

            WrapLine(lines[i], width, output);
        }

        return output.ToString();
    }

    private static void WrapLine(string line, int width, StringBuilder output)
    {
        if (line.Length <= width)
        {
            output.Append(line);
            return;
        }

        var prefix = HangingPrefix().Match(line).Value;
        var hanging = new string(' ', prefix.Length);
        var column = 0;
        output.Append(prefix);
        column += prefix.Length;
        var atLineStart = true;
        foreach (var word in Units(line[prefix.Length..]))
        {
            if (!atLineStart && column + 1 + word.Length > width)
            {
                output.Append('\n').Append(hanging);
                column = hanging.Length;
                atLineStart = true;
            }

            if (!atLineStart)
            {
                output.Append(' ');
                column++;
            }

            output.Append(word);
            column += word.Length;
            atLineStart = false;
        }
    }

    /// <summary>The words of a line, a word joined to the one before it when that ends in a number ("732 901 938", "10:00 Uhr", "60 min", "1. Dezember").</summary>
    private static List<string> Units(string text)
    {
        var units = new List<string>();
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (units.Count > 0 && GluesToNext(units[^1]))
            {
                units[^1] += " " + word;
            }
            else
            {
                units.Add(word);
            }
        }

        return units;
    }

    private static bool GluesToNext(string unit)
    {
        var last = unit[(unit.LastIndexOf(' ') + 1)..];
        return char.IsAsciiDigit(last[^1]) || (last.Length > 1 && last[^1] == '.' && last[..^1].All(char.IsAsciiDigit));
    }

    // Leading spaces, then optionally a bullet ("- ") or a one-word label ("Termin:", "Kostenhinweis:") with the spaces after it.
    [GeneratedRegex(@"^ *(?:- |[\p{L}][\p{L}\-]{0,18}: +)?", RegexOptions.CultureInvariant)]
    private static partial Regex HangingPrefix();
}
