using System.Data.Common;
using System.Globalization;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Domain.Availability;
using JoeCash.Scheduler.Storage;
using NodaTime;

namespace JoeCash.Scheduler.Booking;

/// <summary>
/// What a booking reads once it knows the shop and the candidates: sent as one batch (one round trip on PostgreSQL)
/// that first takes the turns, so every read after it sees what the previous booking of these technicians and this
/// shop committed — and, on PostgreSQL, whether a candidate was edited since it was read (<see cref="TechnicianVersions"/>).
/// </summary>
public sealed partial class BookingService
{
    /// <summary>How far around the time a lone candidate's schedule is read: as <c>Availability.LoadSchedulesAsync</c> widens (a day covers the load window and the daily cap).</summary>
    private static readonly Duration ScheduleMargin = Duration.Max(Duration.FromDays(1), SlotEngine.LoadReach);

    private const string ShopBusySql = $"SELECT starts_at, ends_at FROM appointments {AppointmentSql.BookedForCustomerWhere}";

    private const string TechnicianBookedSql = """
        SELECT id, starts_at, ends_at, blocked_from, blocked_until FROM appointments
        WHERE status = 'booked' AND technician_id = @technicianId
          AND blocked_from >= @lowerBound AND blocked_from < @until AND blocked_until > @from
        """;

    private const string TechnicianTimeOffSql = "SELECT starts_at, ends_at FROM time_off WHERE technician_id = @technicianId AND ends_at > @from AND starts_at < @until";

    /// <summary>
    /// After the turns: the id the appointment will get, the shop's open appointments (for a shop booking itself), the
    /// shop's booked times around <paramref name="time"/> and — when there is one candidate — that technician's
    /// schedule, so the check needs no further read. With several candidates <see cref="TechnicianChoice"/> ranks them
    /// and reads their schedules itself.
    /// </summary>
    private async Task<BookingReads> ReadForBookingAsync(
        DbConnection connection, DbTransaction transaction, IReadOnlyList<Technician> candidates, long customerId, Interval time, bool countOpen, Instant now)
    {
        var batch = Database.Batch(connection, transaction);
        Database.TakeTurns(batch, BookingTurns.Of(candidates.Select(t => t.Id), customerId));
        var versions = TechnicianVersions.ReadIn(batch, connection, candidates);
        var nextId = 0L;
        var open = 0;
        var shopBusy = new List<Interval>();
        batch.Query(Database.NextIdSql(connection, "appointments"), r => nextId = r.GetInt64(0));
        if (countOpen)
        {
            batch.Query(AppointmentSql.CountOpenAppointmentsSql, r => open = Convert.ToInt32(r.GetValue(0), CultureInfo.InvariantCulture),
                ("customerId", customerId), ("now", now));
        }

        batch.Query(ShopBusySql, r => shopBusy.Add(Span(r, 0)),
            ("customerId", customerId), ("lowerBound", time.Start - AppointmentSql.LongestBlock), ("until", time.End), ("from", time.Start));
        TechnicianSchedule? schedule = null;
        if (candidates.Count == 1)
        {
            var technician = candidates[0];
            var widened = new Interval(time.Start - ScheduleMargin, time.End + ScheduleMargin);
            var booked = new List<BookedTime>();
            var timeOff = new List<Interval>();
            batch.Query(TechnicianBookedSql, r => booked.Add(new BookedTime(r.GetInt64(0), technician.Id, Span(r, 1), Span(r, 3))),
                ("technicianId", technician.Id), ("lowerBound", widened.Start - AppointmentSql.LongestBlock), ("until", widened.End), ("from", widened.Start));
            batch.Query(TechnicianTimeOffSql, r => timeOff.Add(Span(r, 0)), ("technicianId", technician.Id), ("from", widened.Start), ("until", widened.End));
            await batch.ExecuteAsync().ConfigureAwait(false);
            schedule = new TechnicianSchedule(technician, holidays, booked, timeOff);
        }
        else
        {
            await batch.ExecuteAsync().ConfigureAwait(false);
        }

        versions?.ThrowIfChanged();
        return new BookingReads(nextId, open, shopBusy, schedule);
    }

    /// <summary>
    /// The one candidate if the start is free for them (the schedule read with the turns), else why not; with several,
    /// <see cref="TechnicianChoice.ChooseAsync"/> (ranked, schedules read in that order).
    /// </summary>
    private async Task<(TechnicianSchedule? Chosen, SlotProblem? Problem)> ChooseAsync(
        DbConnection connection, DbTransaction transaction, IReadOnlyList<Technician> candidates, AppointmentType type, Interval time, BookingReads reads)
    {
        if (reads.Schedule is not { } schedule)
        {
            return await choice.ChooseAsync(connection, transaction, candidates, type, time, reads.ShopBusy, excludeAppointmentId: null).ConfigureAwait(false);
        }

        var query = availability.Query(type, SlotEngine.LoadWindow(time.Start), reads.ShopBusy);
        return SlotEngine.Check(query, schedule, time.Start) is { } refused ? (null, refused) : (schedule, null);
    }

    /// <summary>The interval of the millisecond columns <paramref name="start"/> and the one after it.</summary>
    private static Interval Span(DbDataReader row, int start) =>
        new(Instant.FromUnixTimeMilliseconds(row.GetInt64(start)), Instant.FromUnixTimeMilliseconds(row.GetInt64(start + 1)));

    /// <summary>What <see cref="ReadForBookingAsync"/> read: the new appointment's id, the shop's open appointments and busy times, the lone candidate's schedule.</summary>
    private sealed record BookingReads(long NextId, int OpenBookings, IReadOnlyList<Interval> ShopBusy, TechnicianSchedule? Schedule);
}
