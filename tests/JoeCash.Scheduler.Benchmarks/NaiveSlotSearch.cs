using System.Data;
using Dapper;
using JoeCash.Scheduler.Domain.Availability;
using JoeCash.Scheduler.Technicians;
using NodaTime;
using NodaTime.TimeZones;

namespace JoeCash.Scheduler.Benchmarks;

/// <summary>
/// The approach <see cref="Booking.Availability"/> exists to avoid, kept here as the yardstick: walk the same
/// grid within the same working hours (and holidays) as the engine, and ask the database once per candidate
/// whether the technician's blocked span is taken.
/// </summary>
public static class NaiveSlotSearch
{
    private static readonly ZoneLocalMappingResolver WindowEndResolver =
        Resolvers.CreateMappingResolver(Resolvers.ReturnLater, Resolvers.ReturnForwardShifted);

    /// <summary>The free (technician, start) pairs and the number of queries it took: one overlap query per candidate. Handles neither time off nor daily caps nor the shop's own appointments.</summary>
    public static async Task<(List<Slot> Free, int Queries)> FindSlotsAsync(IDbConnection connection, SlotQuery query, IHolidayCalendar holidays)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(holidays);
        var type = query.Type;
        var technicians = (await connection.ListTechniciansAsync()).Where(t => t.Active && t.Takes(type.Key));
        var free = new List<Slot>();
        var queries = 0;
        foreach (var technician in technicians)
        {
            var zone = technician.Zone;
            var lastDate = query.Range.End.InZone(zone).Date;
            for (var date = query.Earliest.InZone(zone).Date; date <= lastDate; date = date.PlusDays(1))
            {
                if (holidays.IsHoliday(technician.State, date))
                {
                    continue;
                }

                foreach (var window in technician.Hours.On(date.DayOfWeek))
                {
                    var windowEnd = zone.ResolveLocal(date.At(window.End), WindowEndResolver).ToInstant();
                    var minuteOfDay = (window.Start.Hour * 60) + window.Start.Minute;
                    var endMinute = (window.End.Hour * 60) + window.End.Minute;
                    for (var minute = (minuteOfDay + query.GridMinutes - 1) / query.GridMinutes * query.GridMinutes; minute < endMinute; minute += query.GridMinutes)
                    {
                        var mapping = zone.MapLocal(date.At(new LocalTime(minute / 60, minute % 60)));
                        if (mapping.Count == 0)
                        {
                            continue;
                        }

                        var start = mapping.First().ToInstant();
                        var end = start + type.Duration;
                        if (end > windowEnd)
                        {
                            break;
                        }

                        if (start < query.Earliest || start >= query.Range.End)
                        {
                            continue;
                        }

                        var taken = await connection.ExecuteScalarAsync<bool>("""
                            SELECT EXISTS (
                                SELECT 1 FROM appointments
                                WHERE technician_id = @technicianId AND status = 'booked'
                                  AND blocked_from < @blockedUntil AND blocked_until > @blockedFrom)
                            """,
                            new { technicianId = technician.Id, blockedFrom = start - type.BufferBefore, blockedUntil = end + type.BufferAfter });
                        queries++;
                        if (!taken)
                        {
                            free.Add(new Slot(start, end, technician.Id));
                        }
                    }
                }
            }
        }

        return (free, queries);
    }
}
