using Dapper;
using JoeCash.Scheduler.Storage;
using JoeCash.Scheduler.Tests.Infrastructure;

namespace JoeCash.Scheduler.Tests.Storage;

/// <summary>The pool hands the same native SQLite connection to Full and Relaxed opens alike: each gets its own setting.</summary>
public sealed class DurabilityTests
{
    [Fact]
    public async Task OpenAsync_PooledConnectionUsedRelaxedBefore_IsFullAgainAndTheOtherWayRound()
    {
        await using var host = await SchedulerHost.StartAsync();
        for (var round = 0; round < 3; round++)
        {
            // One connection at a time, so each open gets the native connection the previous one gave back.
            await using (var relaxed = await host.Database.OpenAsync(Durability.Relaxed))
            {
                Assert.Equal(1, await relaxed.ExecuteScalarAsync<long>("PRAGMA synchronous")); // NORMAL
            }

            await using (var full = await host.Database.OpenAsync())
            {
                Assert.Equal(2, await full.ExecuteScalarAsync<long>("PRAGMA synchronous")); // FULL: a confirmed booking survives a power cut
            }

            await using (var full = await host.Database.OpenAsync(Durability.Full))
            {
                Assert.Equal(2, await full.ExecuteScalarAsync<long>("PRAGMA synchronous"));
            }
        }
    }
}
