using JoeCash.Scheduler.Calendars;
using JoeCash.Scheduler.Configuration;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Mail;
using Microsoft.Extensions.Options;
using NodaTime;

namespace JoeCash.Scheduler.Invitations;

/// <summary>The language of the emails to staff (technicians, the support mailbox); set from <c>Agenda:Language</c>.</summary>
/// <param name="Language">German or English.</param>
public sealed record StaffLanguage(Language Language);

/// <summary>
/// The technician's own invitation to an appointment, beside the shop's: its own UID (the shop's with
/// <see cref="UidPrefix"/>), ORGANIZER the support mailbox, the technician the only ATTENDEE, in the staff
/// language, saying what the technician needs (shop, branch, contact, phone, RustDesk ID, type, notes).
/// A move updates it (same UID, the appointment's SEQUENCE); a cancellation removes it.
/// </summary>
public sealed class TechnicianInvitationComposer(
    MailComposer mail, InvitationComposer shopInvitations, StaffLanguage staff, IOptions<MailOptions> mailOptions, IOptions<SchedulerOptions> schedulerOptions)
{
    /// <summary>What a technician's copy's UID starts with, before the shop's UID.</summary>
    public const string UidPrefix = "tech-";

    /// <summary>The invitation and its updates.</summary>
    public static readonly TemplateSet Invitation = new(
        "technician-invitation", typeof(TechnicianMessageModel), () => TechnicianMessageModel.Sample("request"), CalendarDescription: "technician-invitation.description");

    /// <summary>The cancellation.</summary>
    public static readonly TemplateSet Cancellation = new(
        "technician-cancellation", typeof(TechnicianMessageModel), () => TechnicianMessageModel.Sample("cancel"), CalendarDescription: "technician-invitation.description");

    /// <summary>Whether bookings send technicians their own invitations (<c>Scheduler:TechnicianInvitations</c>).</summary>
    public bool Enabled => schedulerOptions.Value.TechnicianInvitations;

    /// <summary>The UID of the technician's copy of the appointment with <paramref name="appointmentUid"/>.</summary>
    /// <param name="appointmentUid">The appointment's (the shop's) calendar UID.</param>
    public static string Uid(string appointmentUid) => UidPrefix + appointmentUid;

    /// <summary>The appointment's UID if <paramref name="uid"/> names a technician's copy, else null.</summary>
    /// <param name="uid">A UID read from a calendar.</param>
    public static string? AppointmentUid(string uid) =>
        uid is not null && uid.StartsWith(UidPrefix, StringComparison.OrdinalIgnoreCase) && uid.Length > UidPrefix.Length ? uid[UidPrefix.Length..] : null;

    /// <summary>The message for <paramref name="technician"/>: the invitation, its update, or the cancellation.</summary>
    /// <param name="kind">The first invitation, an update or the cancellation.</param>
    /// <param name="context">The appointment and everything its messages mention.</param>
    /// <param name="technician">Who gets it (after a reassignment the previous technician gets the cancellation).</param>
    /// <param name="now">When the change happened (Date, DTSTAMP).</param>
    public OutboxMessage Compose(InvitationKind kind, AppointmentContext context, Technician technician, Instant now)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(technician);
        var language = staff.Language;
        var model = TechnicianMessageModel.From(kind switch { InvitationKind.Update => "update", InvitationKind.Cancel => "cancel", _ => "request" }, context, technician, language);
        var outboxKind = kind switch { InvitationKind.Cancel => "technician-cancellation", InvitationKind.Update => "technician-update", _ => "technician-invitation" };
        var options = mailOptions.Value;
        var calendar = new CalendarPayload(
            kind == InvitationKind.Cancel ? CalendarMethod.Cancel : CalendarMethod.Request,
            Uid(context.Appointment.Uid),
            context.Appointment.Sequence,
            context.Appointment.Start.ToUnixTimeMilliseconds(),
            context.Appointment.End.ToUnixTimeMilliseconds(),
            technician.Zone.Id,
            TechnicianMessageModel.Summary(language, model.ShopName, model.CustomerNumber),
            TechnicianMessageModel.Location(language, model.RustdeskId),
            options.From,
            options.FromName,
            options.AlarmMinutesBefore);
        return mail.Compose(
            new MailDraft(
                outboxKind,
                shopInvitations.MessageId(outboxKind, context.Appointment, technician.Email),
                context.Appointment.Id,
                kind == InvitationKind.Cancel ? Cancellation : Invitation,
                language,
                technician.Email,
                MailText.SingleLine(technician.Name),
                model,
                calendar),
            now);
    }
}
