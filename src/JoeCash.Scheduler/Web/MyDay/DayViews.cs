using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using JoeCash.Scheduler.Agenda;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Invitations;
using JoeCash.Scheduler.Outcomes;
using NodaTime;

namespace JoeCash.Scheduler.Web.MyDay;

/// <summary>One appointment as the technician's pages show it: every text ready to print, times on the technician's clock.</summary>
public sealed record EntryView(
    long Id,
    string Time,
    string? Zone,
    string? ShopTime,
    string Shop,
    string CustomerNumber,
    string Contact,
    string? Phone,
    string? PhoneHref,
    string? RustDesk,
    string? RustDeskValue,
    string? RustDeskHref,
    string Readiness,
    string Type,
    bool Billable,
    string? Notes,
    string Answer,
    string? AnsweredAt,
    string? AnsweredBy,
    string? Proposed,
    bool Begun = false,
    string? Outcome = null,
    int? OutcomeMinutes = null,
    long? FollowUpId = null);

/// <summary>One day: its title, whether the clocks change that day (and how), its appointments.</summary>
public sealed record DayView(string Date, string Title, bool IsToday, string? ClockChange, IReadOnlyList<EntryView> Entries);

/// <summary>What a technician's page shows, and a version of it (a hash) the live refresh compares.</summary>
public sealed record DaysView(long TechnicianId, string TechnicianName, string ZoneId, string Today, IReadOnlyList<DayView> Days)
{
    public string Version { get; init; } = "";
}

/// <summary>
/// Turns a technician's days into page texts. Times are in the technician's zone; the zone is named when the shops'
/// zone differs (with the shop's time beside it); on a day the clocks change every time carries its UTC offset.
/// </summary>
public static class DayViews
{
    public static DaysView From(TechnicianDays days, Language language)
    {
        ArgumentNullException.ThrowIfNull(days);
        var zone = days.Technician.Zone;
        var view = new DaysView(
            days.Technician.Id,
            days.Technician.Name,
            zone.Id,
            IsoTime.Day(days.Today),
            [.. days.Days.Select(d => new DayView(
                IsoTime.Day(d.Day),
                GermanDates.Date(d.Day, language),
                d.Day == days.Today,
                ClockChange(zone, d.Day),
                [.. d.Entries.Select(e => Entry(e, zone, language, days.Proposals.GetValueOrDefault(e.Appointment.Id)) with
                {
                    Begun = days.Now >= e.Appointment.Start,
                    Outcome = days.Outcomes.GetValueOrDefault(e.Appointment.Id)?.Kind.Code(),
                    OutcomeMinutes = days.Outcomes.GetValueOrDefault(e.Appointment.Id)?.Minutes,
                    FollowUpId = days.Outcomes.GetValueOrDefault(e.Appointment.Id)?.FollowUpId,
                })]))]);
        return view with { Version = VersionOf(view) };
    }

    /// <summary>"10:00–11:00"; on a clock-change day "10:00–11:00 (UTC+2)", or "01:30 (UTC+1) – 03:30 (UTC+2)" across the change.</summary>
    public static string Time(LocalTimeRange range)
    {
        var start = range.Start.TimeOfDay.ToString("HH:mm", CultureInfo.InvariantCulture);
        var end = range.End.TimeOfDay.ToString("HH:mm", CultureInfo.InvariantCulture);
        if (!range.Tagged)
        {
            return $"{start}–{end}";
        }

        var startOffset = Offset(range.Start.Offset);
        var endOffset = Offset(range.End.Offset);
        return startOffset == endOffset ? $"{start}–{end} ({startOffset})" : $"{start} ({startOffset}) – {end} ({endOffset})";
    }

    /// <summary>"UTC+2", "UTC-3", "UTC+5:30", "UTC+0".</summary>
    public static string Offset(Offset offset) =>
        "UTC" + offset.ToString("+H:mm", CultureInfo.InvariantCulture).Replace(":00", "", StringComparison.Ordinal);

    /// <summary>"UTC+1 → UTC+2" when the zone's clocks change during <paramref name="day"/>, else null.</summary>
    public static string? ClockChange(DateTimeZone zone, LocalDate day)
    {
        ArgumentNullException.ThrowIfNull(zone);
        if (!LocalTimeRange.ChangesOn(zone, day))
        {
            return null;
        }

        var before = zone.AtStartOfDay(day).Offset;
        var after = zone.AtStartOfDay(day.PlusDays(1)).ToInstant().Minus(Duration.FromTicks(1)).InZone(zone).Offset;
        return $"{Offset(before)} → {Offset(after)}";
    }

    /// <summary>"tel:+494312345", digits and a leading plus only.</summary>
    public static string? PhoneHref(string? phone)
    {
        var digits = new string((phone ?? "").Where((c, i) => char.IsAsciiDigit(c) || (c == '+' && i == 0)).ToArray());
        return digits.Trim('+').Length == 0 ? null : "tel:" + digits;
    }

    /// <summary>RustDesk's own URL scheme: the ID without spaces.</summary>
    public static string RustDeskHref(RustDeskId id) => "rustdesk://connection/new/" + Uri.EscapeDataString(id.Value);

    private static EntryView Entry(AgendaEntry e, DateTimeZone zone, Language language, OpenProposal? proposal)
    {
        var differs = e.ShopTime is not null;
        return new EntryView(
            e.Appointment.Id,
            Time(e.Time),
            differs ? zone.Id : null,
            e.ShopTime is { } shop ? $"{Time(shop)} {shop.Zone.Id}" : null,
            e.Customer.DisplayName,
            e.Customer.Number,
            e.Customer.ContactName,
            e.Customer.Phone,
            PhoneHref(e.Customer.Phone),
            e.RustDesk?.Display,
            e.RustDesk?.Value,
            e.RustDesk is { } id ? RustDeskHref(id) : null,
            e.Readiness.Code(),
            e.Type.Title(language),
            Billing.IsBillable(e.Type, e.Customer),
            e.Appointment.Notes,
            proposal is null ? e.Appointment.Response.Code() : "proposed",
            proposal is null ? e.AnsweredAt(zone) : Stamp(proposal.CreatedAt, zone),
            e.Appointment.RespondedBy,
            proposal is null ? null : Proposed(proposal, zone, language));
    }

    private static string Stamp(Instant at, DateTimeZone zone) =>
        at.InZone(zone).ToString("dd.MM.yyyy HH:mm", CultureInfo.InvariantCulture);

    private static string Proposed(OpenProposal proposal, DateTimeZone zone, Language language)
    {
        var range = LocalTimeRange.In(proposal.ProposedStart, proposal.ProposedEnd, zone);
        return $"{GermanDates.Date(range.Start.Date, language)}, {Time(range)}";
    }

    /// <summary>A short hash of everything shown: the live refresh swaps the section only when it changes.</summary>
    private static string VersionOf(DaysView view)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(view with { Version = "" });
        return Convert.ToHexStringLower(SHA256.HashData(json))[..16];
    }
}
