using NodaTime;

namespace JoeCash.Scheduler.Domain.Availability;

/// <summary>
/// The walk behind <see cref="SlotEngine.FindSlots(SlotQuery, IReadOnlyList{TechnicianSchedule}, SlotsPerStart)"/>: every
/// candidate of every schedule, checked in ticks with a forward cursor, each free one handed to a sink that keeps all of them
/// or each start's first-ranked. A 14-day search over 1,000 technicians walks some 400,000 candidates and finds ~250,000
/// free slots, so each step here is counted.
/// </summary>
public static partial class SlotEngine
{
    /// <summary>What the walk hands its free slots to: every one (<see cref="SlotsPerStart.All"/>) or each start's first-ranked.</summary>
    private interface IFoundSink
    {
        /// <summary>False when a free slot of <paramref name="technicianId"/> at <paramref name="start"/> would be dropped whatever its load: then it is not checked.</summary>
        bool CouldKeep(long start, long technicianId);

        /// <summary>A free slot: ticks since the epoch, and the technician's load at its start.</summary>
        void Add(long start, long end, long technicianId, int load);
    }

    /// <summary>The schedule's free starts with their load, handed to <paramref name="found"/> in order of wall-clock time.</summary>
    private static void AddFreeSlots<TSink>(SlotQuery query, TechnicianSchedule schedule, (long Start, long End)[]? shopBusy, DayPlans days, ref TSink found)
        where TSink : struct, IFoundSink
    {
        var technician = schedule.Technician;
        var type = query.Type;
        if (!technician.Active || !technician.Takes(type.Key))
        {
            return;
        }

        var zone = technician.Zone;
        var (firstDate, plans) = days.Of(zone, schedule.Holidays, technician.State);
        var cursor = default(TechnicianSchedule.Cursor);
        for (var day = 0; day < plans.Length; day++)
        {
            var plan = plans[day];
            var date = firstDate.PlusDays(day);
            if (plan.Holiday || (technician.DailyCap is { } cap && schedule.BookedOn(date) >= cap))
            {
                continue;
            }

            var windows = technician.Hours.On(date.DayOfWeek);
            if (windows.Count == 0)
            {
                continue;
            }

            if (plan.Midnight is { } midnight)
            {
                AddFreeSlotsOnPlainDay(query, schedule, windows, midnight, shopBusy, ref cursor, ref found);
            }
            else
            {
                AddFreeSlotsOnTransitionDay(query, schedule, date, windows, shopBusy, ref cursor, ref found);
            }
        }
    }

    /// <summary>
    /// The days of a search as each (zone, holiday calendar, federal state) sees them, worked out once per search instead of
    /// once per technician: 1,000 technicians share a handful of zones and 16 states, and mapping a midnight or looking up a
    /// holiday for each of their days was a good part of the walk.
    /// </summary>
    private sealed class DayPlans(SlotQuery query)
    {
        private readonly Dictionary<(DateTimeZone Zone, IHolidayCalendar Holidays, FederalState State), (LocalDate First, DayPlan[] Days)> _plans = [];

        public (LocalDate First, DayPlan[] Days) Of(DateTimeZone zone, IHolidayCalendar holidays, FederalState state)
        {
            if (!_plans.TryGetValue((zone, holidays, state), out var plan))
            {
                var first = query.Earliest.InZone(zone).Date;
                var last = query.Range.End.InZone(zone).Date;
                var days = new DayPlan[Math.Max(0, Period.DaysBetween(first, last) + 1)];
                for (var day = 0; day < days.Length; day++)
                {
                    var date = first.PlusDays(day);
                    days[day] = new DayPlan(holidays.IsHoliday(state, date), OneOffsetAllDay(zone, date));
                }

                _plans[(zone, holidays, state)] = plan = (first, days);
            }

            return plan;
        }
    }

    /// <summary>One day of a search: a public holiday, and the instant of its local midnight when one offset holds all day.</summary>
    private readonly record struct DayPlan(bool Holiday, Instant? Midnight);

    /// <summary>
    /// The instant of the day's local midnight when one offset holds from it to the next day's midnight (every day
    /// but the two a year the clocks change): then a wall-clock minute is that instant plus the minutes, and the
    /// mapping of each candidate (most of a slot search's cost with 1,000 technicians) is not needed.
    /// </summary>
    private static Instant? OneOffsetAllDay(DateTimeZone zone, LocalDate date)
    {
        var mapping = zone.MapLocal(date.AtMidnight());
        if (mapping.Count != 1)
        {
            return null;
        }

        var interval = mapping.EarlyInterval;
        var midnight = mapping.First().ToInstant();
        // Strictly after the next midnight: a window ending at 24:00 ends there, on the same offset.
        return !interval.HasEnd || interval.End > midnight + Duration.FromHours(24) + Duration.FromMinutes(1) ? midnight : null;
    }

    private static void AddFreeSlotsOnPlainDay<TSink>(
        SlotQuery query, TechnicianSchedule schedule, IReadOnlyList<TimeWindow> windows, Instant midnight, (long Start, long End)[]? shopBusy,
        ref TechnicianSchedule.Cursor cursor, ref TSink found)
        where TSink : struct, IFoundSink
    {
        var type = query.Type;
        var duration = type.Duration.BclCompatibleTicks;
        var earliest = query.Earliest.ToUnixTimeTicks();
        var rangeEnd = query.Range.End.ToUnixTimeTicks();
        var day = midnight.ToUnixTimeTicks();
        var grid = query.GridMinutes;
        foreach (var window in windows)
        {
            var windowEnd = day + (window.EndMinuteOfDay * NodaConstants.TicksPerMinute);
            var first = ((window.StartMinuteOfDay + grid - 1) / grid) * grid;
            for (var minute = first; minute < window.EndMinuteOfDay; minute += grid)
            {
                var start = day + (minute * NodaConstants.TicksPerMinute);
                var end = start + duration;
                if (end > windowEnd || start >= rangeEnd)
                {
                    // One offset all day: every later minute is a later instant.
                    break;
                }

                if (start >= earliest)
                {
                    TryAdd(type, schedule, start, end, shopBusy, ref cursor, ref found);
                }
            }
        }
    }

    /// <summary>The general walk, for a day on which the clocks change: each wall-clock minute mapped on its own.</summary>
    private static void AddFreeSlotsOnTransitionDay<TSink>(
        SlotQuery query, TechnicianSchedule schedule, LocalDate date, IReadOnlyList<TimeWindow> windows, (long Start, long End)[]? shopBusy,
        ref TechnicianSchedule.Cursor cursor, ref TSink found)
        where TSink : struct, IFoundSink
    {
        var zone = schedule.Technician.Zone;
        var type = query.Type;
        var earliest = query.Earliest;
        var grid = query.GridMinutes;
        foreach (var window in windows)
        {
            var windowEnd = WindowEnd(date, window, zone);
            var first = ((window.StartMinuteOfDay + grid - 1) / grid) * grid;
            var endMinute = window.EndMinuteOfDay;
            for (var minute = first; minute < endMinute; minute += grid)
            {
                // Empty inside the spring-forward gap; two instants in the autumn overlap, both offered.
                var mapping = zone.MapLocal(date.At(new LocalTime(minute / 60, minute % 60)));
                for (var occurrence = 0; occurrence < mapping.Count; occurrence++)
                {
                    var start = (occurrence == 0 ? mapping.First() : mapping.Last()).ToInstant();
                    var end = start + type.Duration;
                    if (end > windowEnd || start < earliest || start >= query.Range.End)
                    {
                        // Not "break": in the overlap a later wall-clock minute can be an earlier instant.
                        continue;
                    }

                    TryAdd(type, schedule, start.ToUnixTimeTicks(), end.ToUnixTimeTicks(), shopBusy, ref cursor, ref found);
                }
            }
        }
    }

    /// <summary>
    /// Adds the start (ticks since the epoch) with its load unless time off, another appointment (buffers included) or the shop's
    /// till is in the way, or <paramref name="found"/> could not keep it anyway.
    /// </summary>
    private static void TryAdd<TSink>(
        AppointmentType type, TechnicianSchedule schedule, long start, long end, (long Start, long End)[]? shopBusy, ref TechnicianSchedule.Cursor cursor, ref TSink found)
        where TSink : struct, IFoundSink
    {
        var technicianId = schedule.Technician.Id;
        if (!found.CouldKeep(start, technicianId))
        {
            return;
        }

        var reach = LoadReach.BclCompatibleTicks;
        if (!schedule.FreeDuring(start - type.BufferBefore.BclCompatibleTicks, end + type.BufferAfter.BclCompatibleTicks, start - reach, start + reach, ref cursor, out var load))
        {
            return;
        }

        if (shopBusy is not null)
        {
            foreach (var (busyStart, busyEnd) in shopBusy)
            {
                if (busyStart < end && start < busyEnd)
                {
                    return;
                }
            }
        }

        found.Add(start, end, technicianId, load);
    }
}
