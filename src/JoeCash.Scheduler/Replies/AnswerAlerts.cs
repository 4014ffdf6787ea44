using System.Data.Common;
using JoeCash.Scheduler.Agenda;
using JoeCash.Scheduler.Calendars;
using JoeCash.Scheduler.Configuration;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Domain.Availability;
using JoeCash.Scheduler.Invitations;
using JoeCash.Scheduler.Mail;
using Microsoft.Extensions.Options;
using NodaTime;

namespace JoeCash.Scheduler.Replies;

/// <summary>What the staff alert templates may use: a shop declined, or proposed another time.</summary>
public sealed record AnswerAlertModel
{
    /// <summary>declined or counter.</summary>
    public string Kind { get; init; } = "declined";

    public bool IsCounter => Kind == "counter";

    public long AppointmentId { get; init; }

    public string ShopName { get; init; } = "";

    public string CustomerNumber { get; init; } = "";

    public string ContactName { get; init; } = "";

    public string? Phone { get; init; }

    public string Attendee { get; init; } = "";

    public string TechnicianName { get; init; } = "";

    public string TypeTitle { get; init; } = "";

    public string Date { get; init; } = "";

    public string TimeRange { get; init; } = "";

    /// <summary>The shop's note with its answer, if any.</summary>
    public string? Comment { get; init; }

    /// <summary>Counter only: the proposed day and time, whether it was free when it came, and the request's number.</summary>
    public string? Proposed { get; init; }

    public bool ProposedFree { get; init; }

    public long? RequestId { get; init; }

    /// <summary>Declined only: the nearest free starts for the same shop and type, as sentences.</summary>
    public IReadOnlyList<string> Alternatives { get; init; } = [];

    public static AnswerAlertModel Sample => new()
    {
        Kind = "counter",
        AppointmentId = 1,
        ShopName = "Bäckerei Beispiel – Mitte",
        CustomerNumber = "K00000",
        ContactName = "Erika Mustermann",
        Phone = "+49 30 1234567",
        Attendee = "erika@example.test",
        TechnicianName = "Anna Berger",
        TypeTitle = "Schulung",
        Date = "Dienstag, 1. Dezember 2026",
        TimeRange = "10:00–11:00 Uhr (MEZ)",
        Comment = "Morgens passt es besser.",
        Proposed = "Mittwoch, 2. Dezember 2026, 08:00–09:00 Uhr (MEZ)",
        ProposedFree = true,
        RequestId = 1,
        Alternatives = ["Mittwoch, 2. Dezember 2026, 08:00–09:00 Uhr (MEZ)"],
    };
}

/// <summary>
/// The emails a shop's answer causes, queued in the answer's transaction: a decline or a counter-proposal
/// alerts the technician and the support mailbox at once; a declined counter-proposal tells the shop
/// (METHOD:DECLINECOUNTER) that the invitation stands.
/// </summary>
public sealed class AnswerAlerts(
    MailComposer mail,
    InvitationComposer invitations,
    IOptions<MailOptions> mailOptions,
    IOptions<AgendaOptions> staff,
    IOptions<SchedulerOptions> scheduler)
{
    public static readonly TemplateSet Alert = new("answer-alert", typeof(AnswerAlertModel), () => AnswerAlertModel.Sample);

    public static readonly TemplateSet CounterDeclined = new(
        "counter-declined", typeof(MessageModel), () => MessageModel.Sample("counter-declined") with { ProposedAt = "Mittwoch, 2. Dezember 2026, 08:00 Uhr" });

    internal Task EnqueueDeclineAsync(
        DbConnection connection, DbTransaction transaction, AppointmentContext context, ItipAnswer answer, IReadOnlyList<Slot> alternatives, long inboundId, Instant now)
    {
        var language = staff.Value.Language;
        var model = Model(context, answer, language) with
        {
            Kind = "declined",
            Alternatives = [.. alternatives.Select(s => Sentence(s.Start, s.End, language))],
        };
        return EnqueueAsync(connection, transaction, context, model, "declined", inboundId, now);
    }

    internal Task EnqueueCounterAsync(
        DbConnection connection, DbTransaction transaction, AppointmentContext context, ItipAnswer answer, long requestId, bool free, long inboundId, Instant now)
    {
        var language = staff.Value.Language;
        var proposed = answer.Proposed!.Value;
        var model = Model(context, answer, language) with
        {
            Kind = "counter",
            Proposed = Sentence(proposed.Start, proposed.End, language),
            ProposedFree = free,
            RequestId = requestId,
        };
        return EnqueueAsync(connection, transaction, context, model, "counter", inboundId, now);
    }

    /// <summary>Tells the shop its proposal was turned down and the appointment stays as it is.</summary>
    internal Task DeclineCounterAsync(DbConnection connection, DbTransaction transaction, AppointmentContext context, RescheduleRequest request, Instant now)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        var language = context.Customer.Language;
        var model = invitations.Model(InvitationKind.Request, context) with
        {
            Kind = "counter-declined",
            ProposedAt = Sentence(request.ProposedStart, request.ProposedEnd, language),
        };
        var calendar = invitations.Calendar(CalendarMethod.DeclineCounter, context);
        var draft = new MailDraft(
            "counter-declined",
            invitations.MessageId($"declinecounter-{request.Id}", context.Appointment, request.ProposedBy),
            context.Appointment.Id,
            CounterDeclined,
            language,
            request.ProposedBy,
            model.ContactName,
            model,
            calendar);
        return connection.EnqueueAsync(mail.Compose(draft, now), now, transaction);
    }

    private async Task EnqueueAsync(DbConnection connection, DbTransaction transaction, AppointmentContext context, AnswerAlertModel model, string what, long inboundId, Instant now)
    {
        var recipients = new[] { (context.Technician.Email, context.Technician.Name), (mailOptions.Value.From, mailOptions.Value.FromName) }
            .DistinctBy(r => r.Item1.ToLowerInvariant());
        foreach (var (email, name) in recipients)
        {
            var draft = new MailDraft(
                "answer-alert",
                invitations.MessageId($"alert-{what}-{inboundId}", context.Appointment, email),
                context.Appointment.Id,
                Alert,
                staff.Value.Language,
                email,
                name,
                model);
            await connection.EnqueueAsync(mail.Compose(draft, now), now, transaction).ConfigureAwait(false);
        }
    }

    private AnswerAlertModel Model(AppointmentContext context, ItipAnswer answer, Language language)
    {
        var time = LocalTimeRange.In(context.Appointment.Time, scheduler.Value.Zone);
        return new AnswerAlertModel
        {
            AppointmentId = context.Appointment.Id,
            ShopName = MailText.SingleLine(context.Customer.DisplayName),
            CustomerNumber = MailText.SingleLine(context.Customer.Number),
            ContactName = MailText.SingleLine(context.Customer.ContactName),
            Phone = context.Customer.Phone is { } phone ? MailText.SingleLine(phone) : null,
            Attendee = answer.Attendee,
            TechnicianName = MailText.SingleLine(context.Technician.Name),
            TypeTitle = context.Type.Title(language),
            Date = GermanDates.Date(time.Start.Date, language),
            TimeRange = time.Sentence(language),
            Comment = answer.Comment is { } comment ? MailText.SingleLine(UserText.Shown(comment, 500)) : null,
        };
    }

    private string Sentence(Instant start, Instant end, Language language)
    {
        var range = LocalTimeRange.In(start, end, scheduler.Value.Zone);
        return $"{GermanDates.Date(range.Start.Date, language)}, {range.Sentence(language)}";
    }
}
