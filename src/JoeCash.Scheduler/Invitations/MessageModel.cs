namespace JoeCash.Scheduler.Invitations;

/// <summary>
/// What the templates may use (in Liquid with snake_case names: <c>{{ contact_name }}</c>). All text
/// is already checked user input or configuration; the HTML templates encode it on output.
/// </summary>
public sealed record MessageModel
{
    private readonly string? _timeRange;
    private readonly string? _startAt;
    private readonly string? _previousStartAt;

    /// <summary>request, update, cancel or reminder.</summary>
    public string Kind { get; init; } = "request";

    public bool IsUpdate => Kind == "update";

    public bool IsCancel => Kind == "cancel";

    public string ContactName { get; init; } = "";

    /// <summary>A declined counter-proposal: the time the shop proposed ("Mittwoch, 2. Dezember 2026, 08:00–09:00 Uhr (MEZ)").</summary>
    public string? ProposedAt { get; init; }

    public string ShopName { get; init; } = "";

    public string CustomerNumber { get; init; } = "";

    public string TechnicianName { get; init; } = "";

    public string TypeTitle { get; init; } = "";

    public bool Billable { get; init; }

    public string? CostNotice { get; init; }

    /// <summary>True when the shop has no support contract: then every appointment is billable.</summary>
    public bool NoSupportContract { get; init; }

    /// <summary>"Dienstag, 1. Dezember 2026".</summary>
    public string Date { get; init; } = "";

    /// <summary>
    /// The time line: "10:00–11:00 Uhr (MEZ)", or on a clock-change day "02:30 MESZ – 02:30 MEZ, 60 min"
    /// (see <see cref="Domain.LocalTimeRange"/>, the one place that knows the rule).
    /// </summary>
    /// <remarks>Messages queued before this field existed fall back to start, end and zone (still correct, only terser).</remarks>
    public string TimeRange
    {
        get => string.IsNullOrEmpty(_timeRange) ? $"{StartTime}–{EndTime} ({ZoneName})" : _timeRange;
        init => _timeRange = value;
    }

    /// <summary>The start alone, for subjects: "10:00 Uhr", or "02:30 MESZ" on a clock-change day.</summary>
    public string StartAt
    {
        get => string.IsNullOrEmpty(_startAt) ? StartTime : _startAt;
        init => _startAt = value;
    }

    /// <summary>"10:00", or "02:30 MESZ" on a clock-change day.</summary>
    public string StartTime { get; init; } = "";

    /// <summary>"11:00", or "02:30 MEZ" on a clock-change day.</summary>
    public string EndTime { get; init; } = "";

    /// <summary>"MEZ", "MESZ", or the zone's abbreviation, at the start.</summary>
    public string ZoneName { get; init; } = "";

    public string? PreviousDate { get; init; }

    /// <summary>The previous start as <see cref="StartAt"/> reads it ("10:00 Uhr", "02:30 MESZ").</summary>
    public string? PreviousStartAt
    {
        get => _previousStartAt ?? PreviousStartTime;
        init => _previousStartAt = value;
    }

    /// <summary>Only read from messages queued before <see cref="PreviousStartAt"/> existed.</summary>
    public string? PreviousStartTime { get; init; }

    /// <summary>For a cancellation: the reason given, if one was (user text, single line).</summary>
    public string? Reason { get; init; }

    /// <summary>As RustDesk displays it ("732 901 938"), or null when none is on file.</summary>
    public string? RustdeskId { get; init; }

    public string RustdeskHelpUrl { get; init; } = "";

    public string? Notes { get; init; }

    public string SupportEmail { get; init; } = "";

    public string SupportPhone { get; init; } = "";

    public long AppointmentId { get; init; }

    /// <summary>The seed of this recipient's personal link (see <see cref="ShopLinks.ShopLinkService"/>); the outbox keeps only this.</summary>
    public string? ShopLinkSeed { get; init; }

    /// <summary>The recipient's page for this appointment (<c>…/s/{token}</c>), made from the seed when the email is rendered.</summary>
    public string? ShopLinkUrl { get; init; }

    /// <summary>The page where the shop books appointments itself (<c>…/buchen</c>), named in the footer of every shop email; set when the email is rendered.</summary>
    public string? BookingPageUrl { get; init; }

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
        NoSupportContract = true,
        CostNotice = "Kostenpflichtig.",
        Date = "Dienstag, 1. Dezember 2026",
        TimeRange = "10:00–11:00 Uhr (MEZ)",
        StartAt = "10:00 Uhr",
        StartTime = "10:00",
        EndTime = "11:00",
        ZoneName = "MEZ",
        PreviousDate = "Montag, 30. November 2026",
        PreviousStartAt = "09:00 Uhr",
        Reason = "Filiale geschlossen",
        RustdeskId = "732 901 938",
        RustdeskHelpUrl = "https://example.test/rustdesk",
        Notes = "Bondrucker",
        SupportEmail = "support@example.test",
        SupportPhone = "+49 30 1234567",
        AppointmentId = 1,
        ShopLinkUrl = "https://termine.example.test/s/sample",
        BookingPageUrl = "https://termine.example.test/buchen",
        LeadTime = "24 Stunden",
    };
}
