using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using NodaTime;

namespace JoeCash.Scheduler.Calendars;

/// <summary>An iTIP method (RFC 5546): what a calendar message asks of its recipient. Typed end to end; written in upper case.</summary>
public enum CalendarMethod
{
    /// <summary>An invitation, or its update (same UID, higher SEQUENCE).</summary>
    Request,

    /// <summary>The appointment is off: calendars remove it.</summary>
    Cancel,

    /// <summary>An attendee's answer: PARTSTAT accepted, tentative or declined.</summary>
    Reply,

    /// <summary>An attendee proposes another time (Outlook's "propose new time").</summary>
    Counter,

    /// <summary>An attendee asks for the current invitation again.</summary>
    Refresh,

    /// <summary>The organizer turns a counter-proposal down; the invitation stands.</summary>
    DeclineCounter,
}

/// <summary>The iCalendar and MIME spelling of a method.</summary>
public static class CalendarMethods
{
    public static string Name(this CalendarMethod method) => method switch
    {
        CalendarMethod.Request => "REQUEST",
        CalendarMethod.Cancel => "CANCEL",
        CalendarMethod.Reply => "REPLY",
        CalendarMethod.Counter => "COUNTER",
        CalendarMethod.Refresh => "REFRESH",
        CalendarMethod.DeclineCounter => "DECLINECOUNTER",
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, null),
    };

    /// <summary>The method a METHOD value names (case-blind, as clients vary), or null for one this service does not know.</summary>
    public static CalendarMethod? Parse(string? name) => name?.Trim().ToUpperInvariant() switch
    {
        "REQUEST" => CalendarMethod.Request,
        "CANCEL" => CalendarMethod.Cancel,
        "REPLY" => CalendarMethod.Reply,
        "COUNTER" => CalendarMethod.Counter,
        "REFRESH" => CalendarMethod.Refresh,
        "DECLINECOUNTER" => CalendarMethod.DeclineCounter,
        _ => null,
    };
}

/// <summary>What goes into one invitation's VEVENT.</summary>
public sealed record CalendarEventData(
    CalendarMethod Method,
    string Uid,
    int Sequence,
    Instant Start,
    Instant End,
    Instant Stamp,
    DateTimeZone Zone,
    string Summary,
    string Description,
    string Location,
    string OrganizerEmail,
    string OrganizerName,
    string AttendeeEmail,
    string AttendeeName,
    int AlarmMinutesBefore);

/// <summary>
/// Writes iMIP invitations with Ical.Net (RFC 5545/5546/6047): METHOD REQUEST or CANCEL, the shop's
/// contact as the only ATTENDEE with RSVP, ORGANIZER the support mailbox, times with a full VTIMEZONE.
/// </summary>
public static class CalendarBuilder
{
    // A VTIMEZONE takes ~40% of building an invitation: build it once per zone and thread.
    [ThreadStatic]
    private static Dictionary<string, VTimeZone>? _timeZones;

    public static string Build(CalendarEventData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var calendar = new Calendar { Method = data.Method.Name(), ProductId = "-//JoeCash//Scheduler//DE" };
        calendar.AddTimeZone(TimeZoneFor(data.Zone));
        var cancelled = data.Method == CalendarMethod.Cancel;
        var evt = new CalendarEvent
        {
            Uid = data.Uid,
            Sequence = data.Sequence,
            DtStamp = Utc(data.Stamp),
            DtStart = At(data.Start, data.Zone),
            DtEnd = At(data.End, data.Zone),
            Summary = data.Summary,
            Description = data.Description,
            Location = data.Location,
            Status = cancelled ? "CANCELLED" : "CONFIRMED",
            Transparency = "OPAQUE",
            Organizer = new Organizer("mailto:" + data.OrganizerEmail) { CommonName = data.OrganizerName },
        };
        evt.Attendees.Add(new Attendee("mailto:" + data.AttendeeEmail)
        {
            CommonName = data.AttendeeName,
            Role = "REQ-PARTICIPANT",
            ParticipationStatus = "NEEDS-ACTION",
            Rsvp = data.Method == CalendarMethod.Request,
        });
        if (data.Method == CalendarMethod.Request && data.AlarmMinutesBefore > 0)
        {
            evt.Alarms.Add(new Alarm { Action = "DISPLAY", Description = data.Summary, Trigger = new Trigger(Ical.Net.DataTypes.Duration.FromMinutes(-data.AlarmMinutesBefore)) });
        }

        calendar.Events.Add(evt);
        return new CalendarSerializer().SerializeToString(calendar)!;
    }

    /// <summary>
    /// A zone-local time with TZID where that is unambiguous; UTC where the wall-clock time occurs twice
    /// (autumn overlap), because a TZID time in the overlap always means its first occurrence (RFC 5545 §3.3.5).
    /// </summary>
    internal static CalDateTime At(Instant instant, DateTimeZone zone)
    {
        var local = instant.InZone(zone).LocalDateTime;
        return zone.MapLocal(local).Count == 1
            ? new CalDateTime(local.Year, local.Month, local.Day, local.Hour, local.Minute, local.Second, zone.Id)
            : Utc(instant);
    }

    internal static CalDateTime Utc(Instant instant) => new(instant.ToDateTimeUtc());

    private static VTimeZone TimeZoneFor(DateTimeZone zone)
    {
        _timeZones ??= [];
        if (!_timeZones.TryGetValue(zone.Id, out var timeZone))
        {
            timeZone = VTimeZone.FromDateTimeZone(zone.Id);
            _timeZones[zone.Id] = timeZone;
        }

        return timeZone;
    }
}
