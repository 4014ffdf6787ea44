using JoeCash.Scheduler.Storage;
using NodaTime;

namespace JoeCash.Scheduler.Tests.Infrastructure;

/// <summary>
/// The base of a suite that runs on both storage providers: the suite is abstract and holds the tests once; two
/// nested classes, <c>OnSqlite</c> and <c>OnPostgres</c>, run them on a fresh SQLite file and on a fresh database
/// of the test run's PostgreSQL server.
/// </summary>
public abstract class ProviderSuite(StorageProvider provider)
{
    protected StorageProvider Provider { get; } = provider;

    /// <summary><see cref="SchedulerHost.StartAsync"/> on this suite's provider.</summary>
    protected Task<SchedulerHost> StartHostAsync(IDictionary<string, string?>? overrides = null, IClock? clock = null) =>
        SchedulerHost.StartAsync(overrides, clock, Provider);
}
