using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Npgsql;

namespace JoeCash.Scheduler.Storage;

/// <summary>
/// PostgreSQL's side of <see cref="StorageErrors"/>: the SQLSTATE codes (https://www.postgresql.org/docs/current/errcodes-appendix.html)
/// worded for the person who runs the service. Every change is one transaction, so whatever fails here has changed nothing.
/// </summary>
internal static class PostgresErrors
{
    /// <summary>A concurrent transaction won (see <see cref="Database.LostARace"/>); running this one again is the remedy.</summary>
    public static bool LostARace(PostgresException error) =>
        error.SqlState is PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.ExclusionViolation;

    // The tests on an exception of either provider, each in a method of its own (never inlined), reached only for a
    // database error that is not SQLite's (Dialect.MayBePostgres): see Dialect.IsPostgres (naming Npgsql's types loads Npgsql).
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static bool LostARace(Exception error) => error is PostgresException postgres && LostARace(postgres);

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static bool UniqueViolation(Exception error) => error is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    /// <summary>The constraint of an exclusion violation (<c>technician_overlap</c>, …); null for anything else.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static string? ExclusionConstraint(Exception error) =>
        error is PostgresException { SqlState: PostgresErrorCodes.ExclusionViolation } e ? e.ConstraintName ?? "" : null;

    /// <summary>True if <paramref name="error"/> is Npgsql's; <paramref name="described"/> is then <see cref="Describe"/>'s answer.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static bool TryDescribe(Exception error, string name, out StorageException? described)
    {
        described = error is NpgsqlException postgres ? Describe(postgres, name) : null;
        return error is NpgsqlException;
    }

    public static StorageException? Describe(NpgsqlException error, string name)
    {
        if (error is not PostgresException postgres)
        {
            return error.InnerException is SocketException or TimeoutException || error.IsTransient
                ? new($"Cannot reach the {name} ({error.InnerException?.Message ?? error.Message}); nothing was changed. Check that the server runs and Storage:ConnectionString names it.", StorageFault.Environment, error)
                : null;
        }

        return postgres.SqlState switch
        {
            PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.LockNotAvailable or PostgresErrorCodes.ExclusionViolation =>
                new($"Other changes to the {name} at the same moment were in the way, again and again; nothing was changed. Try again.", StorageFault.Busy, postgres),
            PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.UndefinedColumn =>
                new($"The {name} has no schema, or an older one, for this version ({postgres.MessageText}). Run 'migrate' (or start 'serve') to bring it up to date.", StorageFault.Missing, postgres),
            PostgresErrorCodes.InvalidCatalogName =>
                new($"There is no {name} ({postgres.MessageText}). Create it (createdb) and run 'migrate', or correct Storage:ConnectionString.", StorageFault.Missing, postgres),
            PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification =>
                new($"The {name} refused the sign-in ({postgres.MessageText}). Check the user and password in Storage:ConnectionString.", StorageFault.Environment, postgres),
            PostgresErrorCodes.InsufficientPrivilege =>
                new($"The {name} refused this user ({postgres.MessageText}); nothing was changed. Grant the user the rights on the schema.", StorageFault.ReadOnly, postgres),
            PostgresErrorCodes.ReadOnlySqlTransaction =>
                new($"The {name} is read-only here (a standby?); nothing was changed. Point Storage:ConnectionString at the primary.", StorageFault.ReadOnly, postgres),
            PostgresErrorCodes.DiskFull =>
                new($"The disk of the {name} is full; nothing was changed. Free some space on the server and try again.", StorageFault.Full, postgres),
            PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.TooManyConnections =>
                new($"The {name} cannot serve this connection now ({postgres.MessageText}); nothing was changed. Try again.", StorageFault.Busy, postgres),
            _ => null,
        };
    }
}
