using System.Data;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace JoeCash.Scheduler.Storage;

/// <summary>
/// The few statements that cannot be written once for both providers ask here which one they talk to. Everything
/// else is written in the SQL both understand (TRUE/FALSE, CASE, lower(), ON CONFLICT, RETURNING).
/// </summary>
public static class Dialect
{
    /// <remarks>
    /// A SQLite connection never reaches the Npgsql type test, which lives in a method of its own (never inlined):
    /// ReadyToRun code resolves the types a method names before it runs, and testing for <c>NpgsqlConnection</c> loads
    /// Npgsql (1.4 MiB resident, its types and statics) into a service that cannot use it.
    /// </remarks>
    public static bool IsPostgres(this IDbConnection connection) => connection is not SqliteConnection && IsNpgsql(connection);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool IsNpgsql(IDbConnection connection) => connection is NpgsqlConnection;

    /// <summary>
    /// Whether <paramref name="error"/> can be one of Npgsql's: a database error that is not SQLite's. Asked before any
    /// test names Npgsql's exception types (<see cref="PostgresErrors"/>), so that neither a SQLite error nor anything
    /// else that passes a retry or error filter (a cancellation, a refusal) loads Npgsql into a SQLite service.
    /// </summary>
    public static bool MayBePostgres(this Exception error) => error is System.Data.Common.DbException and not SqliteException;

    /// <summary>
    /// "Is one of the list parameter <paramref name="parameter"/>", whose value comes from <see cref="List(IDbConnection, IEnumerable{long})"/>:
    /// PostgreSQL gets <c>= ANY(@p)</c> with an array; SQLite gets <c>IN (SELECT value FROM json_each(@p))</c> with the list
    /// as one JSON text.
    /// </summary>
    /// <remarks>
    /// Not Dapper's <c>IN @p</c> on SQLite: it expands a list into one parameter per value, Microsoft.Data.Sqlite binds each
    /// of them by name, and SQLite looks every name up in a linear list, so binding grows with the square of the list.
    /// Measured on 20,000 rows: 500 ids 4.0–5.7 ms a query against 0.2 ms with <c>json_each</c>; 100 ids 0.33 against
    /// 0.08 ms. The reminder sweep asks with 500 ids several times per batch, while it holds the writer.
    /// </remarks>
    public static string In(this IDbConnection connection, string parameter) =>
        connection.IsPostgres() ? $"= ANY(@{parameter})" : $"IN (SELECT value FROM json_each(@{parameter}))";

    /// <summary>The value of an <see cref="In"/> parameter: an array for PostgreSQL, a JSON array for SQLite.</summary>
    public static object List(this IDbConnection connection, IEnumerable<long> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return connection.IsPostgres()
            ? values.ToArray()
            : $"[{string.Join(',', values.Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)))}]";
    }

    /// <summary>The value of an <see cref="In"/> parameter: an array for PostgreSQL, a JSON array for SQLite.</summary>
    public static object List(this IDbConnection connection, IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return connection.IsPostgres() ? values.ToArray() : System.Text.Json.JsonSerializer.Serialize(values.ToArray());
    }

    /// <summary>An expression: the JSON text <paramref name="column"/> with its top-level <paramref name="property"/> set to the text parameter <paramref name="parameter"/>.</summary>
    public static string JsonSet(this IDbConnection connection, string column, string property, string parameter) =>
        connection.IsPostgres()
            ? $"jsonb_set({column}::jsonb, '{{{property}}}', to_jsonb({parameter}::text))::text"
            : $"json_set({column}, '$.{property}', {parameter})";
}
