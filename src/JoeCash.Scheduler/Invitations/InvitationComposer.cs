using System.Security.Cryptography;
using System.Text;
using JoeCash.Scheduler.Calendars;
using JoeCash.Scheduler.Configuration;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Mail;
using Microsoft.Extensions.Options;
using NodaTime;

namespace JoeCash.Scheduler.Invitations;

/// <summary>Which invitation message: the first, an update (same UID, higher SEQUENCE), or the cancellation.</summary>
public enum InvitationKind
{
    Request,
    Update,
    Cancel,
}

/// <summary>Everything about one appointment that its messages mention; <paramref name="Reason"/> is a cancellation's reason, if one was given.</summary>
public sealed record AppointmentContext(Appointment Appointment, Customer Customer, Technician Technician, AppointmentType Type, Appointment? Previous = null, string? Reason = null);

/// <summary>
/// Plans an appointment's invitation, update or cancellation: one outbox message per contact address,
/// each listing only its own recipient as ATTENDEE, with a deterministic Message-ID and a snapshot of
/// every value the email shows (rendered by <see cref="MailRenderer"/> when sent).
/// </summary>
public sealed class InvitationComposer(MailComposer mail, IOptions<MailOptions> mailOptions, IOptions<SchedulerOptions> schedulerOptions)
{
    /// <summary>The first invitation and its updates; the calendar DESCRIPTION is a template of its own.</summary>
    public static readonly TemplateSet Invitation = new("invitation", typeof(MessageModel), () => MessageModel.Sample("request"), CalendarDescription: "invitation.description");

    /// <summary>The cancellation; its calendar says the same as the invitation's did.</summary>
    public static readonly TemplateSet Cancellation = new("cancellation", typeof(MessageModel), () => MessageModel.Sample("cancel"), CalendarDescription: "invitation.description");

    /// <param name="kind">The first invitation, an update or the cancellation.</param>
    /// <param name="context">The appointment and everything its messages mention.</param>
    /// <param name="now">When the change happened (Date, DTSTAMP).</param>
    /// <param name="only">Send to this one address of the shop instead of all (a re-sent invitation answers who asked).</param>
    /// <param name="messageIdKind">The Message-ID's kind when it must differ from the first sending (a re-sent invitation is a new email).</param>
    /// <param name="linkSeeds">Each recipient's personal link (its seed), for the emails that carry one.</param>
    public IReadOnlyList<OutboxMessage> Compose(
        InvitationKind kind, AppointmentContext context, Instant now, string? only = null, string? messageIdKind = null, IReadOnlyDictionary<string, string>? linkSeeds = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        var language = context.Customer.Language;
        var model = Model(kind, context);
        var outboxKind = kind switch { InvitationKind.Cancel => "cancellation", InvitationKind.Update => "update", _ => "invitation" };
        var calendar = Calendar(kind == InvitationKind.Cancel ? CalendarMethod.Cancel : CalendarMethod.Request, context);
        return [.. Recipients(context, only).Select(recipient => mail.Compose(
            new MailDraft(
                outboxKind,
                MessageId(messageIdKind ?? outboxKind, context.Appointment, recipient),
                context.Appointment.Id,
                kind == InvitationKind.Cancel ? Cancellation : Invitation,
                language,
                recipient,
                model.ContactName,
                linkSeeds is not null && linkSeeds.TryGetValue(recipient, out var seed) ? model with { ShopLinkSeed = seed } : model,
                calendar),
            now))];
    }

    /// <summary>The iCalendar facts of the appointment as it stands, for a message with <paramref name="method"/>.</summary>
    public CalendarPayload Calendar(CalendarMethod method, AppointmentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var options = mailOptions.Value;
        var language = context.Customer.Language;
        return new CalendarPayload(
            method,
            context.Appointment.Uid,
            context.Appointment.Sequence,
            context.Appointment.Start.ToUnixTimeMilliseconds(),
            context.Appointment.End.ToUnixTimeMilliseconds(),
            schedulerOptions.Value.TimeZone,
            Summary(language),
            Location(language, context.Appointment),
            options.From,
            options.FromName,
            options.AlarmMinutesBefore);
    }

    /// <summary>The addresses a message about <paramref name="context"/> goes to: all of the shop's, or <paramref name="only"/>.</summary>
    public static IReadOnlyList<string> Recipients(AppointmentContext context, string? only) =>
        only is null ? context.Customer.Emails : [only];

    /// <summary>The calendar SUMMARY: what it is, and the one rule that matters most during it.</summary>
    public static string Summary(Language language) => language == Language.En
        ? "JoeCash remote maintenance – please do not use the till"
        : "JoeCash Fernwartung – Kasse bitte nicht benutzen";

    /// <summary>
    /// Deterministic: the same message for the same appointment, sequence and recipient always has the
    /// same id, so the outbox stores it once and a repeated delivery is recognisable as the same email.
    /// </summary>
    public string MessageId(string kind, Appointment appointment, string recipient)
    {
        ArgumentNullException.ThrowIfNull(appointment);
        var recipientHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(recipient.ToLowerInvariant())))[..12];
        var uidLocal = appointment.Uid.Split('@')[0];
        return $"{kind}.{appointment.Sequence}.{recipientHash}.{uidLocal}@{schedulerOptions.Value.UidDomain}";
    }

    public MessageModel Model(InvitationKind kind, AppointmentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var scheduler = schedulerOptions.Value;
        var zone = scheduler.Zone;
        var language = context.Customer.Language;
        var time = LocalTimeRange.In(context.Appointment.Time, zone);
        var previous = context.Previous is { } p ? LocalTimeRange.In(p.Time, zone) : (LocalTimeRange?)null;
        var mail = mailOptions.Value;
        return new MessageModel
        {
            Kind = kind switch { InvitationKind.Update => "update", InvitationKind.Cancel => "cancel", _ => "request" },
            ContactName = MailText.SingleLine(context.Customer.ContactName),
            ShopName = MailText.SingleLine(context.Customer.DisplayName),
            CustomerNumber = MailText.SingleLine(context.Customer.Number),
            TechnicianName = MailText.SingleLine(context.Technician.Name),
            TypeTitle = context.Type.Title(language),
            Billable = Billing.IsBillable(context.Type, context.Customer),
            NoSupportContract = Billing.Reason(context.Type, context.Customer) == BillingReason.NoSupportContract,
            CostNotice = Billing.CostNotice(context.Type, context.Customer, language, scheduler.NoContractNotice),
            Date = GermanDates.Date(time.Start.Date, language),
            TimeRange = time.Sentence(language),
            StartAt = time.StartSentence(language),
            StartTime = time.StartText(language),
            EndTime = time.EndText(language),
            ZoneName = LocalTimeRange.Abbreviation(time.Start, language),
            PreviousDate = previous is { } was ? GermanDates.Date(was.Start.Date, language) : null,
            PreviousStartAt = previous?.StartSentence(language),
            Reason = context.Reason is { } reason ? MailText.SingleLine(reason) : null,
            // The shop's ID as on file now (it may have sent it since booking), else the one booked with.
            RustdeskId = (context.Customer.RustDeskId ?? context.Appointment.RustDesk)?.Display,
            RustdeskHelpUrl = mail.RustDeskHelpUrl,
            Notes = context.Appointment.Notes is { } notes ? MailText.Multiline(notes) : null,
            SupportEmail = mail.From,
            SupportPhone = mail.SupportPhone,
            AppointmentId = context.Appointment.Id,
        };
    }

    private static string Location(Language language, Appointment appointment)
    {
        var id = appointment.RustDeskId is { } raw ? RustDeskId.Parse(raw, "rustdesk").Value.Display : null;
        return (language, id) switch
        {
            (Language.En, null) => "Remote session via RustDesk (please send us your RustDesk ID)",
            (Language.En, _) => $"Remote session via RustDesk, ID {id}",
            (_, null) => "Fernwartung per RustDesk (bitte senden Sie uns Ihre RustDesk-ID)",
            _ => $"Fernwartung per RustDesk, ID {id}",
        };
    }
}
