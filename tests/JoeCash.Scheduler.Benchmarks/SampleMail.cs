using System.Text;
using JoeCash.Scheduler.Configuration;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Invitations;
using NodaTime;

namespace JoeCash.Scheduler.Benchmarks;

/// <summary>
/// The invitation the mail benchmarks send: a German shop with one contact address and a RustDesk ID, a "fault"
/// appointment on 29 Mar 2026 03:00–04:00 Berlin (the day clocks go forward; the same event as
/// <c>tests/ical-check/generate-bench.mjs</c>), technician Anna Berger, optional notes.
/// </summary>
public static class SampleMail
{
    /// <summary>03:00 CEST on the day clocks go forward.</summary>
    public static readonly Instant Start = Instant.FromUtc(2026, 3, 29, 1, 0);

    /// <summary>When the invitation was written (DTSTAMP, Date header).</summary>
    public static readonly Instant Created = Instant.FromUtc(2026, 3, 2, 9, 30);

    public const string ShortNotes = "Bondrucker druckt keine Belege.";

    private const string NotesText =
        "Bondrucker druckt seit dem Update keine Belege mehr, die Kasse meldet TSE-Fehler beim Tagesabschluss. "
        + "Bitte auch die Übertragung der Z-Bons an die Buchhaltung prüfen; das Händlerportal zeigt für März keine Umsätze. ";

    public static Customer Customer(string email) => new(
        1, "K20000", "Bäckerei Schäfer", "Filiale Hauptstraße", "Berlin", FederalState.BE, "Jörg Schäfer", [email],
        "+49 30 1234567", RustDeskId.Parse("732901938", "rustdesk").Value, Language.De, true, "Mo-Fr 08:00-18:00");

    public static Technician Technician(DateTimeZone zone) => new(
        1, "Anna Berger", "anna.berger@joecash.test", zone, FederalState.BE, WeeklyHours.Parse("Mon-Fri 08:00-17:00").Value,
        new HashSet<string>(["fault"]), DailyCap: null, Active: true);

    /// <summary>The appointment context of one invitation; <paramref name="index"/> makes the UID (and so the Message-ID) unique.</summary>
    public static AppointmentContext Context(AppointmentTypeCatalog types, DateTimeZone zone, int index = 0, string? notes = ShortNotes, string? email = null)
    {
        ArgumentNullException.ThrowIfNull(types);
        var type = types.Find("fault").Value;
        var time = new Interval(Start, Start + type.Duration);
        var appointment = new Appointment(
            1 + index, $"a{index:x8}-4c1e-4b7a-9d2f-6e0b3c5a7f19@scheduler.joecash.test", 1, 1, type.Key, time,
            new Interval(time.Start - type.BufferBefore, time.End + type.BufferAfter), AppointmentStatus.Booked, ResponseStatus.NeedsAction,
            0, "732901938", notes, false, "bench", Created, Created, 1);
        return new AppointmentContext(appointment, Customer(email ?? $"joerg.schaefer+{index}@shop.test"), Technician(zone), type);
    }

    /// <summary>Realistic notes of about <paramref name="length"/> characters (a shop's long description of its fault).</summary>
    public static string Notes(int length)
    {
        var builder = new StringBuilder(length + NotesText.Length);
        while (builder.Length < length)
        {
            builder.Append(NotesText);
        }

        return builder.ToString(0, length).TrimEnd();
    }
}
