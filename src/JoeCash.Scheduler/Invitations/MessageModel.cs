namespace JoeCash.Scheduler.Invitations;

/// <summary>
/// What the templates may use (in Liquid with snake_case names: <c>{{ contact_name }}</c>). All text
/// is already checked user input or configuration; the HTML templates encode it on output.
/// </summary>
public sealed record MessageModel
{
    /// <summary>request, update, cancel or reminder.</summary>
    public string Kind { get; init; } = "request";

    public bool IsUpdate => Kind == "update";

    public bool IsCancel => Kind == "cancel";

    public string ContactName { get; init; } = "";

    public string ShopName { get; init; } = "";

    public string CustomerNumber { get; init; } = "";

    public string TechnicianName { get; init; } = "";

    public string TypeTitle { get; init; } = "";

    public bool Billable { get; init; }

    public string? CostNotice { get; init; }

    /// <summary>"Dienstag, 1. Dezember 2026".</summary>
    public string Date { get; init; } = "";

    public string StartTime { get; init; } = "";

    public string EndTime { get; init; } = "";

    /// <summary>"MEZ", "MESZ", or the zone's abbreviation.</summary>
    public string ZoneName { get; init; } = "";

    public string? PreviousDate { get; init; }

    public string? PreviousStartTime { get; init; }

    /// <summary>As RustDesk displays it ("732 901 938"), or null when none is on file.</summary>
    public string? RustdeskId { get; init; }

    public string RustdeskHelpUrl { get; init; } = "";

    public string? Notes { get; init; }

    public string SupportEmail { get; init; } = "";

    public string SupportPhone { get; init; } = "";

    public long AppointmentId { get; init; }

    /// <summary>For reminders: how long before the start this one goes out ("24 Stunden", "1 hour").</summary>
    public string? LeadTime { get; init; }

    /// <summary>A sample for checking templates at start-up: every field set, every branch reachable.</summary>
    public static MessageModel Sample(string kind) => new()
    {
        Kind = kind,
        ContactName = "Erika Mustermann",
        ShopName = "Bäckerei Beispiel – Filiale Mitte",
        CustomerNumber = "K00000",
        TechnicianName = "Anna Berger",
        TypeTitle = "Schulung",
        Billable = true,
        CostNotice = "Kostenpflichtig.",
        Date = "Dienstag, 1. Dezember 2026",
        StartTime = "10:00",
        EndTime = "11:00",
        ZoneName = "MEZ",
        PreviousDate = "Montag, 30. November 2026",
        PreviousStartTime = "09:00",
        RustdeskId = "732 901 938",
        RustdeskHelpUrl = "https://example.test/rustdesk",
        Notes = "Bondrucker",
        SupportEmail = "support@example.test",
        SupportPhone = "+49 30 1234567",
        AppointmentId = 1,
        LeadTime = "24 Stunden",
    };
}
