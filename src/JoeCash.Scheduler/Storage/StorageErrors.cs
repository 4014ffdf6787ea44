using Microsoft.Data.Sqlite;

namespace JoeCash.Scheduler.Storage;

/// <summary>What kind of trouble the database file is in: decides the exit code and whether a retry can help.</summary>
public enum StorageFault
{
    /// <summary>No database at the configured path, or no schema in it yet.</summary>
    Missing,

    /// <summary>The path is not a database: another kind of file, a folder, a damaged file.</summary>
    NotADatabase,

    /// <summary>The file or its file system cannot be written by this process.</summary>
    ReadOnly,

    /// <summary>The disk (or the file system's quota) is full.</summary>
    Full,

    /// <summary>Another process held the write lock for longer than the timeout; trying again later can help.</summary>
    Busy,

    /// <summary>Something else about the file or its folder (permissions, I/O errors).</summary>
    Environment,
}

/// <summary>A database problem described for the person who has to fix it: what, which file, what to do.</summary>
public sealed class StorageException(string message, StorageFault fault, Exception? inner = null) : Exception(message, inner)
{
    public StorageFault Fault { get; } = fault;
}

/// <summary>
/// The one place that reads SQLite's error codes (https://sqlite.org/rescode.html) and PostgreSQL's
/// (<see cref="PostgresErrors"/>) and words them; the rest of the program sees <see cref="StorageException"/> only. Every change is one transaction, so
/// whatever fails here has changed nothing.
/// </summary>
public static class StorageErrors
{
    private const int Error = 1, Perm = 3, Busy = 5, Locked = 6, ReadOnly = 8, IoErr = 10, Corrupt = 11, Full = 13, CantOpen = 14, NotADb = 26;

    public static StorageException Missing(string path) =>
        new($"There is no database at {path} (Storage:Path). Create it with 'migrate' (or start 'serve', which migrates), or point Storage:Path at the right file.", StorageFault.Missing);

    public static StorageException IsDirectory(string path) =>
        new($"Storage:Path {path} is a folder, not a database file; name a file in it, e.g. {Path.Combine(path, "scheduler.db")}.", StorageFault.NotADatabase);

    public static StorageException CannotCreate(string path, Exception error) =>
        error is UnauthorizedAccessException || error.Message.Contains("Read-only", StringComparison.OrdinalIgnoreCase)
            ? new($"Cannot create the database {path}: {error.Message}. The folder must be writable by this user (Storage:Path).", StorageFault.ReadOnly, error)
            : new($"Cannot create the database {path}: {error.Message}", StorageFault.Environment, error);

    /// <summary>
    /// SQLite reports a full disk as SQLITE_FULL only where it sees ENOSPC itself; growing its WAL index
    /// (-shm) on a full file system comes back as an I/O error. Less than a page's worth of room left
    /// means the disk is the cause.
    /// </summary>
    private static bool DiskIsFull(string path)
    {
        try
        {
            var directory = Path.GetDirectoryName(path);
            return directory is not null && new DriveInfo(directory).AvailableFreeSpace < 64 * 1024;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return false;
        }
    }

    /// <summary>A description of <paramref name="error"/> if it is a database error this layer knows; null otherwise.</summary>
    /// <param name="error">The exception.</param>
    /// <param name="path">The SQLite file, or the name of the PostgreSQL database.</param>
    public static StorageException? Describe(Exception error, string path)
    {
        if (error is StorageException storage)
        {
            return storage;
        }

        if (error.MayBePostgres() && PostgresErrors.TryDescribe(error, path, out var described))
        {
            return described;
        }

        if (error is not SqliteException sqlite)
        {
            return error.InnerException is { } inner ? Describe(inner, path) : null;
        }

        return sqlite.SqliteErrorCode switch
        {
            NotADb => new($"{path} is not a JoeCash.Scheduler database (SQLite: {sqlite.Message}). Check Storage:Path; if it is the right file, restore it from a backup.", StorageFault.NotADatabase, sqlite),
            Corrupt => new($"The database {path} is damaged (SQLite: {sqlite.Message}). Stop the service and restore the file from a backup; nothing was changed now.", StorageFault.NotADatabase, sqlite),
            ReadOnly => new($"The database {path} is read-only for this process (SQLite: {sqlite.Message}); nothing was changed. Reading works; to change data, run as the file's owner or make the file and its folder writable.", StorageFault.ReadOnly, sqlite),
            Full => new($"The disk holding {path} is full; nothing was changed. Free some space and try again.", StorageFault.Full, sqlite),
            Busy or Locked => new($"The database {path} stayed locked by another process for too long; nothing was changed. Try again.", StorageFault.Busy, sqlite),
            CantOpen when Directory.Exists(path) => IsDirectory(path),
            CantOpen or Perm => new($"Cannot open the database {path} (SQLite: {sqlite.Message}). Check that the file and its folder exist and are readable and writable by this user.", StorageFault.Environment, sqlite),
            IoErr when DiskIsFull(path) => new($"The disk holding {path} is full ({sqlite.Message}); nothing was changed. Free some space and try again.", StorageFault.Full, sqlite),
            IoErr => new($"Reading or writing {path} failed (SQLite: {sqlite.Message}); nothing was changed. Check the disk and the file system.", StorageFault.Environment, sqlite),
            Error when sqlite.Message.Contains("no such table", StringComparison.Ordinal) || sqlite.Message.Contains("no such column", StringComparison.Ordinal) =>
                new($"The database {path} has no schema, or an older one, for this version ({sqlite.Message}). Run 'migrate' (or start 'serve') to bring it up to date.", StorageFault.Missing, sqlite),
            _ => null,
        };
    }
}

/// <summary>
/// Thrown by a transaction that finds, once it holds its turn, that a row it read before was changed meanwhile (on
/// PostgreSQL, at READ COMMITTED): <see cref="Database.RetryAsync{T}"/> runs the whole transaction again.
/// </summary>
public sealed class ChangedMeanwhileException(string message) : Exception(message);
