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

    /// <summary>
    /// This node's name among the nodes sharing a PostgreSQL database: it marks the work the node claims (outbox
    /// messages, Quartz's triggers), so it must differ between nodes and stay the same across a node's restarts.
    /// The machine's name unless configured (two nodes on one machine need names of their own).
    /// </summary>
    public string NodeName { get; set; } = Environment.MachineName;

    /// <summary>What the database is called in messages: the SQLite file's full path, or <c>PostgreSQL database D on host:port</c> (never the password).</summary>
    public string DisplayName()
    {
        return Provider == StorageProvider.PostgreSQL ? PostgresDisplayName() : System.IO.Path.GetFullPath(Path);
    }

    // A method of its own, never inlined: ReadyToRun code resolves every type a method names before it runs, so
    // naming Npgsql's builder in DisplayName loaded Npgsql at every SQLite start.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private string PostgresDisplayName()
    {
        try
        {
            var builder = new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString ?? "");
            return $"PostgreSQL database {builder.Database} on {builder.Host}:{builder.Port}";
        }
        catch (ArgumentException)
        {
            return "PostgreSQL database of Storage:ConnectionString";
        }
    }
}

/// <summary>The value of <c>Storage:Provider</c>.</summary>
public enum StorageProvider
{
    /// <summary>The embedded default: one SQLite file, one node.</summary>
    Sqlite,

    /// <summary>A PostgreSQL server shared by every node.</summary>
    PostgreSQL,
}
