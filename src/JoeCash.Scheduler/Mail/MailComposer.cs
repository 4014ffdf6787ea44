using JoeCash.Scheduler.Calendars;
using JoeCash.Scheduler.Domain;
using NodaTime;

namespace JoeCash.Scheduler.Mail;

/// <summary>What a feature wants sent: the kind shown in <c>mail list</c>, its id, for whom, and the model its template set reads.</summary>
public sealed record MailDraft(
    string Kind,
    string MessageId,
    long? AppointmentId,
    TemplateSet Templates,
    Language Language,
    string RecipientEmail,
    string RecipientName,
    object Model,
    CalendarPayload? Calendar = null);

/// <summary>
/// The one way an outbox message is made: a feature hands a <see cref="MailDraft"/>, this renders the
/// subject (for <c>mail list</c>) and freezes the rest as the payload the dispatcher renders later.
/// </summary>
public sealed class MailComposer(TemplateCatalog templates)
{
    public OutboxMessage Compose(MailDraft draft, Instant now)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var subject = MailText.SingleLine(templates.Render(draft.Language, draft.Templates.Subject, draft.Model));
        return new OutboxMessage(draft.MessageId, draft.AppointmentId, draft.Kind, draft.RecipientEmail, subject, new MailPayload
        {
            Template = draft.Templates.Name,
            Language = draft.Language,
            RecipientEmail = draft.RecipientEmail,
            RecipientName = draft.RecipientName,
            CreatedAtMilliseconds = now.ToUnixTimeMilliseconds(),
            Model = draft.Model,
            Calendar = draft.Calendar,
        });
    }
}
