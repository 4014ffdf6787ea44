using System.Data.Common;
using NodaTime;
using Npgsql;

namespace JoeCash.Scheduler.Storage;

/// <summary>Statements sent together inside a transaction (<see cref="StatementBatch"/>), and the provider's SQL they need.</summary>
public sealed partial class Database
{
    /// <summary>A batch of statements for <paramref name="transaction"/> on <paramref name="connection"/>.</summary>
    public static StatementBatch Batch(DbConnection connection, DbTransaction transaction) => new(connection, transaction);

    /// <summary>
    /// A query that answers the id the next row of <paramref name="table"/> gets, so that rows referring to it can be
    /// written in the same batch: PostgreSQL takes it from the table's identity sequence (a transaction rolled back
    /// leaves a gap, as an insert would); SQLite, inside its single writer, computes what its rowid would be.
    /// </summary>
    public static string NextIdSql(DbConnection connection, string table) =>
        connection.IsPostgres()
            ? $"SELECT nextval(pg_get_serial_sequence('{table}', 'id'))"
            : $"SELECT coalesce(max(id), 0) + 1 FROM {table}";

    /// <summary>
    /// <see cref="TakeTurnsAsync"/> as the first statement of <paramref name="batch"/>, so the reads after it see what the
    /// previous holder of a turn committed; nothing on SQLite, whose writers take turns anyway.
    /// </summary>
    public static void TakeTurns(StatementBatch batch, IEnumerable<long> keys)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Connection.IsPostgres())
        {
            batch.Query(TurnsSql, static _ => { }, ("keys", keys.ToArray()));
        }
    }

    private const string TurnsSql = "SELECT pg_advisory_xact_lock(k) FROM (SELECT DISTINCT k FROM unnest(@keys) AS k ORDER BY k) AS ordered";
}

/// <summary>
/// Statements queued in a transaction and run in their order when <see cref="ExecuteAsync"/> is called: on PostgreSQL
/// one round trip (an <see cref="NpgsqlBatch"/>; each statement still sees what the ones before it did, and under
/// READ COMMITTED a fresh snapshot), on SQLite one command each, the same text prepared once per batch. Plain ADO.NET
/// parameters: instants are bound as the schema's milliseconds, null as NULL.
/// </summary>
public sealed class StatementBatch
{
    private readonly List<Statement> _statements = [];

    internal StatementBatch(DbConnection connection, DbTransaction transaction)
    {
        Connection = connection;
        Transaction = transaction;
    }

    public DbConnection Connection { get; }

    public DbTransaction Transaction { get; }

    /// <summary>True if statements wait to be run.</summary>
    public bool Pending => _statements.Count > 0;

    /// <summary>Queues a statement that returns nothing. The same text must always come with the same parameters in the same order.</summary>
    public void Execute(string sql, params (string Name, object? Value)[] parameters) => _statements.Add(new Statement(sql, parameters, null));

    /// <summary>Queues a query; <paramref name="row"/> gets the reader at each of its rows once the batch runs.</summary>
    public void Query(string sql, Action<DbDataReader> row, params (string Name, object? Value)[] parameters) => _statements.Add(new Statement(sql, parameters, row));

    /// <summary>Runs the queued statements in order and empties the queue.</summary>
    public async Task ExecuteAsync(CancellationToken cancellationToken = default)
    {
        if (_statements.Count == 0)
        {
            return;
        }

        var statements = _statements.ToArray();
        _statements.Clear();
        if (Connection.IsPostgres())
        {
            await ExecutePostgresAsync(Connection, statements, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await ExecuteEachAsync(statements, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Runs the queued statements and commits the transaction: on PostgreSQL the COMMIT goes in the same round trip (the
    /// transaction then counts as completed, and disposing it rolls nothing back); on SQLite after the last statement.
    /// </summary>
    public async Task CommitAsync(CancellationToken cancellationToken = default)
    {
        if (Connection.IsPostgres())
        {
            _statements.Add(new Statement("COMMIT", [], null));
            var statements = _statements.ToArray();
            _statements.Clear();
            await ExecutePostgresAsync(Connection, statements, cancellationToken).ConfigureAwait(false);
            return;
        }

        await ExecuteAsync(cancellationToken).ConfigureAwait(false);
        await Transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task ExecutePostgresAsync(DbConnection connection, Statement[] statements, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch((NpgsqlConnection)connection, (NpgsqlTransaction)Transaction);
        foreach (var statement in statements)
        {
            var command = new NpgsqlBatchCommand(statement.Sql);
            foreach (var (name, value) in statement.Parameters)
            {
                command.Parameters.Add(new NpgsqlParameter(name, Value(value)));
            }

            batch.BatchCommands.Add(command);
        }

        if (statements.All(s => s.Read is null))
        {
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        // Statements without a result (INSERT, UPDATE) have no result set of their own: the reader moves past them.
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var first = true;
        foreach (var read in statements.Select(s => s.Read).OfType<Action<DbDataReader>>())
        {
            if (!first && !await reader.NextResultAsync(cancellationToken).ConfigureAwait(false))
            {
                throw new InvalidOperationException("A query of the batch returned no result.");
            }

            first = false;
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                read(reader);
            }
        }
    }

    private async Task ExecuteEachAsync(Statement[] statements, CancellationToken cancellationToken)
    {
        var commands = new Dictionary<string, DbCommand>(StringComparer.Ordinal);
        try
        {
            foreach (var statement in statements)
            {
                if (!commands.TryGetValue(statement.Sql, out var command))
                {
                    command = Connection.CreateCommand();
                    command.Transaction = Transaction;
                    command.CommandText = statement.Sql;
                    foreach (var (name, _) in statement.Parameters)
                    {
                        var parameter = command.CreateParameter();
                        parameter.ParameterName = "@" + name;
                        command.Parameters.Add(parameter);
                    }

                    commands.Add(statement.Sql, command);
                }

                for (var i = 0; i < statement.Parameters.Length; i++)
                {
                    command.Parameters[i].Value = Value(statement.Parameters[i].Value);
                }

                if (statement.Read is null)
                {
                    await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    continue;
                }

                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    statement.Read(reader);
                }
            }
        }
        finally
        {
            foreach (var command in commands.Values)
            {
                await command.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static object Value(object? value) => value switch
    {
        null => DBNull.Value,
        Instant instant => instant.ToUnixTimeMilliseconds(),
        _ => value,
    };

    private sealed record Statement(string Sql, (string Name, object? Value)[] Parameters, Action<DbDataReader>? Read);
}
