using JoeCash.Scheduler.Agenda;
using JoeCash.Scheduler.Configuration;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Invitations;
using JoeCash.Scheduler.Mail;
using JoeCash.Scheduler.Reminders;
using Microsoft.Extensions.Options;
using MimeKit;
using NodaTime;

namespace JoeCash.Scheduler.Tests.Invitations;

/// <summary>Builds invitations in memory with the shipped templates, for tests that look at the messages themselves.</summary>
internal static class Invitations
{
    public static readonly DateTimeZone Berlin = DateTimeZoneProviders.Tzdb["Europe/Berlin"];

    public static readonly Instant Now = Instant.FromUtc(2026, 11, 27, 9, 0);

    /// <summary>Every template set the program registers.</summary>
    public static readonly TemplateSet[] Sets = [InvitationComposer.Invitation, InvitationComposer.Cancellation, ReminderComposer.Reminder, AgendaMailer.Agenda];

    private static readonly Lazy<TemplateCatalog> Templates = new(() => TemplateCatalog.Load(Path.Combine(AppContext.BaseDirectory, "config", "templates"), Sets));

    /// <summary>The one composer every feature hands its drafts to.</summary>
    public static MailComposer MailComposer => new(Templates.Value);

    /// <summary>The shipped templates, loaded and checked once.</summary>
    public static TemplateCatalog Catalog => Templates.Value;

    /// <summary>Text with every run of white space (line breaks and indentation of wrapped lines included) as one space.</summary>
    public static string Flat(string? text) => System.Text.RegularExpressions.Regex.Replace(text ?? "", @"\s+", " ");

    public static InvitationComposer Composer(MailOptions? mail = null, string zone = "Europe/Berlin") =>
        new(MailComposer, Options.Create(mail ?? new MailOptions()), Options.Create(new SchedulerOptions { TimeZone = zone }));

    public static AppointmentType Type(bool billable = false) => billable
        ? new("training", "Schulung / ausführliche Einweisung", "Training / detailed instruction", Duration.FromHours(1), Duration.Zero, Duration.FromMinutes(15), true,
            "Schulungen sind Zusatzleistungen und werden gesondert berechnet.", "Training is an extra service, billed separately.")
        : new("fault", "Störungsbehebung", "Fixing faults and error messages", Duration.FromHours(1), Duration.Zero, Duration.FromMinutes(15), false, null, null);

    public static Customer Customer(
        Language language = Language.De,
        string contact = "Jörg Müller",
        string company = "Bäckerei Müller GmbH",
        string? branch = "Filiale Schwabing",
        string? rustDesk = "732901938",
        bool contract = true,
        params string[] emails) =>
        new(1, "K10001", company, branch, "München", FederalState.BY, contact,
            emails.Length == 0 ? ["joerg.mueller@shop.test"] : emails, "+49 89 123456",
            rustDesk is null ? null : RustDeskId.Parse(rustDesk, "test").Value, language, contract, null);

    public static Technician Anna { get; } =
        new(1, "Anna Berger", "anna@joecash.test", Berlin, FederalState.BY, WeeklyHours.OfficeHours, new HashSet<string> { "fault", "training" }, null, true);

    public static Appointment Appointment(Instant start, int sequence = 0, string? notes = "Bondrucker druckt nicht", AppointmentStatus status = AppointmentStatus.Booked, Duration? length = null) =>
        new(7, "0123456789abcdef0123456789abcdef@scheduler.joecash.test", 1, 1, "fault",
            new Interval(start, start + (length ?? Duration.FromHours(1))), new Interval(start, start + Duration.FromMinutes(75)),
            status, ResponseStatus.NeedsAction, sequence, "732901938", notes, false, "test", Now, Now, 1);

    public static Instant Local(int year, int month, int day, int hour, int minute = 0) =>
        Berlin.AtStrictly(new LocalDateTime(year, month, day, hour, minute)).ToInstant();

    public static MailRenderer Renderer(MailOptions? mail = null) => new(Templates.Value, Options.Create(mail ?? new MailOptions()), []);

    /// <summary>The email exactly as the dispatcher would send it.</summary>
    public static byte[] Render(OutboxMessage message) => MailRenderer.ToBytes(Renderer().Render(message.MessageId, message.Payload));

    public static MimeMessage Parse(OutboxMessage message) => MimeMessage.Load(new MemoryStream(Render(message)));

    public static TextPart CalendarPart(MimeMessage message) =>
        message.BodyParts.OfType<TextPart>().Single(p => p.ContentType.IsMimeType("text", "calendar"));

    /// <summary>The calendar exactly as transferred (TextPart.Text would normalise CRLF to LF).</summary>
    public static string CalendarBytes(MimeMessage message)
    {
        using var decoded = new MemoryStream();
        CalendarPart(message).Content!.DecodeTo(decoded);
        return System.Text.Encoding.UTF8.GetString(decoded.ToArray());
    }
}
