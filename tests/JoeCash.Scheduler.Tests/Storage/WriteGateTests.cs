using System.Diagnostics;
using Dapper;
using JoeCash.Scheduler.Storage;
using JoeCash.Scheduler.Tests.Infrastructure;

namespace JoeCash.Scheduler.Tests.Storage;

/// <summary>
/// The service's writers take turns before SQLite's lock: nobody meets the lock held by a writer of the same process,
/// so nobody sleeps in Microsoft.Data.Sqlite's busy loop (150 ms a round) while another write of the service runs.
/// </summary>
public sealed class WriteGateTests
{
    [Fact]
    public async Task ConcurrentWriters_TakeTurns_AndEachWaitsOnlyForTheOnesBeforeIt()
    {
        await using var host = await SchedulerHost.StartAsync();
        await using (var setup = await host.Database.OpenAsync())
        {
            await setup.ExecuteAsync("CREATE TABLE gate_probe (writer INTEGER NOT NULL, at INTEGER NOT NULL)");
        }

        var inside = 0;
        var most = 0;
        var clock = Stopwatch.StartNew();
        // 24 writers, each holding the lock for 20 ms: one after another that is ~0.5 s. Meeting SQLite's lock
        // instead, a loser sleeps 150 ms a round and the whole takes seconds.
        await Task.WhenAll(Enumerable.Range(0, 24).Select(writer => Task.Run(async () =>
        {
            await using var connection = await host.Database.OpenAsync();
            await using var writing = await Database.BeginWriteAsync(connection);
            most = Math.Max(most, Interlocked.Increment(ref inside));
            await connection.ExecuteAsync("INSERT INTO gate_probe (writer, at) VALUES (@writer, @at)", new { writer, at = clock.ElapsedMilliseconds }, writing.Transaction);
            await Task.Delay(20);
            Interlocked.Decrement(ref inside);
            await writing.CommitAsync();
        })));
        var elapsed = clock.Elapsed;

        Assert.Equal(1, most);
        await using var check = await host.Database.OpenAsync();
        Assert.Equal(24, await check.ExecuteScalarAsync<long>("SELECT count(*) FROM gate_probe"));
        Assert.True(elapsed < TimeSpan.FromSeconds(3), $"24 writers of 20 ms took {elapsed.TotalMilliseconds:0} ms: they met SQLite's lock instead of taking turns");
    }

    [Fact]
    public async Task ASecondTransaction_OnTheConnectionHoldingTheTurn_DoesNotWaitForItself()
    {
        await using var host = await SchedulerHost.StartAsync();
        await using var connection = await host.Database.OpenAsync();

        await using var first = await Database.BeginWriteAsync(connection);
        await first.CommitAsync();
        // A TimeoutException here would mean the connection waits for its own turn.
        await using var second = await Database.BeginWriteAsync(connection).WaitAsync(TimeSpan.FromSeconds(5));
        await second.CommitAsync();
    }

    [Fact]
    public async Task AWriteThatFails_GivesTheTurnBack()
    {
        await using var host = await SchedulerHost.StartAsync();
        await using (var connection = await host.Database.OpenAsync())
        {
            await using var writing = await Database.BeginWriteAsync(connection);
            await Assert.ThrowsAnyAsync<Exception>(() => connection.ExecuteAsync("INSERT INTO no_such_table VALUES (1)", transaction: writing.Transaction));
        }

        await using var next = await host.Database.OpenAsync();
        // A TimeoutException here would mean the failed writer kept the turn.
        await using var scope = await Database.BeginWriteAsync(next).WaitAsync(TimeSpan.FromSeconds(5));
    }
}
