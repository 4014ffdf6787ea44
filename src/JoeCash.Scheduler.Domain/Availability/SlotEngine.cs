using System.Globalization;
using NodaTime;
using NodaTime.TimeZones;

namespace JoeCash.Scheduler.Domain.Availability;

/// <summary>
/// Finds free appointment starts and explains why a given start is not free. Pure: all input arrives
/// in the query and the schedules; no clock, no database.
/// </summary>
/// <remarks>
/// Candidates are wall-clock times on the grid in the technician's zone. A wall-clock time that does
/// not exist (spring-forward gap) is no candidate; one that exists twice (autumn overlap) is offered
/// at both instants, because both are real times a technician can work (and <c>book --later</c>
/// accepts the second): a night-shift day with the clocks going back has four more starts per hour of
/// overlap. Durations are elapsed time.
/// The appointment itself must lie within working hours; its buffers must only stay clear of other
/// appointments and time off.
/// </remarks>
public static partial class SlotEngine
{
    private static readonly ZoneLocalMappingResolver WindowEndResolver =
        Resolvers.CreateMappingResolver(Resolvers.ReturnLater, Resolvers.ReturnForwardShifted);

    /// <summary>
    /// How far around a start a technician's booked appointments count as their load: that day's work,
    /// give or take. A week either side made the slot search from SQLite 2.6 times slower (its schedules
    /// must cover the reach, so it read 14 more days of appointments).
    /// </summary>
    public static readonly Duration LoadReach = Duration.FromDays(1);

    /// <summary>
    /// Free slots of every schedule within the query's range, ordered by start; at equal starts the
    /// least-booked technician comes first (<see cref="RankAt(IReadOnlyList{TechnicianSchedule}, Instant)"/>: "any technician" spreads the load).
    /// </summary>
    public static IReadOnlyList<Slot> FindSlots(SlotQuery query, IReadOnlyList<TechnicianSchedule> schedules) =>
        FindSlots(query, schedules, SlotsPerStart.All);

    /// <summary>
    /// Free slots within the query's range, ordered by start; at equal starts the least-booked technician first, then the
    /// lower id (<see cref="RankAt(IReadOnlyList{TechnicianSchedule}, Instant)"/>: "any technician" spreads the load). With
    /// <see cref="SlotsPerStart.FirstRanked"/> only that first technician of each start: the same starts and, for each, the
    /// slot <see cref="SlotsPerStart.All"/> lists first.
    /// </summary>
    public static IReadOnlyList<Slot> FindSlots(SlotQuery query, IReadOnlyList<TechnicianSchedule> schedules, SlotsPerStart perStart)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(schedules);

        var shopBusy = query.ShopBusy?.Select(i => (i.Start.ToUnixTimeTicks(), i.End.ToUnixTimeTicks())).ToArray();
        var days = new DayPlans(query);
        if (perStart == SlotsPerStart.FirstRanked)
        {
            // In id order too: a technician with a higher id than a start's unloaded best need not be checked there.
            var first = new FirstRankedFound(query);
            foreach (var schedule in schedules.OrderBy(s => s.Technician.Id))
            {
                AddFreeSlots(query, schedule, shopBusy, days, ref first);
            }

            return first.Slots(query.Type.Duration);
        }

        // Technician by technician in id order, so the found slots need only two linear, stable passes to be in
        // (start, load, id) order: a comparison sort of every slot was most of the cost with 1,000 technicians.
        // Sized for about two free starts an hour of each day: growing a list to ~250,000 (1,000 technicians, 14 days) copies it a dozen times.
        var dayCount = (int)Math.Clamp((query.Range.End - query.Earliest).TotalDays + 1, 1, 400);
        var found = new List<Found>((int)Math.Min(1 << 20, (long)schedules.Count * dayCount * 24));
        var every = new EveryFound(found);
        foreach (var schedule in schedules.OrderBy(s => s.Technician.Id))
        {
            AddFreeSlots(query, schedule, shopBusy, days, ref every);
        }

        return InRankOrder(found, query.GridMinutes);
    }

    /// <summary>
    /// The schedules ordered for a start, least booked first, ties by technician id: the one ranking that
    /// the slot search shows and a booking for "any technician" follows. Each schedule must cover
    /// <see cref="LoadWindow"/> of the start.
    /// </summary>
    public static IReadOnlyList<TechnicianSchedule> RankAt(IReadOnlyList<TechnicianSchedule> schedules, Instant start)
    {
        ArgumentNullException.ThrowIfNull(schedules);
        return Ranked(schedules.Select(s => (s, s.Technician.Id, LoadAt(s, start))));
    }

    /// <summary>
    /// The same ranking from counts read elsewhere (a booking counts in SQL instead of reading every
    /// candidate's schedule): <paramref name="booked"/> is each technician's number of booked appointments
    /// starting within <see cref="LoadWindow"/> of the start, as <see cref="TechnicianSchedule"/> counts them;
    /// a technician missing from it has none.
    /// </summary>
    public static IReadOnlyList<Technician> RankAt(IReadOnlyList<Technician> technicians, IReadOnlyDictionary<long, int> booked)
    {
        ArgumentNullException.ThrowIfNull(technicians);
        ArgumentNullException.ThrowIfNull(booked);
        return Ranked(technicians.Select(t => (t, t.Id, booked.GetValueOrDefault(t.Id))));
    }

    /// <summary>Least booked first, ties by technician id.</summary>
    private static TItem[] Ranked<TItem>(IEnumerable<(TItem Item, long TechnicianId, int Load)> loads) =>
        [.. loads.OrderBy(x => RankKey(x.Load, x.TechnicianId)).Select(x => x.Item)];

    /// <summary>The one order of technicians at a start: fewer booked appointments in the load window first, then the lower id.</summary>
    private static (int Load, long TechnicianId) RankKey(int load, long technicianId) => (load, technicianId);

    /// <summary>The span whose appointments are a technician's load at <paramref name="start"/>.</summary>
    public static Interval LoadWindow(Instant start) => new(start - LoadReach, start + LoadReach);

    private static int LoadAt(TechnicianSchedule schedule, Instant start) => schedule.BookedWithin(LoadWindow(start));

    /// <summary>Null if <paramref name="start"/> is a free start for the schedule's technician, else the first reason it is not.</summary>
    public static SlotProblem? Check(SlotQuery query, TechnicianSchedule schedule, Instant start)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(schedule);

        var technician = schedule.Technician;
        var type = query.Type;
        var zone = technician.Zone;
        var local = start.InZone(zone);
        var date = local.Date;
        var end = start + type.Duration;
        var shown = Show(start, zone);

        if (!technician.Active)
        {
            return new(SlotRejection.TechnicianInactive, $"{technician.Name} is not active.");
        }

        if (!technician.Takes(type.Key))
        {
            return new(SlotRejection.TypeNotTaken, $"{technician.Name} does not take '{type.Key}' appointments.");
        }

        if (start < query.Now + query.MinimumNotice)
        {
            return new(SlotRejection.TooSoon, start < query.Now
                ? $"{shown} is in the past."
                : $"{shown} is too soon: appointments need {FormatDuration(query.MinimumNotice)} notice.");
        }

        if (local.TickOfDay % (query.GridMinutes * NodaConstants.TicksPerMinute) != 0)
        {
            return new(SlotRejection.NotOnGrid, $"{shown} is not on the {query.GridMinutes}-minute grid.");
        }

        if (WorkingTimeProblem(technician, schedule.Holidays, start, end) is { } outside)
        {
            return outside;
        }

        var blockStart = start - type.BufferBefore;
        var blockEnd = end + type.BufferAfter;
        if (schedule.OffDuring(blockStart, blockEnd))
        {
            return new(SlotRejection.TimeOff, $"{technician.Name} is off at {shown}.");
        }

        if (technician.DailyCap is { } cap && schedule.BookedOn(date) >= cap)
        {
            return new(SlotRejection.DailyCapReached, $"{technician.Name} already has {cap} appointments on {Day(date)} (the daily cap).");
        }

        if (schedule.BusyDuring(blockStart, blockEnd) is { } conflict)
        {
            return new(SlotRejection.TechnicianBusy,
                $"{technician.Name} is busy at {shown} (appointment {conflict}, including buffers).", conflict);
        }

        if (OverlapsAny(query.ShopBusy, start, end))
        {
            return new(SlotRejection.ShopBusy, $"The shop's till is already booked for another appointment at {shown}.");
        }

        return null;
    }

    /// <summary>
    /// Null if [<paramref name="start"/>, <paramref name="end"/>) lies inside one of the technician's working windows
    /// on a working day that is no public holiday in their state (all in their zone), else the first reason it does not.
    /// </summary>
    public static SlotProblem? WorkingTimeProblem(Technician technician, IHolidayCalendar holidays, Instant start, Instant end)
    {
        ArgumentNullException.ThrowIfNull(technician);
        ArgumentNullException.ThrowIfNull(holidays);
        var zone = technician.Zone;
        var date = start.InZone(zone).Date;
        var holiday = holidays.NameOf(technician.State, date);
        if (holiday is not null)
        {
            return new(SlotRejection.Holiday, $"{Day(date)} is a public holiday in {technician.State} ({holiday}).");
        }

        var windows = technician.Hours.On(date.DayOfWeek);
        if (windows.Count == 0)
        {
            return new(SlotRejection.NotWorkingDay, $"{technician.Name} does not work on {date.DayOfWeek}s.");
        }

        return windows.Any(w => WindowStart(date, w, zone) <= start && end <= WindowEnd(date, w, zone))
            ? null
            : new(SlotRejection.OutsideWorkingHours,
                $"{Show(start, zone)}–{Show(end, zone)} is outside {technician.Name}'s working hours ({string.Join(", ", windows)} on {date.DayOfWeek}s, {zone.Id}).");
    }

    private static Instant WindowStart(LocalDate date, TimeWindow window, DateTimeZone zone) =>
        zone.AtLeniently(date.At(window.Start)).ToInstant();

    private static Instant WindowEnd(LocalDate date, TimeWindow window, DateTimeZone zone) =>
        zone.ResolveLocal(window.EndOn(date), WindowEndResolver).ToInstant();

    private static bool OverlapsAny(IReadOnlyList<Interval>? intervals, Instant start, Instant end)
    {
        if (intervals is null)
        {
            return false;
        }

        foreach (var interval in intervals)
        {
            if (interval.Start < end && start < interval.End)
            {
                return true;
            }
        }

        return false;
    }

    private static string Show(Instant instant, DateTimeZone zone) =>
        instant.InZone(zone).ToString("yyyy-MM-dd HH:mm o<g>", CultureInfo.InvariantCulture);

    private static string Day(LocalDate date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string FormatDuration(Duration duration) =>
        duration.TotalMinutes % 60 == 0 ? $"{duration.TotalHours:0} h" : $"{duration.TotalMinutes:0} min";
}
