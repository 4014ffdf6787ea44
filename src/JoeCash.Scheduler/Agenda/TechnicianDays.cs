using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Outcomes;
using JoeCash.Scheduler.Storage;
using JoeCash.Scheduler.Technicians;
using NodaTime;

namespace JoeCash.Scheduler.Agenda;

/// <summary>Which days to show: one day, the Monday–Sunday week around it, or a number of days from it.</summary>
public readonly record struct DaySpan(int Days, bool FromMonday)
{
    public const int MostDays = 31;

    public static DaySpan Day => new(1, false);

    public static DaySpan Week => new(7, true);

    public static DaySpan Of(int days) => new(Math.Clamp(days, 1, MostDays), false);
}

/// <summary>
/// A technician's days as their pages show them: each day's agenda (booked appointments only, as in the morning
/// email), the shops' open counter-proposals, and "today" on the technician's own clock.
/// </summary>
public sealed record TechnicianDays(
    Technician Technician,
    LocalDate Today,
    IReadOnlyList<DayAgenda> Days,
    IReadOnlyDictionary<long, OpenProposal> Proposals)
{
    /// <summary>The outcomes recorded so far for the days' appointments.</summary>
    public IReadOnlyDictionary<long, AppointmentOutcome> Outcomes { get; init; } = new Dictionary<long, AppointmentOutcome>();

    /// <summary>When the days were read: an appointment that has begun by then can take its outcome.</summary>
    public Instant Now { get; init; }
}

/// <summary>The technician's pages (my day, my week, print): the agenda, day by day, in the technician's zone.</summary>
public sealed class TechnicianDayService(Database database, AgendaBuilder builder, IClock clock)
{
    /// <summary>
    /// The days of <paramref name="technicianId"/> from <paramref name="date"/> (today in the technician's zone if
    /// null), or null when there is no such technician.
    /// </summary>
    public async Task<TechnicianDays?> DaysAsync(long technicianId, LocalDate? date, DaySpan span, CancellationToken cancellationToken = default)
    {
        Technician? technician;
        await using (var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false))
        {
            technician = await connection.TechnicianByIdAsync(technicianId).ConfigureAwait(false);
        }

        if (technician is null)
        {
            return null;
        }

        var now = clock.GetCurrentInstant();
        var today = now.InZone(technician.Zone).Date;
        var first = date ?? today;
        if (span.FromMonday)
        {
            first = first.With(DateAdjusters.PreviousOrSame(IsoDayOfWeek.Monday));
        }

        var days = new List<DayAgenda>(span.Days);
        for (var i = 0; i < span.Days; i++)
        {
            days.Add(await builder.BuildAsync(technician, first.PlusDays(i), cancellationToken).ConfigureAwait(false));
        }

        var ids = days.SelectMany(d => d.Entries).Select(e => e.Appointment.Id).ToArray();
        await using (var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false))
        {
            var proposals = await connection.OpenProposalsAsync(ids).ConfigureAwait(false);
            var outcomes = await connection.OutcomesOfAsync(ids).ConfigureAwait(false);
            return new TechnicianDays(technician, today, days, proposals) { Outcomes = outcomes, Now = now };
        }
    }
}
