using NodaTime;

namespace JoeCash.Scheduler.Domain.Availability;

/// <summary>
/// <see cref="SlotsPerStart.All"/>: every free technician of every start, kept while the walk runs, then one counting sort
/// into (start, load, technician) order. With 1,000 technicians over 14 days that is ~250,000 slots.
/// </summary>
public static partial class SlotEngine
{
    /// <summary>Keeps every free slot, in the order the walk finds them (technician by technician in id order).</summary>
    private readonly struct EveryFound(List<SlotEngine.Found> found) : IFoundSink
    {
        public bool CouldKeep(long start, long technicianId) => true;

        public void Add(long start, long end, long technicianId, int load) => found.Add(new Found(start, end, technicianId, load));
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
