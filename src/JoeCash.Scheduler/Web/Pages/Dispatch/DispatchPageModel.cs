using System.Globalization;
using JoeCash.Scheduler.Booking;
using JoeCash.Scheduler.Configuration;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Domain.Availability;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NodaTime;

namespace JoeCash.Scheduler.Web.Pages.Dispatch;

/// <summary>
/// What the dispatcher's pages share: times in the dispatchers' zone (<c>Scheduler:TimeZone</c>), written as
/// people read them, and a refusal from the booking service in the page's own words.
/// </summary>
public abstract class DispatchPageModel : StaffPageModel
{
    /// <summary>Monday first, as NodaTime counts: the service runs in invariant-globalization mode, so no culture knows these.</summary>
    private static readonly string[] GermanDays = ["Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"];

    public SchedulerOptions Scheduler => HttpContext.RequestServices.GetRequiredService<IOptions<SchedulerOptions>>().Value;

    /// <summary>The zone dispatchers type and read times in.</summary>
    public DateTimeZone Zone => Scheduler.Zone;

    public Language Words => Language == "en" ? Domain.Language.En : Domain.Language.De;

    /// <summary>"Di 01.12.2026" / "Tue 2026-12-01".</summary>
    public string Day(Instant instant) => Words == Domain.Language.En
        ? instant.InZone(Zone).ToString("ddd yyyy-MM-dd", CultureInfo.InvariantCulture)
        : $"{GermanDays[(int)instant.InZone(Zone).DayOfWeek - 1]} {instant.InZone(Zone).ToString("dd.MM.yyyy", CultureInfo.InvariantCulture)}";

    /// <summary>"Di 01.12.2026 10:00–11:00", on a clock-change day with the zone abbreviations.</summary>
    public string When(Interval time) => $"{Day(time.Start)} {LocalTimeRange.In(time, Zone).Compact(Words)}";

    /// <summary>"Di 01.12.2026 10:00".</summary>
    public string At(Instant instant) => $"{Day(instant)} {LocalTimeRange.In(instant, instant, Zone).StartText(Words)}";

    /// <summary>The value a <c>datetime-local</c> field shows for <paramref name="instant"/>.</summary>
    public string FieldValue(Instant instant) => instant.InZone(Zone).LocalDateTime.ToString("uuuu-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);

    /// <summary>The zone's name for the page header ("Zeiten in Europe/Berlin").</summary>
    public string ZoneNote => string.Format(CultureInfo.InvariantCulture, T("dispatch.zone"), Zone.Id);

    /// <summary>The refusal's headline in the page's words; <see cref="Refusal.Message"/> stays as the detail.</summary>
    public string Headline(Refusal refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        return refusal.Code switch
        {
            RefusalCode.SlotNotFree => T("refusal.slot." + (refusal.SlotReason ?? SlotRejection.TechnicianBusy).ToString().ToLowerInvariant()),
            var code => T("refusal." + code.ToString().ToLowerInvariant()),
        };
    }

    /// <summary>The HTTP status a refused change answers with, as the API does: 400 bad input, 409 taken, 412 stale.</summary>
    protected static int StatusOf(Refusal refusal) => refusal.Kind switch
    {
        RefusalKind.Conflict => StatusCodes.Status409Conflict,
        RefusalKind.Stale => StatusCodes.Status412PreconditionFailed,
        _ => refusal.Code == RefusalCode.NotFound ? StatusCodes.Status404NotFound : StatusCodes.Status400BadRequest,
    };

    /// <summary>The wording of a count or a value into a page text with placeholders.</summary>
    public string Format(string key, params object?[] values) => string.Format(CultureInfo.InvariantCulture, T(key), values);
}
