using Microsoft.Data.Sqlite;
using Quartz;

namespace JoeCash.Scheduler.Storage;

/// <summary>Where Quartz keeps its triggers: the dialect of its store is Storage's business, like the application's.</summary>
public static class QuartzStore
{
    /// <summary>How often a clustered node tells the others it lives.</summary>
    public static readonly TimeSpan CheckinInterval = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a node may stay silent before the others take over its triggers and re-run its jobs: four missed
    /// check-ins, so one slow database round trip does not make the peers "recover" a live node.
    /// </summary>
    public static readonly TimeSpan CheckinMisfireThreshold = TimeSpan.FromSeconds(20);

    /// <summary>
    /// SQLite: Quartz's own file (<paramref name="sqliteFile"/>, Microsoft.Data.Sqlite) with the application's busy
    /// timeout; one node. PostgreSQL: the application's database (tables <c>qrtz_*</c>, created by the migrations),
    /// clustered — each trigger fires on one node, and a dead node's jobs run again on another.
    /// </summary>
    public static void UseDatabase(this IPersistentStoreBuilder store, StorageOptions storage, string sqliteFile)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(storage);
        if (storage.Provider == StorageProvider.PostgreSQL)
        {
            store.UsePostgres(storage.ConnectionString ?? "");
            store.UseClustering(c =>
            {
                c.CheckinInterval = CheckinInterval;
                c.CheckinMisfireThreshold = CheckinMisfireThreshold;
            });
            return;
        }

        store.UseSqlite(new SqliteConnectionStringBuilder { DataSource = sqliteFile, DefaultTimeout = 30 }.ToString());
    }
}
