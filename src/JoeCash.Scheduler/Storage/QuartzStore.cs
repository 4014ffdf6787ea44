using Microsoft.Data.Sqlite;
using Quartz;

namespace JoeCash.Scheduler.Storage;

/// <summary>Where Quartz keeps its triggers: the dialect of its store is Storage's business, like the application's.</summary>
public static class QuartzStore
{
    /// <summary>Quartz's own SQLite file (Microsoft.Data.Sqlite), with the same busy timeout as the application's connections.</summary>
    public static void UseSchedulerFile(this IPersistentStoreBuilder store, string file)
    {
        ArgumentNullException.ThrowIfNull(store);
        store.UseSqlite(new SqliteConnectionStringBuilder { DataSource = file, DefaultTimeout = 30 }.ToString());
    }
}
