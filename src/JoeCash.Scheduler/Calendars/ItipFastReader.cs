using JoeCash.Scheduler.Domain;

namespace JoeCash.Scheduler.Calendars;

/// <summary>
/// The common answer read without building a calendar object model: a REPLY or REFRESH with one VEVENT,
/// one answering ATTENDEE, a UID and a SEQUENCE — what every client sends for Accept, Tentative and
/// Decline. Content lines are unfolded and split as RFC 5545 §3.1 says (quoted parameter values may hold
/// <c>:</c> and <c>;</c>). Anything else (COUNTER's times and zones, recurrences, several attendees,
/// anything missing or odd) returns null, and <see cref="ItipReader"/> reads it with Ical.Net, which also
/// words every refusal: this path only ever says yes, and the tests check it says what Ical.Net says.
/// Reading 2,000 waiting answers, Ical.Net's object model was most of the reader's time.
/// </summary>
internal static class ItipFastReader
{
    public static ItipAnswer? TryRead(string text)
    {
        string? method = null, uid = null, attendee = null, partStat = null, comment = null, responseComment = null;
        var sequence = 0;
        var events = 0;
        var attendees = 0;
        var depth = 0;
        var inEvent = false;
        foreach (var line in Lines(text))
        {
            var (name, parameters, value) = Split(line);
            if (name is null)
            {
                return null;
            }

            if (name.Equals("BEGIN", StringComparison.OrdinalIgnoreCase))
            {
                depth++;
                if (value.Equals("VEVENT", StringComparison.OrdinalIgnoreCase))
                {
                    if (depth != 2)
                    {
                        return null;
                    }

                    events++;
                    inEvent = true;
                }

                continue;
            }

            if (name.Equals("END", StringComparison.OrdinalIgnoreCase))
            {
                inEvent &= !value.Equals("VEVENT", StringComparison.OrdinalIgnoreCase);
                depth--;
                continue;
            }

            if (depth == 1 && name.Equals("METHOD", StringComparison.OrdinalIgnoreCase))
            {
                method = value.Trim();
            }
            else if (inEvent && depth == 2)
            {
                switch (name.ToUpperInvariant())
                {
                    case "UID":
                        uid = value.Trim();
                        break;
                    case "SEQUENCE":
                        if (!int.TryParse(value.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out sequence))
                        {
                            return null;
                        }

                        break;
                    case "ATTENDEE":
                        attendees++;
                        attendee = value.Trim();
                        partStat = Parameter(parameters, "PARTSTAT");
                        responseComment = Parameter(parameters, "X-RESPONSE-COMMENT");
                        break;
                    case "COMMENT":
                        comment ??= Unescape(value).Trim() is { Length: > 0 } written ? written : null;
                        break;
                    case "RECURRENCE-ID":
                        return null;
                }
            }
        }

        var itip = CalendarMethods.Parse(method);
        if (depth != 0 || events != 1 || attendees != 1 || string.IsNullOrEmpty(uid) || itip is not (CalendarMethod.Reply or CalendarMethod.Refresh)
            || attendee is null || !attendee.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var address = Uri.UnescapeDataString(attendee["mailto:".Length..]).Trim().ToLowerInvariant();
        if (!address.Contains('@', StringComparison.Ordinal) || address.Any(UserText.IsForbidden) || address.Any(char.IsWhiteSpace))
        {
            return null;
        }

        ResponseStatus? answer = partStat?.ToUpperInvariant() switch
        {
            "ACCEPTED" => ResponseStatus.Accepted,
            "TENTATIVE" => ResponseStatus.Tentative,
            "DECLINED" => ResponseStatus.Declined,
            _ => null,
        };
        if (itip == CalendarMethod.Reply && answer is null)
        {
            return null;
        }

        // Outlook writes COMMENT; Gmail puts the note into the attendee's X-RESPONSE-COMMENT parameter.
        var note = comment ?? (string.IsNullOrWhiteSpace(responseComment) ? null : responseComment.Trim());
        return new ItipAnswer(itip.Value, uid, sequence, address, itip == CalendarMethod.Reply ? answer : null, note, null);
    }

    /// <summary>Unfolded content lines (a CRLF or LF followed by a space or tab continues the line).</summary>
    private static IEnumerable<string> Lines(string text)
    {
        var current = new System.Text.StringBuilder();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.EndsWith('\r') ? raw[..^1] : raw;
            if (line.Length > 0 && (line[0] == ' ' || line[0] == '\t'))
            {
                current.Append(line, 1, line.Length - 1);
                continue;
            }

            if (current.Length > 0)
            {
                yield return current.ToString();
            }

            current.Clear().Append(line);
        }

        if (current.Length > 0)
        {
            yield return current.ToString();
        }
    }

    /// <summary>NAME;PARAMS:VALUE, with the first colon outside a quoted parameter value ending the parameters.</summary>
    private static (string? Name, string Parameters, string Value) Split(string line)
    {
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == ':' && !quoted)
            {
                var head = line[..i];
                var semicolon = head.IndexOf(';', StringComparison.Ordinal);
                return semicolon < 0 ? (head, "", line[(i + 1)..]) : (head[..semicolon], head[semicolon..], line[(i + 1)..]);
            }
        }

        return (null, "", "");
    }

    /// <summary>A parameter's value (unquoted), or null; names are case-blind.</summary>
    private static string? Parameter(string parameters, string name)
    {
        var quoted = false;
        var start = 0;
        for (var i = 0; i <= parameters.Length; i++)
        {
            if (i < parameters.Length && parameters[i] == '"')
            {
                quoted = !quoted;
                continue;
            }

            if (i < parameters.Length && (parameters[i] != ';' || quoted))
            {
                continue;
            }

            var part = parameters[start..i];
            start = i + 1;
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && part[..equals].Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return part[(equals + 1)..].Trim().Trim('"');
            }
        }

        return null;
    }

    /// <summary>TEXT escapes (RFC 5545 §3.3.11).</summary>
    private static string Unescape(string value)
    {
        if (!value.Contains('\\', StringComparison.Ordinal))
        {
            return value;
        }

        var text = new System.Text.StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\' && i + 1 < value.Length)
            {
                i++;
                text.Append(value[i] is 'n' or 'N' ? '\n' : value[i]);
            }
            else
            {
                text.Append(value[i]);
            }
        }

        return text.ToString();
    }
}
