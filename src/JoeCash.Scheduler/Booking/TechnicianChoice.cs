using System.Data.Common;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Domain.Availability;
using JoeCash.Scheduler.Storage;
using NodaTime;

namespace JoeCash.Scheduler.Booking;

/// <summary>
/// Which technician takes a start, and which starts to offer when none can: the slot engine's ranking
/// (<see cref="SlotEngine.RankAt(IReadOnlyList{Technician}, IReadOnlyDictionary{long, int})"/>), so a booking for "any technician" picks whom <c>slots</c> shows first.
/// </summary>
public sealed class TechnicianChoice(Database database, Availability availability, IClock clock)
{
    private const int AlternativeCount = 3;
    private static readonly Duration AlternativesBefore = Duration.FromDays(3);
    private static readonly Duration AlternativesAfter = Duration.FromDays(14);

    /// <summary>
    /// The first of <paramref name="candidates"/>, least booked around the start first, who is free for
    /// <paramref name="time"/>; else why nobody is. The ranking comes from one count query over the start's
    /// load window (what <see cref="SlotEngine.RankAt(IReadOnlyList{TechnicianSchedule}, Instant)"/> would count
    /// in the schedules); then schedules are read one technician at a time in that order, usually just the
    /// first's. All inside the caller's transaction.
    /// </summary>
    internal async Task<(TechnicianSchedule? Chosen, SlotProblem? Problem)> ChooseAsync(
        DbConnection connection, DbTransaction transaction, IReadOnlyList<Technician> candidates, AppointmentType type, Interval time,
        IReadOnlyList<Interval> shopBusy, long? excludeAppointmentId)
    {
        var window = SlotEngine.LoadWindow(time.Start);
        var ranked = candidates;
        if (candidates.Count > 1)
        {
            var booked = await connection.BookedStartsWithinAsync([.. candidates.Select(t => t.Id)], window, excludeAppointmentId, transaction).ConfigureAwait(false);
            ranked = SlotEngine.RankAt(candidates, booked);
        }

        var query = availability.Query(type, window, shopBusy);
        var problems = new List<SlotProblem>();
        foreach (var technician in ranked)
        {
            // A schedule read for the appointment's time covers its day (Availability widens by a day).
            var schedule = (await availability.LoadSchedulesAsync(connection, transaction, [technician], time, excludeAppointmentId).ConfigureAwait(false))[0];
            if (SlotEngine.Check(query, schedule, time.Start) is not { } refused)
            {
                return (schedule, null);
            }

            problems.Add(refused);
        }

        return (null, WhyNotFree(problems));
    }

    /// <summary>
    /// The free starts nearest <paramref name="wanted"/> (a few days before, two weeks after, never beyond the horizon);
    /// none that overlaps <paramref name="avoid"/> (a time the shop declined).
    /// </summary>
    internal async Task<IReadOnlyList<Slot>> NearestAlternativesAsync(
        AppointmentType type, IReadOnlyList<Technician> candidates, Instant wanted, long customerId, long? excludeAppointmentId, CancellationToken cancellationToken,
        Interval? avoid = null)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);

        // Never offer a start beyond the horizon; the wanted start is within it, so the range is never empty.
        var latest = availability.Options.Horizon.LatestStart(clock.GetCurrentInstant());
        var range = new Interval(wanted - AlternativesBefore, Instant.Min(wanted + AlternativesAfter, latest));
        var schedules = await availability.LoadSchedulesAsync(connection, null, candidates, range, excludeAppointmentId).ConfigureAwait(false);
        var shopBusy = (await connection.BookedForCustomerAsync(customerId, range).ConfigureAwait(false))
            .Where(a => a.Id != excludeAppointmentId).Select(a => a.Time).ToArray();
        return [.. SlotEngine.FindSlots(availability.Query(type, range, shopBusy), schedules, SlotsPerStart.FirstRanked)
            .Where(s => avoid is not { } declined || s.End <= declined.Start || s.Start >= declined.End)
            .OrderBy(s => Duration.Max(s.Start - wanted, wanted - s.Start))
            .ThenBy(s => s.Start)
            .Take(AlternativeCount)];
    }

    /// <summary>Why no technician can take the start: the one reason if all share it, else each technician's.</summary>
    private static SlotProblem WhyNotFree(List<SlotProblem> problems)
    {
        if (problems.Count == 1)
        {
            return problems[0];
        }

        // The same words for every technician ("… is in the past.") are said once.
        var messages = problems.Select(p => p.Message).Distinct(StringComparer.Ordinal).ToArray();
        if (messages.Length == 1)
        {
            return problems[0];
        }

        var all = $"No technician is free then. {string.Join(" ", messages)}";
        return problems.Select(p => p.Reason).Distinct().Count() == 1
            ? problems[0] with { Message = all }
            : new SlotProblem(SlotRejection.TechnicianBusy, all);
    }
}
