using JoeCash.Scheduler.Agenda;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Invitations;

namespace JoeCash.Scheduler.Mail;

/// <summary>
/// Everything one email says, frozen when the change that causes it commits: which templates, in which
/// language, to whom, and the values they show. Stored in the outbox as JSON and rendered by
/// <see cref="MailRenderer"/> when it is sent.
/// </summary>
public sealed record MailPayload
{
    /// <summary>The template set: invitation, cancellation, reminder or agenda.</summary>
    public string Template { get; init; } = "";

    public Language Language { get; init; }

    public string RecipientEmail { get; init; } = "";

    public string RecipientName { get; init; } = "";

    /// <summary>When the change happened: the message's Date and the calendar's DTSTAMP.</summary>
    public long CreatedAtMilliseconds { get; init; }

    public MessageModel? Message { get; init; }

    public AgendaModel? Agenda { get; init; }

    /// <summary>Set for invitations and cancellations: the VEVENT besides what the templates say.</summary>
    public CalendarPayload? Calendar { get; init; }
}

/// <summary>The iCalendar facts of an invitation that are not text from a template.</summary>
public sealed record CalendarPayload(
    string Method,
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
