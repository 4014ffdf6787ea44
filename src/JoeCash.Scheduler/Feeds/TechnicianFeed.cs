using System.Security.Cryptography;
using System.Text;
using JoeCash.Scheduler.Booking;
using JoeCash.Scheduler.Calendars;
using JoeCash.Scheduler.Configuration;
using JoeCash.Scheduler.Customers;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Invitations;
using JoeCash.Scheduler.Mail;
using JoeCash.Scheduler.Storage;
using JoeCash.Scheduler.Technicians;
using NodaTime;

namespace JoeCash.Scheduler.Feeds;

/// <summary>A rendered feed: the bytes, their type, and a strong ETag the web face answers 304 with.</summary>
/// <param name="TechnicianId">Whose feed it is.</param>
/// <param name="Content">The calendar, UTF-8, CRLF line ends.</param>
/// <param name="ETag">A strong entity tag (quoted) of exactly these bytes.</param>
/// <param name="Events">How many appointments it holds.</param>
public sealed record FeedDocument(long TechnicianId, byte[] Content, string ETag, int Events)
{
    /// <summary>The media type to serve it with.</summary>
    public const string ContentType = "text/calendar; charset=utf-8";
}

/// <summary>
/// One technician's own calendar as a subscription feed: their booked appointments from
/// <see cref="Past"/> before the clock to <see cref="Ahead"/> after it (cancelled ones gone), each with the
/// appointment's UID and SEQUENCE, times in the technician's zone, and the same description as the
/// technician's invitation, in the staff language. The same data always gives the same bytes.
/// </summary>
public sealed class TechnicianFeed(
    Database database, AppointmentTypeCatalog types, TemplateCatalog templates, StaffLanguage staff, IClock clock)
{
    /// <summary>How far back the feed reaches.</summary>
    public static readonly Duration Past = Duration.FromDays(30);

    /// <summary>How far ahead the feed reaches.</summary>
    public static readonly Duration Ahead = Duration.FromDays(90);

    /// <summary>How often subscribing clients should fetch it again.</summary>
    public static readonly Duration RefreshInterval = Duration.FromHours(1);

    /// <summary>The technician's feed as it stands now, or null if there is no such technician.</summary>
    /// <param name="technicianId">The technician (found by <see cref="FeedTokens.FindTechnicianAsync"/>).</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    public async Task<FeedDocument?> RenderAsync(long technicianId, CancellationToken cancellationToken = default)
    {
        var now = clock.GetCurrentInstant();
        var window = new Interval(now - Past, now + Ahead);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        if (await connection.TechnicianByIdAsync(technicianId).ConfigureAwait(false) is not { } technician)
        {
            return null;
        }

        var appointments = await connection.BookedOfTechnicianInAsync(technicianId, window).ConfigureAwait(false);
        var customers = await connection.CustomersByIdAsync(appointments.Select(a => a.CustomerId)).ConfigureAwait(false);
        var language = staff.Language;
        var events = appointments.Select(a => Event(new AppointmentContext(a, customers[a.CustomerId], technician, types.ForStored(a.TypeKey)), technician, language)).ToList();
        var name = MailText.SingleLine(language == Language.En ? $"JoeCash remote sessions – {technician.Name}" : $"JoeCash Fernwartungen – {technician.Name}");
        var text = FeedCalendarBuilder.Build(new FeedCalendarData(name, technician.Zone, RefreshInterval, events));
        var bytes = Encoding.UTF8.GetBytes(text);
        return new FeedDocument(technicianId, bytes, ETagOf(bytes), events.Count);
    }

    /// <summary>A strong ETag of <paramref name="content"/>: the first 128 bits of its SHA-256, quoted.</summary>
    /// <param name="content">The bytes served.</param>
    public static string ETagOf(byte[] content) => $"\"{Convert.ToHexStringLower(SHA256.HashData(content))[..32]}\"";

    private FeedEventData Event(AppointmentContext context, Technician technician, Language language)
    {
        var model = TechnicianMessageModel.From("request", context, technician, language);
        var description = templates.Render(language, TechnicianInvitationComposer.Invitation.CalendarDescription!, model).Trim();
        var appointment = context.Appointment;
        return new FeedEventData(
            appointment.Uid,
            appointment.Sequence,
            appointment.Start,
            appointment.End,
            appointment.UpdatedAt,
            TechnicianMessageModel.Summary(language, model.ShopName, model.CustomerNumber),
            description,
            TechnicianMessageModel.Location(language, model.RustdeskId));
    }
}
