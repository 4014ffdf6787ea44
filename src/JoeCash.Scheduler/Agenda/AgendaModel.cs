namespace JoeCash.Scheduler.Agenda;

/// <summary>What the agenda templates may use (<c>{% for e in entries %}{{ e.shop_name }}{% endfor %}</c>).</summary>
public sealed record AgendaModel
{
    public string TechnicianName { get; init; } = "";

    public string Date { get; init; } = "";

    public string ZoneId { get; init; } = "";

    public int Count => Entries.Count;

    public IReadOnlyList<AgendaEntryModel> Entries { get; init; } = [];

    public static AgendaModel Sample => new()
    {
        TechnicianName = "Anna Berger",
        Date = "Dienstag, 1. Dezember 2026",
        ZoneId = "Europe/Berlin",
        Entries =
        [
            new AgendaEntryModel
            {
                Time = "10:00–11:00", ShopTime = "16:00–17:00 Uhr (MEZ)", StartTime = "10:00", EndTime = "11:00", ShopName = "Bäckerei Beispiel – Mitte", CustomerNumber = "K00000", ContactName = "Erika Mustermann",
                Phone = "+49 30 1234567", RustdeskId = "732 901 938", TypeTitle = "Schulung", Billable = true, Notes = "Bondrucker", Response = "accepted", AppointmentId = 1,
                AnsweredAt = "30.11.2026 10:14", AnsweredBy = "erika@example.test", RustdeskConfirmed = true,
            },
        ],
    };
}

/// <summary>One appointment in the agenda.</summary>
public sealed record AgendaEntryModel
{
    /// <summary>In the technician's zone: "10:00–11:00", or "02:30 MESZ – 02:30 MEZ" on a clock-change day.</summary>
    public string Time { get; init; } = "";

    /// <summary>The same span on the shop's clock when the technician works in another zone ("16:00–17:00 Uhr (MEZ)"), else null.</summary>
    public string? ShopTime { get; init; }

    public string StartTime { get; init; } = "";

    public string EndTime { get; init; } = "";

    public string ShopName { get; init; } = "";

    public string CustomerNumber { get; init; } = "";

    public string ContactName { get; init; } = "";

    public string? Phone { get; init; }

    /// <summary>As RustDesk displays it, or null when the shop has none on file.</summary>
    public string? RustdeskId { get; init; }

    public string TypeTitle { get; init; } = "";

    public bool Billable { get; init; }

    public string? Notes { get; init; }

    /// <summary>The shop confirmed the ID for this appointment.</summary>
    public bool RustdeskConfirmed { get; init; }

    /// <summary>False when the technician cannot connect: no RustDesk ID on file.</summary>
    public bool Ready => RustdeskId is not null;

    /// <summary>needs-action, accepted, tentative or declined.</summary>
    public string Response { get; init; } = "";

    /// <summary>When the answer came, in the technician's zone ("30.11.2026 10:14"), or null while there is none.</summary>
    public string? AnsweredAt { get; init; }

    /// <summary>The address that answered.</summary>
    public string? AnsweredBy { get; init; }

    public long AppointmentId { get; init; }
}
