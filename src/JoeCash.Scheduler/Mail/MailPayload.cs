using JoeCash.Scheduler.Calendars;
using JoeCash.Scheduler.Domain;

namespace JoeCash.Scheduler.Mail;

/// <summary>
/// Everything one email says, frozen when the change that causes it commits: which template set, in
/// which language, to whom, and the values its templates show. Stored in the outbox as JSON and
/// rendered by <see cref="MailRenderer"/> when it is sent.
/// </summary>
public sealed record MailPayload
{
    /// <summary>The <see cref="TemplateSet"/> that renders it: invitation, cancellation, reminder, agenda, ….</summary>
    public string Template { get; init; } = "";

    public Language Language { get; init; }

    public string RecipientEmail { get; init; } = "";

    public string RecipientName { get; init; } = "";

    /// <summary>When the change happened: the message's Date and the calendar's DTSTAMP.</summary>
    public long CreatedAtMilliseconds { get; init; }

    /// <summary>
    /// The values the templates read: the set's model object when composed, a JSON element when read back
    /// from the outbox (written as its runtime type, read into <see cref="TemplateSet.Model"/>).
    /// </summary>
    public object? Model { get; init; }

    /// <summary>Where rows written before the model was generic keep it (invitations, reminders).</summary>
    public System.Text.Json.JsonElement? Message { get; init; }

    /// <summary>Where rows written before the model was generic keep it (agendas).</summary>
    public System.Text.Json.JsonElement? Agenda { get; init; }

    /// <summary>Set for messages that carry a calendar (invitations, updates, cancellations).</summary>
    public CalendarPayload? Calendar { get; init; }
}
