using JoeCash.Scheduler.Booking;
using JoeCash.Scheduler.Customers;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Domain.Availability;
using JoeCash.Scheduler.Storage;
using JoeCash.Scheduler.Technicians;
using JoeCash.Scheduler.Tests.Infrastructure;
using NodaTime;

namespace JoeCash.Scheduler.Tests.Booking;

/// <summary>"Any technician" ranks from one count query; it must count exactly what the schedules count.</summary>
public abstract class LoadCountTests(StorageProvider provider) : ProviderSuite(provider)
{
    public sealed class OnSqlite() : LoadCountTests(StorageProvider.Sqlite);

    public sealed class OnPostgres() : LoadCountTests(StorageProvider.PostgreSQL);

    [Fact]
    public async Task BookedStartsWithin_CountsAsTheSchedulesDo_StartsInTheWindowBookedNotExcluded()
    {
        await using var host = await StartHostAsync();
        for (var i = 1; i <= 3; i++)
        {
            await host.AddTechnicianAsync($"T{i}");
        }

        for (var i = 1; i <= 7; i++)
        {
            await host.AddCustomerAsync($"K{i}");
        }

        var start = host.NextWorkingDayAt(10);
        var window = SlotEngine.LoadWindow(start);
        var hour = Duration.FromHours(1);
        await using var connection = await host.Database.OpenAsync();

        // Technician 1: starts inside with its buffer before the window (counts), starts at the window's end
        // (does not), one to be excluded (a move's own appointment), one cancelled.
        await InsertAsync(host, connection, 1, "K1", window.Start + hour, bufferBefore: 2 * hour);
        await InsertAsync(host, connection, 1, "K2", window.End);
        var moved = await InsertAsync(host, connection, 1, "K3", window.Start + 5 * hour);
        var cancelled = await InsertAsync(host, connection, 1, "K4", window.Start + 8 * hour);
        await using (var writing = await Database.BeginWriteAsync(connection))
        {
            var transaction = writing.Transaction;
            Assert.True(await connection.CancelAppointmentAsync(cancelled, 1, host.Clock.GetCurrentInstant(), transaction));
            await transaction.CommitAsync();
        }

        // Technician 2: starts exactly at the window's start (counts). Technician 3: started before the
        // window and runs into it (does not count), starts an hour before its end (counts).
        await InsertAsync(host, connection, 2, "K5", window.Start);
        await InsertAsync(host, connection, 3, "K6", window.Start - Duration.FromMinutes(30));
        await InsertAsync(host, connection, 3, "K7", window.End - hour);

        var technicians = await connection.ListTechniciansAsync();
        var ids = technicians.Select(t => t.Id).ToArray();
        foreach (var (exclude, expected) in new (long?, Dictionary<long, int>)[] { (null, new() { [1] = 2, [2] = 1, [3] = 1 }), (moved, new() { [1] = 1, [2] = 1, [3] = 1 }) })
        {
            var counted = await connection.BookedStartsWithinAsync(ids, window, exclude);
            Assert.Equal(expected.OrderBy(p => p.Key), counted.OrderBy(p => p.Key));

            var schedules = await host.Availability.LoadSchedulesAsync(connection, null, technicians, new Interval(start, start + hour), exclude);
            Assert.Equal(
                SlotEngine.RankAt(schedules, start).Select(s => s.Technician.Id),
                SlotEngine.RankAt(technicians, counted).Select(t => t.Id));
        }
    }

    /// <summary>A booked one-hour appointment written directly (the schema's overlap rules still apply).</summary>
    private static async Task<long> InsertAsync(
        SchedulerHost host, System.Data.Common.DbConnection connection, long technicianId, string customer, Instant start, Duration bufferBefore = default)
    {
        var customerId = (await connection.FindCustomerAsync(customer)).Value.Id;
        var now = host.Clock.GetCurrentInstant();
        var time = new Interval(start, start + Duration.FromHours(1));
        var appointment = new Appointment(
            0, Guid.NewGuid().ToString(), technicianId, customerId, "fault", time, new Interval(start - bufferBefore, time.End),
            AppointmentStatus.Booked, ResponseStatus.NeedsAction, 0, null, null, false, "test", now, now, 1);
        await using var writing = await Database.BeginWriteAsync(connection);
        var transaction = writing.Transaction;
        var id = await connection.InsertAppointmentAsync(appointment, transaction);
        await transaction.CommitAsync();
        return id;
    }
}
