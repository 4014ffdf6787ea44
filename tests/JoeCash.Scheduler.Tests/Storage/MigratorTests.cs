using Dapper;
using JoeCash.Scheduler.Storage;
using JoeCash.Scheduler.Tests.Infrastructure;

namespace JoeCash.Scheduler.Tests.Storage;

public sealed class MigratorTests
{
    [Fact]
    public async Task MigrateAsync_EmptyFile_AppliesEveryScriptInWalMode()
    {
        await using var host = await SchedulerHost.StartAsync();

        var applied = await host.Get<Migrator>().AppliedAsync();
        await using var connection = await host.Database.OpenAsync();
        var tables = (await connection.QueryAsync<string>("SELECT name FROM sqlite_master WHERE type = 'table'")).ToHashSet();
        var journal = await connection.ExecuteScalarAsync<string>("PRAGMA journal_mode");
        var synchronous = await connection.ExecuteScalarAsync<long>("PRAGMA synchronous");

        Assert.Equal(Migrator.Scripts.Select(s => s.Version), applied);
        Assert.Superset(new HashSet<string> { "technicians", "customers", "appointments", "appointment_audit", "time_off", "schema_migrations" }, tables);
        Assert.Equal("wal", journal);
        Assert.Equal(2, synchronous); // FULL: a confirmed booking survives a power cut
    }

    [Fact]
    public async Task MigrateAsync_UpToDateFile_ChangesNothing()
    {
        await using var host = await SchedulerHost.StartAsync();
        await using (var connection = await host.Database.OpenAsync())
        {
            await connection.ExecuteAsync("INSERT INTO technicians (name, email, time_zone, federal_state, working_hours, appointment_types, created_at) VALUES ('A', 'a@joecash.test', 'Europe/Berlin', 'BY', 'Mon 08:00-09:00', 'fault', 0)");
        }

        var again = await host.Get<Migrator>().MigrateAsync();

        Assert.Empty(again);
        await using var check = await host.Database.OpenAsync();
        Assert.Equal(1, await check.ExecuteScalarAsync<long>("SELECT count(*) FROM technicians"));
        Assert.Equal(Migrator.Scripts.Count, await check.ExecuteScalarAsync<long>("SELECT count(*) FROM schema_migrations"));
    }

    [Fact]
    public async Task MigrateAsync_TwoMigratorsAtOnce_ApplyEachScriptOnce()
    {
        await using var host = SchedulerHost.WithoutDatabase();
        Assert.False(File.Exists(host.DatabasePath));

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => host.Get<Migrator>().MigrateAsync())));

        Assert.Equal(Migrator.Scripts.Count, results.Sum(r => r.Count));
        Assert.Equal(Migrator.Scripts.Select(s => s.Version), await host.Get<Migrator>().AppliedAsync());
    }
}
