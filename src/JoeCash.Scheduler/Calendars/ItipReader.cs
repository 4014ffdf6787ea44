using Ical.Net;
using Ical.Net.CalendarComponents;
using JoeCash.Scheduler.Domain;
using NodaTime;

namespace JoeCash.Scheduler.Calendars;

/// <summary>
/// An attendee's iTIP message (RFC 5546) as this service reads it: which appointment (UID) and which
/// version of it (SEQUENCE) it answers, who answers, and what.
/// </summary>
/// <param name="Method">REPLY, COUNTER or REFRESH.</param>
/// <param name="Uid">The appointment's calendar UID.</param>
/// <param name="Sequence">The SEQUENCE the attendee saw (0 when the client left it out).</param>
/// <param name="Attendee">The answering ATTENDEE's address, lower case, without <c>mailto:</c>.</param>
/// <param name="Answer">REPLY only: the attendee's PARTSTAT.</param>
/// <param name="Comment">The attendee's note (Outlook's "respond with comment"), if any.</param>
/// <param name="Proposed">COUNTER only: the time the attendee proposes.</param>
public sealed record ItipAnswer(
    CalendarMethod Method,
    string Uid,
    int Sequence,
    string Attendee,
    ResponseStatus? Answer,
    string? Comment,
    Interval? Proposed);

/// <summary>
/// Reads REPLY, COUNTER and REFRESH calendars with Ical.Net. Everything a calendar client may leave out
/// (ORGANIZER, SUMMARY, a VTIMEZONE for UTC times) is not demanded; what an answer cannot do without
/// (UID, exactly one answering ATTENDEE, a PARTSTAT, a proposed time) is, with a sentence saying what is missing.
/// </summary>
public static partial class ItipReader
{
    /// <summary>Far more than any real answer (a few KB): a bigger "calendar" is not read.</summary>
    public const int MaxLength = 1_000_000;

    public static Result<ItipAnswer> Read(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > MaxLength)
        {
            return Result.Fail<ItipAnswer>($"the calendar is {text.Length} characters long; an answer is a few thousand.");
        }

        return ItipFastReader.TryRead(text) is { } common ? common : ReadWithObjectModel(text);
    }

    /// <summary>Reads with Ical.Net's object model: every method, every shape, and the words of every refusal.</summary>
    internal static Result<ItipAnswer> ReadWithObjectModel(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Calendar? calendar;
        try
        {
            calendar = Calendar.Load(text);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return Result.Fail<ItipAnswer>($"the calendar cannot be read: {e.Message}");
        }

        if (calendar is null)
        {
            return Result.Fail<ItipAnswer>("the calendar part holds no VCALENDAR.");
        }

        try
        {
            return Read(text, calendar);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Ical.Net throws from some accessors on odd values (an ATTENDEE that is no URI): unreadable, not a crash.
            return Result.Fail<ItipAnswer>($"the calendar cannot be read: {e.Message}");
        }
    }

    private static Result<ItipAnswer> Read(string text, Calendar calendar)
    {
        if (CalendarMethods.Parse(calendar.Method) is not { } method)
        {
            return Result.Fail<ItipAnswer>(string.IsNullOrWhiteSpace(calendar.Method)
                ? "the calendar has no METHOD, so it is not an answer to an invitation."
                : $"METHOD:{OneLine(calendar.Method)} is not an answer this service reads (REPLY, COUNTER, REFRESH).");
        }

        if (method is not (CalendarMethod.Reply or CalendarMethod.Counter or CalendarMethod.Refresh))
        {
            return Result.Fail<ItipAnswer>($"METHOD:{method.Name()} is sent by an organizer, not by an attendee answering.");
        }

        // A reply to one occurrence of a recurring event carries RECURRENCE-ID; ours never recur, so the master is the one.
        var events = calendar.Events.Where(e => e.RecurrenceIdentifier is null).ToList();
        if (events.Count != 1)
        {
            return Result.Fail<ItipAnswer>($"an answer holds one VEVENT; this one holds {calendar.Events.Count}.");
        }

        var evt = events[0];
        // Ical.Net invents a UID for a VEVENT without one: look at what was written.
        if (string.IsNullOrWhiteSpace(evt.Uid) || !UidLine().IsMatch(text))
        {
            return Result.Fail<ItipAnswer>("the VEVENT has no UID, so it answers no known appointment.");
        }

        var attendee = Answering(evt, method);
        if (!attendee.IsSuccess)
        {
            return Result.Fail<ItipAnswer>(attendee.Error!);
        }

        var (address, partStat) = attendee.Value;
        ResponseStatus? answer = null;
        if (method == CalendarMethod.Reply)
        {
            answer = partStat?.ToUpperInvariant() switch
            {
                "ACCEPTED" => ResponseStatus.Accepted,
                "TENTATIVE" => ResponseStatus.Tentative,
                "DECLINED" => ResponseStatus.Declined,
                null or "" => null,
                _ => null,
            };
            if (answer is null)
            {
                return Result.Fail<ItipAnswer>(string.IsNullOrEmpty(partStat)
                    ? $"the reply of {address} has no PARTSTAT."
                    : $"PARTSTAT={OneLine(partStat)} of {address} is not an answer this service applies (ACCEPTED, TENTATIVE, DECLINED).");
            }
        }

        Interval? proposed = null;
        if (method == CalendarMethod.Counter)
        {
            var time = Time(evt);
            if (!time.IsSuccess)
            {
                return Result.Fail<ItipAnswer>(time.Error!);
            }

            proposed = time.Value;
        }

        // Outlook writes COMMENT; Gmail puts the note into the attendee's X-RESPONSE-COMMENT parameter.
        var comment = evt.Comments?.FirstOrDefault(c => !string.IsNullOrWhiteSpace(c))?.Trim()
            ?? evt.Attendees.FirstOrDefault(a => Address(a.Value) == address)?.Parameters.Get("X-RESPONSE-COMMENT")?.Trim();
        return new ItipAnswer(method, evt.Uid.Trim(), Math.Max(0, evt.Sequence), address, answer, comment, proposed);
    }

    /// <summary>
    /// The one attendee who answers: RFC 5546 puts exactly one ATTENDEE in a REPLY or COUNTER; some clients
    /// copy the others along, unanswered, so the one whose PARTSTAT says something is taken.
    /// </summary>
    private static Result<(string Address, string? PartStat)> Answering(CalendarEvent evt, CalendarMethod method)
    {
        List<(string? Address, string? PartStat)> attendees;
        try
        {
            attendees = [.. evt.Attendees.Select(Read)];
        }
        catch (ArgumentException)
        {
            // Ical.Net cannot even list an ATTENDEE whose value is no URI it knows (urn:uuid:…).
            return Result.Fail<(string, string?)>("an ATTENDEE is not a mailto: address, so it is unclear who answers.");
        }

        var named = attendees.Count;
        if (attendees.Count == 0)
        {
            return Result.Fail<(string, string?)>("the VEVENT names no ATTENDEE, so nobody answers.");
        }

        if (attendees.Count > 1 && method == CalendarMethod.Reply)
        {
            attendees = [.. attendees.Where(a => !string.Equals(a.PartStat, "NEEDS-ACTION", StringComparison.OrdinalIgnoreCase))];
        }

        if (attendees.Count != 1)
        {
            return Result.Fail<(string, string?)>($"an answer names one ATTENDEE; this one names {named}, so it is unclear who answers.");
        }

        return attendees[0].Address is { } address
            ? (address, attendees[0].PartStat)
            : Result.Fail<(string, string?)>("the ATTENDEE is not a mailto: address.");
    }

    /// <summary>An attendee's address and PARTSTAT; Ical.Net throws on values that are no mailto: URI, which count as no address.</summary>
    private static (string? Address, string? PartStat) Read(Ical.Net.DataTypes.Attendee attendee)
    {
        try
        {
            return (Address(attendee.Value), attendee.ParticipationStatus);
        }
        catch (ArgumentException)
        {
            return (null, null);
        }
    }

    private static string? Address(Uri? value)
    {
        var text = value?.OriginalString.Trim();
        if (text is null || !text.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var address = Uri.UnescapeDataString(text["mailto:".Length..]).Trim().ToLowerInvariant();
        return address.Contains('@', StringComparison.Ordinal) && !address.Any(UserText.IsForbidden) ? address : null;
    }

    /// <summary>The proposed time as instants: UTC, a TZID the calendar or the zone database knows (Outlook's Windows names too); never floating.</summary>
    private static Result<Interval> Time(CalendarEvent evt)
    {
        if (evt.DtStart is null)
        {
            return Result.Fail<Interval>("the counter-proposal has no DTSTART.");
        }

        if (!evt.DtStart.HasTime)
        {
            return Result.Fail<Interval>("the counter-proposal's DTSTART is a date without a time.");
        }

        if (evt.DtStart.IsFloating)
        {
            return Result.Fail<Interval>("the counter-proposal's DTSTART has no time zone (a floating time), so the instant it means is unknown.");
        }

        try
        {
            var start = Instant.FromDateTimeUtc(evt.DtStart.AsUtc);
            Instant end;
            if (evt.DtEnd is { } dtEnd)
            {
                end = Instant.FromDateTimeUtc(dtEnd.AsUtc);
            }
            else if (evt.Duration is { } duration)
            {
                end = Instant.FromDateTimeUtc(evt.DtStart.Add(duration).AsUtc);
            }
            else
            {
                return Result.Fail<Interval>("the counter-proposal has neither DTEND nor DURATION.");
            }

            return end > start ? new Interval(start, end) : Result.Fail<Interval>("the counter-proposal ends before it starts.");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return Result.Fail<Interval>($"the counter-proposal's time cannot be read ({OneLine(evt.DtStart.TzId ?? "UTC")}): {e.Message}");
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^UID[;:]", System.Text.RegularExpressions.RegexOptions.Multiline | System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex UidLine();

    private static string OneLine(string text)
    {
        var line = new string([.. text.Take(60).Select(c => char.IsControl(c) ? ' ' : c)]);
        return text.Length > 60 ? line + "…" : line;
    }
}
