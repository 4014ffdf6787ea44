using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Mail;

namespace JoeCash.Scheduler.Invitations;

/// <summary>
/// What a technician's own invitation (and their calendar feed) says about an appointment, in the staff
/// language: the shop, its contact and phone, the RustDesk ID, the type and the shop's notes. Every text is
/// user input made safe for one line (notes keep their line breaks); the templates read it in snake_case.
/// </summary>
public sealed record TechnicianMessageModel
{
    /// <summary>request, update or cancel.</summary>
    public string Kind { get; init; } = "request";

    public bool IsUpdate => Kind == "update";

    public bool IsCancel => Kind == "cancel";

    public string TechnicianName { get; init; } = "";

    /// <summary>The company, without the branch.</summary>
    public string Company { get; init; } = "";

    public string? Branch { get; init; }

    /// <summary>"Company – Branch".</summary>
    public string ShopName { get; init; } = "";

    public string CustomerNumber { get; init; } = "";

    public string ContactName { get; init; } = "";

    public string? Phone { get; init; }

    /// <summary>As RustDesk displays it ("732 901 938"), or null when none is on file.</summary>
    public string? RustdeskId { get; init; }

    public string TypeTitle { get; init; } = "";

    public bool Billable { get; init; }

    public string? Notes { get; init; }

    /// <summary>"Dienstag, 1. Dezember 2026", in the technician's zone.</summary>
    public string Date { get; init; } = "";

    /// <summary>The time line in the technician's zone, as <see cref="LocalTimeRange"/> writes it.</summary>
    public string TimeRange { get; init; } = "";

    /// <summary>The start alone, for subjects.</summary>
    public string StartAt { get; init; } = "";

    /// <summary>The previous start of a moved appointment.</summary>
    public string? PreviousDate { get; init; }

    public string? PreviousStartAt { get; init; }

    /// <summary>A cancellation's reason, if one was given.</summary>
    public string? Reason { get; init; }

    public long AppointmentId { get; init; }

    /// <summary>The model for one appointment as its technician reads it.</summary>
    /// <param name="kind">request, update or cancel.</param>
    /// <param name="context">The appointment and what its messages mention.</param>
    /// <param name="technician">The technician this copy is for (after a reassignment, the old one gets the cancellation).</param>
    /// <param name="language">The staff language.</param>
    public static TechnicianMessageModel From(string kind, AppointmentContext context, Technician technician, Language language)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(technician);
        var zone = technician.Zone;
        var time = LocalTimeRange.In(context.Appointment.Time, zone);
        var previous = context.Previous is { } p ? LocalTimeRange.In(p.Time, zone) : (LocalTimeRange?)null;
        var customer = context.Customer;
        return new TechnicianMessageModel
        {
            Kind = kind,
            TechnicianName = MailText.SingleLine(technician.Name),
            Company = MailText.SingleLine(customer.Company),
            Branch = customer.Branch is { } branch ? MailText.SingleLine(branch) : null,
            ShopName = MailText.SingleLine(customer.DisplayName),
            CustomerNumber = MailText.SingleLine(customer.Number),
            ContactName = MailText.SingleLine(customer.ContactName),
            Phone = customer.Phone is { } phone ? MailText.SingleLine(phone) : null,
            RustdeskId = (customer.RustDeskId ?? context.Appointment.RustDesk)?.Display,
            TypeTitle = context.Type.Title(language),
            Billable = Billing.IsBillable(context.Type, customer),
            Notes = context.Appointment.Notes is { } notes ? MailText.Multiline(notes) : null,
            Date = GermanDates.Date(time.Start.Date, language),
            TimeRange = time.Sentence(language),
            StartAt = time.StartSentence(language),
            PreviousDate = previous is { } was ? GermanDates.Date(was.Start.Date, language) : null,
            PreviousStartAt = previous?.StartSentence(language),
            Reason = context.Reason is { } reason ? MailText.SingleLine(reason) : null,
            AppointmentId = context.Appointment.Id,
        };
    }

    /// <summary>A sample for checking templates at start-up: every field set.</summary>
    /// <param name="kind">request, update or cancel.</param>
    public static TechnicianMessageModel Sample(string kind) => new()
    {
        Kind = kind,
        TechnicianName = "Anna Berger",
        Company = "Bäckerei Beispiel",
        Branch = "Filiale Mitte",
        ShopName = "Bäckerei Beispiel – Filiale Mitte",
        CustomerNumber = "K00000",
        ContactName = "Erika Mustermann",
        Phone = "+49 30 1234567",
        RustdeskId = "732 901 938",
        TypeTitle = "Schulung",
        Billable = true,
        Notes = "Bondrucker",
        Date = "Dienstag, 1. Dezember 2026",
        TimeRange = "10:00–11:00 Uhr (MEZ)",
        StartAt = "10:00 Uhr",
        PreviousDate = "Montag, 30. November 2026",
        PreviousStartAt = "09:00 Uhr",
        Reason = "Filiale geschlossen",
        AppointmentId = 1,
    };

    /// <summary>The calendar SUMMARY of a technician's copy: what it is and for which shop.</summary>
    /// <param name="language">The staff language.</param>
    /// <param name="shopName">The shop as shown ("Company – Branch").</param>
    /// <param name="customerNumber">The shop's number.</param>
    public static string Summary(Language language, string shopName, string customerNumber) =>
        MailText.SingleLine(language == Language.En ? $"Remote session: {shopName} ({customerNumber})" : $"Fernwartung: {shopName} ({customerNumber})");

    /// <summary>The calendar LOCATION of a technician's copy: where to connect.</summary>
    /// <param name="language">The staff language.</param>
    /// <param name="rustDeskId">The RustDesk ID as displayed, or null.</param>
    public static string Location(Language language, string? rustDeskId) => (language, rustDeskId) switch
    {
        (Language.En, null) => "RustDesk (no ID on file yet)",
        (Language.En, _) => $"RustDesk {rustDeskId}",
        (_, null) => "RustDesk (noch keine ID)",
        _ => $"RustDesk {rustDeskId}",
    };
}
