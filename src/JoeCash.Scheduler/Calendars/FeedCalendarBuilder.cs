using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.Serialization;
using NodaTime;
using Duration = NodaTime.Duration;

namespace JoeCash.Scheduler.Calendars;

/// <summary>One appointment in a published calendar (a subscription feed): no people, no alarm.</summary>
/// <param name="Uid">The appointment's own UID.</param>
/// <param name="Sequence">The appointment's SEQUENCE.</param>
/// <param name="Start">When it starts.</param>
/// <param name="End">When it ends.</param>
/// <param name="Stamp">DTSTAMP and LAST-MODIFIED: the appointment's last change, so the same data gives the same bytes.</param>
/// <param name="Summary">SUMMARY (one line; the serializer escapes it).</param>
/// <param name="Description">DESCRIPTION (may hold line breaks; the serializer escapes them).</param>
/// <param name="Location">LOCATION.</param>
public sealed record FeedEventData(string Uid, int Sequence, Instant Start, Instant End, Instant Stamp, string Summary, string Description, string Location);

/// <summary>A published calendar: its name, the zone its times are written in, its events.</summary>
/// <param name="Name">X-WR-CALNAME: what the subscribing client calls it.</param>
/// <param name="Zone">The zone of DTSTART/DTEND (TZID, with its VTIMEZONE).</param>
/// <param name="RefreshInterval">REFRESH-INTERVAL and X-PUBLISHED-TTL: how often clients should fetch it again.</param>
/// <param name="Events">The events, in the order they are written.</param>
public sealed record FeedCalendarData(string Name, DateTimeZone Zone, Duration RefreshInterval, IReadOnlyList<FeedEventData> Events);

/// <summary>
/// Writes a subscription feed (RFC 5545, METHOD:PUBLISH, RFC 7986 REFRESH-INTERVAL): every event with its
/// own UID and SEQUENCE, times with TZID and the zone's VTIMEZONE (UTC in the autumn overlap, as in the
/// invitations). Nothing in it depends on the clock: the same data gives the same bytes.
/// </summary>
public static class FeedCalendarBuilder
{
    /// <summary>The VTIMEZONE's rules are those in effect since this date; fixed, so the bytes do not change with the year.</summary>
    private static readonly DateTime TimeZoneRulesSince = new(2000, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);

    /// <summary>The calendar text, CRLF line ends.</summary>
    /// <param name="data">The calendar's name, zone and events.</param>
    public static string Build(FeedCalendarData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var calendar = new Calendar { Method = "PUBLISH", ProductId = "-//JoeCash//Scheduler//DE" };
        calendar.AddProperty("X-WR-CALNAME", data.Name);
        calendar.AddProperty("X-WR-TIMEZONE", data.Zone.Id);
        var interval = Iso(data.RefreshInterval);
        var refresh = new CalendarProperty("REFRESH-INTERVAL", interval);
        refresh.Parameters.Add("VALUE", "DURATION");
        calendar.Properties.Add(refresh);
        calendar.AddProperty("X-PUBLISHED-TTL", interval);
        calendar.AddTimeZone(VTimeZone.FromDateTimeZone(data.Zone.Id, TimeZoneRulesSince, includeHistoricalData: false));
        foreach (var e in data.Events)
        {
            calendar.Events.Add(new CalendarEvent
            {
                Uid = e.Uid,
                Sequence = e.Sequence,
                DtStamp = CalendarBuilder.Utc(e.Stamp),
                LastModified = CalendarBuilder.Utc(e.Stamp),
                DtStart = CalendarBuilder.At(e.Start, data.Zone),
                DtEnd = CalendarBuilder.At(e.End, data.Zone),
                Summary = e.Summary,
                Description = e.Description,
                Location = e.Location,
                Status = "CONFIRMED",
                Transparency = "OPAQUE",
            });
        }

        return new CalendarSerializer().SerializeToString(calendar)!;
    }

    /// <summary>An RFC 5545 duration of whole hours and minutes: PT1H, PT30M, PT1H30M.</summary>
    private static string Iso(Duration duration)
    {
        var hours = (long)duration.TotalHours;
        var minutes = duration.Minutes;
        return "PT" + (hours > 0 ? $"{hours}H" : "") + (minutes > 0 || hours == 0 ? $"{minutes}M" : "");
    }
}
