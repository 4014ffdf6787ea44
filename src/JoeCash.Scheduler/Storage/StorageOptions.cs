namespace JoeCash.Scheduler.Storage;

/// <summary>The "Storage" section.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>Which database holds the data: the embedded SQLite file (one node) or a PostgreSQL server (one or more nodes).</summary>
    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>The SQLite file; relative paths are taken from the working directory. Unused with PostgreSQL.</summary>
    public string Path { get; set; } = "data/scheduler.db";

    /// <summary>
    /// The PostgreSQL connection string (Npgsql's keywords), from configuration or the environment
    /// (<c>JOECASH_Storage__ConnectionString</c>): it holds a password, so never from a file in the repository.
    /// </summary>
    public string? ConnectionString { get; set; }
}

/// <summary>The value of <c>Storage:Provider</c>.</summary>
public enum StorageProvider
{
    /// <summary>The embedded default: one SQLite file, one node.</summary>
    Sqlite,

    /// <summary>A PostgreSQL server shared by every node.</summary>
    PostgreSQL,
}
