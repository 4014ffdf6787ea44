using NodaTime;

namespace JoeCash.Scheduler.Domain.Availability;

/// <summary>
/// Everything the slot engine needs to know about one technician for a query: who they are, what is
/// already booked (with buffers; only booked appointments, not cancelled ones), their time off and their holidays. Built once per query, then read
/// many times: the busy blocks are kept as sorted arrays so each candidate costs one binary search.
/// </summary>
public sealed class TechnicianSchedule
{
    private readonly Instant[] _busyStarts;
    private readonly Instant[] _busyEnds;
    private readonly long[] _busyIds;
    private readonly Instant[] _offStarts;
    private readonly Instant[] _offEnds;
    private readonly Dictionary<LocalDate, int> _bookedPerDay = [];
    private readonly Instant[] _bookedStarts;
    private readonly long[] _busyStartTicks;
    private readonly long[] _busyEndTicks;
    private readonly long[] _offStartTicks;
    private readonly long[] _offEndTicks;
    private readonly long[] _bookedStartTicks;

    public TechnicianSchedule(
        Technician technician,
        IHolidayCalendar holidays,
        IEnumerable<BookedTime> booked,
        IEnumerable<Interval> timeOff)
    {
        ArgumentNullException.ThrowIfNull(technician);
        ArgumentNullException.ThrowIfNull(holidays);
        Technician = technician;
        Holidays = holidays;

        var active = booked
            .Where(a => a.TechnicianId == technician.Id)
            .OrderBy(a => a.Blocked.Start)
            .ToArray();
        _busyStarts = [.. active.Select(a => a.Blocked.Start)];
        _busyEnds = [.. active.Select(a => a.Blocked.End)];
        _busyIds = [.. active.Select(a => a.Id)];
        _bookedStarts = [.. active.Select(a => a.Time.Start).Order()];
        foreach (var appointment in active)
        {
            var day = appointment.Time.Start.InZone(technician.Zone).Date;
            _bookedPerDay[day] = _bookedPerDay.GetValueOrDefault(day) + 1;
        }

        var merged = Merge(timeOff);
        _offStarts = [.. merged.Select(i => i.Start)];
        _offEnds = [.. merged.Select(i => i.End)];

        // The same, as ticks since the epoch, for the slot search's inner loop: a slot search over 1,000 technicians
        // checks some 400,000 candidates, and comparing longs costs a fraction of comparing instants.
        _busyStartTicks = [.. _busyStarts.Select(i => i.ToUnixTimeTicks())];
        _busyEndTicks = [.. _busyEnds.Select(i => i.ToUnixTimeTicks())];
        _offStartTicks = [.. _offStarts.Select(i => i.ToUnixTimeTicks())];
        _offEndTicks = [.. _offEnds.Select(i => i.ToUnixTimeTicks())];
        _bookedStartTicks = [.. _bookedStarts.Select(i => i.ToUnixTimeTicks())];
    }

    /// <summary>
    /// Where a walk through the schedule in time order has got to: the candidates of a day come in increasing time, so
    /// each check moves these indices forward by a step or none instead of searching the arrays afresh. Going back in
    /// time (the autumn overlap) starts the walk over.
    /// </summary>
    internal struct Cursor
    {
        internal int Off;
        internal int Busy;
        internal int LoadFrom;
        internal int LoadUntil;
        internal long LastStart;
    }

    /// <summary>
    /// Whether the span from <paramref name="startTicks"/> to <paramref name="endTicks"/> (ticks since the epoch) is clear of
    /// time off and of booked blocks (<see cref="OffDuring"/> and <see cref="BusyDuring"/> both false), and if so
    /// <paramref name="load"/>: <see cref="BookedWithin"/> of the load window from <paramref name="loadFrom"/> to
    /// <paramref name="loadUntil"/>; walking with <paramref name="cursor"/>.
    /// </summary>
    internal bool FreeDuring(long startTicks, long endTicks, long loadFrom, long loadUntil, ref Cursor cursor, out int load)
    {
        load = 0;
        if (startTicks < cursor.LastStart)
        {
            cursor = default;
        }

        cursor.LastStart = startTicks;
        while (cursor.Off < _offEndTicks.Length && _offEndTicks[cursor.Off] <= startTicks)
        {
            cursor.Off++;
        }

        if (cursor.Off < _offStartTicks.Length && _offStartTicks[cursor.Off] < endTicks)
        {
            return false;
        }

        while (cursor.Busy < _busyEndTicks.Length && _busyEndTicks[cursor.Busy] <= startTicks)
        {
            cursor.Busy++;
        }

        if (cursor.Busy < _busyStartTicks.Length && _busyStartTicks[cursor.Busy] < endTicks)
        {
            return false;
        }

        // The load window moves with the start (both of its ends by the same amount), so it never goes back either.
        while (cursor.LoadFrom < _bookedStartTicks.Length && _bookedStartTicks[cursor.LoadFrom] < loadFrom)
        {
            cursor.LoadFrom++;
        }

        cursor.LoadUntil = Math.Max(cursor.LoadUntil, cursor.LoadFrom);
        while (cursor.LoadUntil < _bookedStartTicks.Length && _bookedStartTicks[cursor.LoadUntil] < loadUntil)
        {
            cursor.LoadUntil++;
        }

        load = cursor.LoadUntil - cursor.LoadFrom;
        return true;
    }

    public Technician Technician { get; }

    public IHolidayCalendar Holidays { get; }

    internal int BookedOn(LocalDate day) => _bookedPerDay.GetValueOrDefault(day);

    /// <summary>How many appointments start inside <paramref name="range"/>: the load "any technician" ranks by.</summary>
    internal int BookedWithin(Interval range)
    {
        var from = LowerBound(_bookedStarts, range.Start);
        var to = LowerBound(_bookedStarts, range.End);
        return to - from;
    }

    /// <summary>The id of a booked appointment whose blocked time overlaps the span from <paramref name="start"/> to <paramref name="end"/>, if any.</summary>
    internal long? BusyDuring(Instant start, Instant end)
    {
        var index = FirstEndingAfter(_busyEnds, start);
        return index < _busyStarts.Length && _busyStarts[index] < end ? _busyIds[index] : null;
    }

    internal bool OffDuring(Instant start, Instant end)
    {
        var index = FirstEndingAfter(_offEnds, start);
        return index < _offStarts.Length && _offStarts[index] < end;
    }

    /// <summary>Index of the first interval whose end is after <paramref name="instant"/> (ends are sorted because intervals don't overlap).</summary>
    private static int FirstEndingAfter(Instant[] ends, Instant instant)
    {
        int lo = 0, hi = ends.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (ends[mid] <= instant)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private static int LowerBound(Instant[] sorted, Instant instant)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (sorted[mid] < instant)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private static List<Interval> Merge(IEnumerable<Interval> intervals)
    {
        var merged = new List<Interval>();
        foreach (var interval in intervals.OrderBy(i => i.Start))
        {
            if (merged.Count > 0 && interval.Start <= merged[^1].End)
            {
                var last = merged[^1];
                merged[^1] = new Interval(last.Start, Instant.Max(last.End, interval.End));
            }
            else
            {
                merged.Add(interval);
            }
        }

        return merged;
    }
}
