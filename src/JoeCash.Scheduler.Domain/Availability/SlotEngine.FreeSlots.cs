using NodaTime;

namespace JoeCash.Scheduler.Domain.Availability;

/// <summary>
/// The walk behind <see cref="SlotEngine.FindSlots"/>: every candidate of every schedule, checked in ticks with a
/// forward cursor, then one counting sort into (start, load, technician) order. A 14-day search over 1,000
/// technicians checks some 400,000 candidates and finds ~250,000 free slots, so each step here is counted.
/// </summary>
public static partial class SlotEngine
{
    /// <summary>The schedule's free starts with their load, added to <paramref name="found"/> in order of wall-clock time.</summary>
    private static void AddFreeSlots(SlotQuery query, TechnicianSchedule schedule, (long Start, long End)[]? shopBusy, List<Found> found)
    {
        var technician = schedule.Technician;
        var type = query.Type;
        if (!technician.Active || !technician.Takes(type.Key))
        {
            return;
        }

        var zone = technician.Zone;
        var earliest = query.Earliest;
        var lastDate = query.Range.End.InZone(zone).Date;
        var cursor = default(TechnicianSchedule.Cursor);
        for (var date = earliest.InZone(zone).Date; date <= lastDate; date = date.PlusDays(1))
        {
            if (schedule.Holidays.IsHoliday(technician.State, date)
                || (technician.DailyCap is { } cap && schedule.BookedOn(date) >= cap))
            {
                continue;
            }

            var windows = technician.Hours.On(date.DayOfWeek);
            if (windows.Count == 0)
            {
                continue;
            }

            if (OneOffsetAllDay(zone, date) is { } midnight)
            {
                AddFreeSlotsOnPlainDay(query, schedule, windows, midnight, shopBusy, ref cursor, found);
            }
            else
            {
                AddFreeSlotsOnTransitionDay(query, schedule, date, windows, shopBusy, ref cursor, found);
            }
        }
    }

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

    private static void AddFreeSlotsOnPlainDay(
        SlotQuery query, TechnicianSchedule schedule, IReadOnlyList<TimeWindow> windows, Instant midnight, (long Start, long End)[]? shopBusy,
        ref TechnicianSchedule.Cursor cursor, List<Found> found)
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
                    TryAdd(type, schedule, start, end, shopBusy, ref cursor, found);
                }
            }
        }
    }

    /// <summary>The general walk, for a day on which the clocks change: each wall-clock minute mapped on its own.</summary>
    private static void AddFreeSlotsOnTransitionDay(
        SlotQuery query, TechnicianSchedule schedule, LocalDate date, IReadOnlyList<TimeWindow> windows, (long Start, long End)[]? shopBusy,
        ref TechnicianSchedule.Cursor cursor, List<Found> found)
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

                    TryAdd(type, schedule, start.ToUnixTimeTicks(), end.ToUnixTimeTicks(), shopBusy, ref cursor, found);
                }
            }
        }
    }

    /// <summary>Adds the start (ticks since the epoch) with its load unless time off, another appointment (buffers included) or the shop's till is in the way.</summary>
    private static void TryAdd(
        AppointmentType type, TechnicianSchedule schedule, long start, long end, (long Start, long End)[]? shopBusy, ref TechnicianSchedule.Cursor cursor, List<Found> found)
    {
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

        found.Add(new Found(start, end, schedule.Technician.Id, load));
    }

    /// <summary>
    /// <paramref name="found"/> (in technician-id order) ordered by start, then load, then technician: one stable
    /// counting sort on (start, load). The starts are few distinct values (the grid's), so they are numbered by their
    /// distance from the first on a common step when they share one (always, unless zones with odd offsets meet an
    /// odd grid), else by a dictionary of the distinct starts.
    /// </summary>
    private static Slot[] InRankOrder(List<Found> found, int gridMinutes)
    {
        var count = found.Count;
        if (count == 0)
        {
            return [];
        }

        var items = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(found);
        var first = long.MaxValue;
        var last = long.MinValue;
        var maxLoad = 0;
        foreach (ref readonly var item in items)
        {
            first = Math.Min(first, item.Start);
            last = Math.Max(last, item.Start);
            maxLoad = Math.Max(maxLoad, item.Load);
        }

        var step = gridMinutes * NodaConstants.TicksPerMinute;
        var onStep = true;
        foreach (ref readonly var item in items)
        {
            if ((item.Start - first) % step != 0)
            {
                onStep = false;
                break;
            }
        }

        int[] rank;
        if (onStep)
        {
            rank = new int[count];
            for (var i = 0; i < count; i++)
            {
                rank[i] = (int)((items[i].Start - first) / step);
            }
        }
        else
        {
            rank = RankByDictionary(items);
        }

        var loads = maxLoad + 1;
        var starts = 0;
        foreach (var r in rank)
        {
            starts = Math.Max(starts, r + 1);
        }

        var bucketFirst = new int[(starts * loads) + 1];
        for (var i = 0; i < count; i++)
        {
            bucketFirst[(rank[i] * loads) + items[i].Load + 1]++;
        }

        for (var b = 1; b < bucketFirst.Length; b++)
        {
            bucketFirst[b] += bucketFirst[b - 1];
        }

        var ordered = new Slot[count];
        for (var i = 0; i < count; i++)
        {
            var item = items[i];
            ordered[bucketFirst[(rank[i] * loads) + item.Load]++] = new Slot(Instant.FromUnixTimeTicks(item.Start), Instant.FromUnixTimeTicks(item.End), item.TechnicianId);
        }

        return ordered;
    }

    /// <summary>Each item's start numbered in the order of the distinct starts.</summary>
    private static int[] RankByDictionary(ReadOnlySpan<Found> items)
    {
        var distinct = new SortedSet<long>();
        foreach (var item in items)
        {
            distinct.Add(item.Start);
        }

        var number = new Dictionary<long, int>(distinct.Count);
        foreach (var start in distinct)
        {
            number[start] = number.Count;
        }

        var rank = new int[items.Length];
        for (var i = 0; i < items.Length; i++)
        {
            rank[i] = number[items[i].Start];
        }

        return rank;
    }

    /// <summary>A free slot while the search runs: instants as ticks since the epoch, with the technician's load at its start.</summary>
    private readonly record struct Found(long Start, long End, long TechnicianId, int Load);
}
