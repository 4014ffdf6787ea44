namespace JoeCash.Scheduler.Calendars;

/// <summary>
/// The iCalendar facts of a message that are not text from a template, frozen in the outbox with the
/// rest of the email; the description comes from the message's templates when it is rendered.
/// </summary>
public sealed record CalendarPayload(
    CalendarMethod Method,
    string Uid,
    int Sequence,
    long StartMilliseconds,
    long EndMilliseconds,
    string ZoneId,
    string Summary,
    string Location,
    string OrganizerEmail,
    string OrganizerName,
    int AlarmMinutesBefore);
