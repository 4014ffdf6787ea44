using System.Globalization;
using JoeCash.Scheduler.Agenda;
using JoeCash.Scheduler.Domain;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using NodaTime.Text;

namespace JoeCash.Scheduler.Web.MyDay;

/// <summary>
/// What the technician's pages share: whose days (the signed-in technician's own; a dispatcher names one with
/// <c>?technician=</c>), which date, and the days themselves. A technician asking for someone else's days gets
/// 404, the same answer as for a technician that does not exist, so nothing is learned from it.
/// </summary>
public abstract class DayPageModel(TechnicianDayService days) : StaffPageModel
{
    /// <summary>What to show, once loaded.</summary>
    public DaysView View { get; private set; } = null!;

    /// <summary>The technician named in the address, kept on every link (dispatchers only).</summary>
    public long? TechnicianQuery { get; private set; }

    /// <summary>
    /// Whose days a dispatcher wants: null (no technician of their own, none named) shows the choice instead.
    /// Sets <see cref="View"/>, or returns the answer to give instead.
    /// </summary>
    protected async Task<IActionResult?> LoadAsync(string? date, string? technician, DaySpan span)
    {
        var (whose, refusal) = Whose(technician);
        if (refusal is not null)
        {
            return refusal;
        }

        NodaTime.LocalDate? day = null;
        if (!string.IsNullOrEmpty(date))
        {
            var parsed = LocalDatePattern.Iso.Parse(date);
            if (!parsed.Success || parsed.Value.Year is < 2000 or > 2200)
            {
                return BadRequest();
            }

            day = parsed.Value;
        }

        var loaded = await days.DaysAsync(whose!.Value, day, span, HttpContext.RequestAborted).ConfigureAwait(false);
        if (loaded is null)
        {
            return NotFound();
        }

        View = DayViews.From(loaded, Languages.Parse(Language, "language").Value);
        return null;
    }

    /// <summary>The signed-in technician's id, or for a dispatcher the one named; a technician naming another gets 404.</summary>
    private (long? Technician, IActionResult? Refusal) Whose(string? technician)
    {
        long? named = null;
        if (!string.IsNullOrEmpty(technician))
        {
            if (!long.TryParse(technician, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                return (null, NotFound());
            }

            named = id;
        }

        if (named is { } other && other != TechnicianId)
        {
            if (!Dispatches)
            {
                return (null, NotFound());
            }

            TechnicianQuery = other;
            return (other, null);
        }

        if (TechnicianId is { } own)
        {
            return (own, null);
        }

        return (null, Dispatches ? Redirect("/day/choose") : StatusCode(StatusCodes.Status403Forbidden));
    }

    /// <summary>A link to one of these pages for <paramref name="date"/>, keeping the technician a dispatcher chose.</summary>
    public string Link(string path, string? date = null, int? printDays = null)
    {
        var query = new List<string>();
        if (date is not null)
        {
            query.Add("date=" + date);
        }

        if (printDays is { } n)
        {
            query.Add("days=" + n.ToString(CultureInfo.InvariantCulture));
        }

        if (TechnicianQuery is { } technician)
        {
            query.Add("technician=" + technician.ToString(CultureInfo.InvariantCulture));
        }

        return query.Count == 0 ? path : path + "?" + string.Join('&', query);
    }

    /// <summary>The date <paramref name="days"/> away from <paramref name="date"/> (ISO, as in the links).</summary>
    public static string Shift(string date, int days) => IsoTime.Day(LocalDatePattern.Iso.Parse(date).Value.PlusDays(days));

    /// <summary>The page's word with its blank filled in.</summary>
    public string Format(string key, params object?[] values) => string.Format(CultureInfo.InvariantCulture, T(key), values);
}
