using NodaTime;

namespace JoeCash.Scheduler.Domain.Availability;

/// <summary>
/// <see cref="SlotsPerStart.FirstRanked"/>: while the walk runs, each start keeps only its best technician so far (least
/// booked, then the lower id), so a search over 1,000 technicians keeps ~1,000 starts instead of ~250,000 slots and needs no
/// sort. A technician is not even checked at a start whose best so far has no load and a lower id: nobody can beat that.
/// </summary>
public static partial class SlotEngine
{
    /// <summary>Above this many grid steps in the range, every start is kept in the dictionary instead of an array.</summary>
    private const long MostStepsInArray = 1 << 22;

    /// <summary>Each start's first-ranked technician so far.</summary>
    /// <remarks>
    /// Starts on the grid's step counted from the epoch (all of them when every zone's offset is a multiple of the grid,
    /// as with a 15-minute grid and any zone of today) are kept in arrays indexed by their step; any other start (an odd
    /// offset meeting the grid) in a dictionary.
    /// </remarks>
    private readonly struct FirstRankedFound : IFoundSink
    {
        private readonly long _first;
        private readonly long _step;
        private readonly long[] _technicians;
        private readonly int[] _loads; // load + 1; 0: no technician yet
        private readonly Dictionary<long, (long TechnicianId, int Load)> _offStep = [];

        public FirstRankedFound(SlotQuery query)
        {
            _step = query.GridMinutes * NodaConstants.TicksPerMinute;
            var earliest = query.Earliest.ToUnixTimeTicks();
            _first = earliest - (((earliest % _step) + _step) % _step);
            var steps = (query.Range.End.ToUnixTimeTicks() - _first) / _step + 1;
            var length = steps is > 0 and <= MostStepsInArray ? (int)steps : 0;
            _technicians = new long[length];
            _loads = new int[length];
        }

        public bool CouldKeep(long start, long technicianId)
        {
            if (Index(start) is var index and >= 0)
            {
                return _loads[index] != 1 || _technicians[index] > technicianId;
            }

            return !_offStep.TryGetValue(start, out var best) || best.Load != 0 || best.TechnicianId > technicianId;
        }

        public void Add(long start, long end, long technicianId, int load)
        {
            if (Index(start) is var index and >= 0)
            {
                if (_loads[index] == 0 || Before(load, technicianId, _loads[index] - 1, _technicians[index]))
                {
                    _loads[index] = load + 1;
                    _technicians[index] = technicianId;
                }
            }
            else if (!_offStep.TryGetValue(start, out var best) || Before(load, technicianId, best.Load, best.TechnicianId))
            {
                _offStep[start] = (technicianId, load);
            }
        }

        /// <summary>The kept slots in order of start.</summary>
        public Slot[] Slots(Duration duration)
        {
            var kept = new List<(long Start, long TechnicianId)>(_offStep.Count + 64);
            for (var index = 0; index < _loads.Length; index++)
            {
                if (_loads[index] != 0)
                {
                    kept.Add((_first + (index * _step), _technicians[index]));
                }
            }

            if (_offStep.Count > 0)
            {
                kept.AddRange(_offStep.Select(s => (s.Key, s.Value.TechnicianId)));
                kept.Sort((a, b) => a.Start.CompareTo(b.Start));
            }

            var ticks = duration.BclCompatibleTicks;
            return [.. kept.Select(s => new Slot(Instant.FromUnixTimeTicks(s.Start), Instant.FromUnixTimeTicks(s.Start + ticks), s.TechnicianId))];
        }

        private int Index(long start)
        {
            var (index, off) = Math.DivRem(start - _first, _step);
            return off == 0 && index >= 0 && index < _loads.Length ? (int)index : -1;
        }

        /// <summary>Whether the first ranks before the second: <see cref="RankKey"/>'s order.</summary>
        private static bool Before(int load, long technicianId, int otherLoad, long otherTechnicianId) =>
            RankKey(load, technicianId).CompareTo(RankKey(otherLoad, otherTechnicianId)) < 0;
    }
}
