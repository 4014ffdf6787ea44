using System.Globalization;
using JoeCash.Scheduler.Configuration;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Invitations;
using JoeCash.Scheduler.Mail;
using JoeCash.Scheduler.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;

namespace JoeCash.Scheduler.Agenda;

/// <summary>
/// The technician's morning email: the day's appointments in order with everything the call needs.
/// Its Message-ID is the technician and the day, so a repeated run (a misfire after a restart) never
/// sends the same morning twice.
/// </summary>
public sealed class AgendaMailer(
    Database database,
    AgendaBuilder builder,
    TemplateCatalog templates,
    MailComposer mail,
    IOptions<AgendaOptions> options,
    IOptions<SchedulerOptions> scheduler,
    IClock clock,
    ILogger<AgendaMailer> logger)
{
    public static readonly TemplateSet Agenda = new("agenda", typeof(AgendaModel), () => AgendaModel.Sample, MemberTypes: [typeof(AgendaEntryModel)]);

    /// <summary>Queues the agenda for <paramref name="day"/>; false when there was nothing to send.</summary>
    public async Task<bool> QueueAsync(Technician technician, LocalDate day, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(technician);
        var agenda = await builder.BuildAsync(technician, day, cancellationToken).ConfigureAwait(false);
        if (agenda.Entries.Count == 0 && !options.Value.SendWhenEmpty)
        {
            logger.LogInformation("No agenda for technician {TechnicianId} on {Day}: no appointments", technician.Id, day);
            return false;
        }

        var language = options.Value.Language;
        var model = Model(agenda, language);
        var now = clock.GetCurrentInstant();
        var messageId = $"agenda.{technician.Id}.{day.ToString("uuuuMMdd", CultureInfo.InvariantCulture)}@{scheduler.Value.UidDomain}";
        var message = mail.Compose(new MailDraft("agenda", messageId, null, Agenda, language, technician.Email, model.TechnicianName, model), now);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var writing = await Database.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        var transaction = writing.Transaction;
        await connection.EnqueueAsync(message, now, transaction).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Queued the agenda for technician {TechnicianId} on {Day}: {Count} appointment(s)", technician.Id, day, agenda.Entries.Count);
        return true;
    }

    /// <summary>The email's plain text, as the <c>agenda --email</c> verb prints it.</summary>
    public string Text(DayAgenda agenda) => MailText.Wrap(templates.Render(options.Value.Language, Agenda.Text, Model(agenda, options.Value.Language)));

    public static AgendaModel Model(DayAgenda agenda, Language language)
    {
        ArgumentNullException.ThrowIfNull(agenda);
        return new AgendaModel
        {
            TechnicianName = MailText.SingleLine(agenda.Technician.Name),
            Date = GermanDates.Date(agenda.Day, language),
            ZoneId = agenda.Technician.Zone.Id,
            Entries = [.. agenda.Entries.Select(e => new AgendaEntryModel
            {
                Time = e.Time.Compact(language),
                ShopTime = e.ShopTime?.Sentence(language),
                StartTime = e.Time.StartText(language),
                EndTime = e.Time.EndText(language),
                ShopName = MailText.SingleLine(e.Customer.DisplayName),
                CustomerNumber = e.Customer.Number,
                ContactName = MailText.SingleLine(e.Customer.ContactName),
                Phone = e.Customer.Phone,
                RustdeskId = e.RustDesk?.Display,
                RustdeskConfirmed = e.Readiness == RustDeskReadiness.Confirmed,
                TypeTitle = e.Type.Title(language),
                Billable = Billing.IsBillable(e.Type, e.Customer),
                Notes = e.Appointment.Notes,
                Response = e.Appointment.Response.Code(),
                AnsweredAt = e.AnsweredAt(agenda.Technician.Zone),
                AnsweredBy = e.Appointment.RespondedBy,
                AppointmentId = e.Appointment.Id,
            })],
        };
    }
}
