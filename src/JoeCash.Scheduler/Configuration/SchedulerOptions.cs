using JoeCash.Scheduler.Domain;
using Microsoft.Extensions.Options;
using NodaTime;

namespace JoeCash.Scheduler.Configuration;

/// <summary>The "Scheduler" section: booking rules that apply to every appointment.</summary>
public sealed class SchedulerOptions
{
    public const string Section = "Scheduler";

    /// <summary>IANA zone in which people type and read times unless they say otherwise.</summary>
    public string TimeZone { get; set; } = "Europe/Berlin";

    public TimeSpan MinimumNotice { get; set; } = TimeSpan.FromHours(2);

    public int SlotGridMinutes { get; set; } = 15;

    /// <summary>How far ahead an appointment may start; typed dates beyond it are refused.</summary>
    public TimeSpan BookingHorizon { get; set; } = TimeSpan.FromDays(365);

    /// <summary>The right-hand side of every calendar UID this installation creates.</summary>
    public string UidDomain { get; set; } = "scheduler.joecash.test";

    /// <summary>Whether each technician also gets an invitation of their own (own UID, staff language) when an appointment is booked, moved or cancelled.</summary>
    public bool TechnicianInvitations { get; set; } = true;

    /// <summary>
    /// The cost notice for a shop without a support contract (every type is billable for it), in German;
    /// follows the support policy: the contract covers fixing faults, without it the work is charged.
    /// </summary>
    public string NoContractNoticeDe { get; set; } =
        "Für Ihre Filiale besteht kein JoeCash-Supportvertrag. Deshalb ist dieser Termin – auch das Beheben von Störungen und Fehlermeldungen – nicht durch einen Supportvertrag abgedeckt und wird gesondert berechnet.";

    public string NoContractNoticeEn { get; set; } =
        "Your shop has no JoeCash support contract. This appointment, including fixing faults and error messages, is therefore not covered by a support contract and is billed separately.";

    public DateTimeZone Zone => DateTimeZoneProviders.Tzdb[TimeZone];

    public NoContractNotice NoContractNotice => new(NoContractNoticeDe, NoContractNoticeEn);

    public Domain.BookingHorizon Horizon => new(Duration.FromTimeSpan(BookingHorizon));
}

/// <summary>One entry of the "AppointmentTypes" section.</summary>
public sealed class AppointmentTypeOptions
{
    public string Key { get; set; } = "";

    public string TitleDe { get; set; } = "";

    public string TitleEn { get; set; } = "";

    public TimeSpan Duration { get; set; }

    public TimeSpan BufferBefore { get; set; }

    public TimeSpan BufferAfter { get; set; }

    public bool Billable { get; set; }

    public string? CostNoticeDe { get; set; }

    public string? CostNoticeEn { get; set; }

    public AppointmentType ToDomain() => new(
        Key,
        TitleDe,
        TitleEn,
        NodaTime.Duration.FromTimeSpan(Duration),
        NodaTime.Duration.FromTimeSpan(BufferBefore),
        NodaTime.Duration.FromTimeSpan(BufferAfter),
        Billable,
        CostNoticeDe,
        CostNoticeEn);
}

/// <summary>Checks the configuration at start-up; every message names the key that is wrong.</summary>
public sealed class SchedulerOptionsValidator : IValidateOptions<SchedulerOptions>
{
    public ValidateOptionsResult Validate(string? name, SchedulerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (DateTimeZoneProviders.Tzdb.GetZoneOrNull(options.TimeZone) is null)
        {
            errors.Add($"Scheduler:TimeZone: '{options.TimeZone}' is not an IANA time zone id (e.g. Europe/Berlin).");
        }

        if (options.MinimumNotice < TimeSpan.Zero)
        {
            errors.Add($"Scheduler:MinimumNotice: '{options.MinimumNotice}' must not be negative.");
        }

        if (options.SlotGridMinutes is < 5 or > 240 || 1440 % options.SlotGridMinutes != 0)
        {
            errors.Add($"Scheduler:SlotGridMinutes: {options.SlotGridMinutes} must divide a day and lie between 5 and 240.");
        }

        if (options.BookingHorizon <= TimeSpan.Zero || options.BookingHorizon > Domain.BookingHorizon.Longest.ToTimeSpan())
        {
            errors.Add($"Scheduler:BookingHorizon: '{options.BookingHorizon}' must be more than zero and at most {Domain.BookingHorizon.Longest.Days} days (e.g. 365.00:00:00).");
        }

        if (string.IsNullOrWhiteSpace(options.UidDomain) || options.UidDomain.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '@' or ':' or ';'))
        {
            errors.Add($"Scheduler:UidDomain: '{options.UidDomain}' must be a host name.");
        }

        if (string.IsNullOrWhiteSpace(options.NoContractNoticeDe) || string.IsNullOrWhiteSpace(options.NoContractNoticeEn))
        {
            errors.Add("Scheduler:NoContractNoticeDe and Scheduler:NoContractNoticeEn: the cost notice for shops without a support contract is required in both languages.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
