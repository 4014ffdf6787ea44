using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Invitations;
using JoeCash.Scheduler.Mail;
using NodaTime;

namespace JoeCash.Scheduler.Reminders;

/// <summary>
/// Reminder emails, one per contact address. They repeat what matters (RustDesk ready, the ID, keep
/// the till free, who calls when, the cost notice): Outlook may have deleted the invitation once accepted.
/// </summary>
public sealed class ReminderComposer(InvitationComposer invitations, MailComposer mail)
{
    public static readonly TemplateSet Reminder = new("reminder", typeof(MessageModel), () => MessageModel.Sample("reminder"));

    /// <param name="context">The appointment and everything its messages mention.</param>
    /// <param name="offsetMinutes">How long before the start this reminder goes out.</param>
    /// <param name="now">When it is queued.</param>
    /// <param name="linkSeeds">Each recipient's personal link (its seed).</param>
    public IReadOnlyList<OutboxMessage> Compose(AppointmentContext context, int offsetMinutes, Instant now, IReadOnlyDictionary<string, string>? linkSeeds = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        var language = context.Customer.Language;
        var model = invitations.Model(InvitationKind.Request, context) with { Kind = "reminder", LeadTime = LeadTime(offsetMinutes, language) };
        return [.. context.Customer.Emails.Select(recipient => mail.Compose(
            new MailDraft(
                "reminder",
                invitations.MessageId($"reminder-{offsetMinutes}", context.Appointment, recipient),
                context.Appointment.Id,
                Reminder,
                language,
                recipient,
                model.ContactName,
                linkSeeds is not null && linkSeeds.TryGetValue(recipient, out var seed) ? model with { ShopLinkSeed = seed } : model),
            now))];
    }

    /// <summary>"24 Stunden", "1 Stunde", "90 Minuten"; "24 hours", "1 hour", "90 minutes".</summary>
    public static string LeadTime(int minutes, Language language)
    {
        var hours = minutes / 60;
        return (minutes % 60 == 0, hours == 1, language) switch
        {
            (true, true, Language.En) => "1 hour",
            (true, false, Language.En) => $"{hours} hours",
            (true, true, _) => "1 Stunde",
            (true, false, _) => $"{hours} Stunden",
            (false, _, Language.En) => $"{minutes} minutes",
            _ => $"{minutes} Minuten",
        };
    }
}
