using System.Data;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using NodaTime;

namespace JoeCash.Scheduler.Storage;

/// <summary>One table of a copy: how many rows, and the checksum both databases gave for them.</summary>
public sealed record TableCopy(string Table, long Rows, string Checksum);

/// <summary>What a copy did: every table with its proof, and whether the shops' link key came along.</summary>
public sealed record CopyReport(string Source, string Target, IReadOnlyList<TableCopy> Tables, bool LinkKeyCopied);

/// <summary>A copy that was refused before anything was written, with the reason.</summary>
public sealed class CopyRefusedException(string message) : Exception(message);

/// <summary>
/// Moves an installation up from its SQLite file to an empty PostgreSQL database: the schema first (the PostgreSQL
/// migrations), then every table of the file — technicians, shops, appointments with their UIDs and sequences,
/// audit, outbox, reminders, replies, staff, links — with their ids, in one transaction. Before it commits, each
/// table is proved: the same row count, and the same checksum over its rows read back from both databases
/// (SHA-256 over the rows' canonical forms in a fixed order). Any difference rolls everything back.
/// </summary>
/// <remarks>
/// The file is read in one read transaction, a consistent snapshot even while the service writes; rows written
/// after it began are not copied — stop the service for the move. The key that signs the shops' links moves too
/// (into <c>shared_keys</c>), so links already sent keep working on the new database.
/// </remarks>
public sealed class DatabaseCopy(Database source, IClock clock, ILogger<DatabaseCopy> logger)
{
    /// <summary>Copies the configured SQLite file into the PostgreSQL database at <paramref name="targetConnectionString"/>.</summary>
    /// <exception cref="CopyRefusedException">The source is not SQLite, or the target holds data already; nothing was written.</exception>
    public async Task<CopyReport> CopyToPostgresAsync(string targetConnectionString, CancellationToken cancellationToken = default)
    {
        if (source.Provider != StorageProvider.Sqlite)
        {
            throw new CopyRefusedException("The copy reads the SQLite file: run it with Storage:Provider=Sqlite and Storage:Path naming the file, and give the PostgreSQL database as the target.");
        }

        _ = new NpgsqlConnectionStringBuilder(targetConnectionString); // a malformed string is refused before anything runs
        var targetName = new StorageOptions { Provider = StorageProvider.PostgreSQL, ConnectionString = targetConnectionString }.DisplayName();
        await new PostgresMigrator(clock, logger).MigrateAsync(targetConnectionString, cancellationToken).ConfigureAwait(false);

        await using var from = (SqliteConnection)await source.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var to = new NpgsqlConnection(targetConnectionString);
        await to.OpenAsync(cancellationToken).ConfigureAwait(false);
        // A deferred transaction: a snapshot of the file for the whole copy, without taking the writer lock.
        await using var snapshot = from.BeginTransaction(IsolationLevel.Serializable, deferred: true);
        var tables = await TablesParentsFirstAsync(from, snapshot).ConfigureAwait(false);
        foreach (var table in tables)
        {
            var rows = await to.ExecuteScalarAsync<long>($"SELECT count(*) FROM {Quote(table)}").ConfigureAwait(false);
            if (rows > 0)
            {
                throw new CopyRefusedException($"The {targetName} is not empty: table {table} has {rows} row(s). The copy goes only into an empty database; nothing was written.");
            }
        }

        await using var write = await to.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var report = new List<TableCopy>();
        foreach (var table in tables)
        {
            var columns = await ColumnsAsync(from, to, table, snapshot).ConfigureAwait(false);
            var rows = await CopyTableAsync(from, to, table, columns, snapshot, cancellationToken).ConfigureAwait(false);
            await ResetIdentityAsync(to, table, columns, write).ConfigureAwait(false);
            var sourceSum = await ChecksumAsync(from, table, columns, snapshot).ConfigureAwait(false);
            var targetSum = await ChecksumAsync(to, table, columns, write).ConfigureAwait(false);
            if (sourceSum != targetSum)
            {
                throw new InvalidOperationException(
                    $"Table {table}: the copy does not match the file ({sourceSum.Rows} rows, {sourceSum.Checksum} in the file; {targetSum.Rows} rows, {targetSum.Checksum} in PostgreSQL). Nothing was written.");
            }

            report.Add(new TableCopy(table, rows, sourceSum.Checksum));
            logger.LogInformation("Copied {Rows} row(s) of {Table} ({Checksum})", rows, table, sourceSum.Checksum);
        }

        var linkKey = Path.Combine(Path.GetDirectoryName(source.FilePath)!, "keys", "shop-links.key");
        var linkKeyCopied = File.Exists(linkKey);
        if (linkKeyCopied)
        {
            await to.ExecuteAsync(
                "INSERT INTO shared_keys (name, value, created_at) VALUES ('shop-links', @value, @now)",
                new { value = (await File.ReadAllTextAsync(linkKey, cancellationToken).ConfigureAwait(false)).Trim(), now = clock.GetCurrentInstant() },
                write).ConfigureAwait(false);
        }

        await write.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new CopyReport(source.Name, targetName, report, linkKeyCopied);
    }

    /// <summary>The file's tables (not the migrations' own), each after the tables its foreign keys point to.</summary>
    private static async Task<List<string>> TablesParentsFirstAsync(SqliteConnection from, SqliteTransaction snapshot)
    {
        var names = (await from.QueryAsync<string>(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' AND name <> 'schema_migrations' ORDER BY name", transaction: snapshot).ConfigureAwait(false)).ToList();
        var parents = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            parents[name] = [.. (await from.QueryAsync<string>($"SELECT \"table\" FROM pragma_foreign_key_list('{name}')", transaction: snapshot).ConfigureAwait(false))
                .Where(p => p != name)];
        }

        var ordered = new List<string>();
        while (ordered.Count < names.Count)
        {
            var next = names.Where(n => !ordered.Contains(n) && parents[n].All(ordered.Contains)).ToList();
            if (next.Count == 0)
            {
                throw new InvalidOperationException($"The foreign keys of {string.Join(", ", names.Except(ordered))} form a cycle.");
            }

            ordered.AddRange(next);
        }

        return ordered;
    }

    /// <summary>The file's columns of <paramref name="table"/> in its order, each with the PostgreSQL type it goes into.</summary>
    private static async Task<List<(string Name, string Type)>> ColumnsAsync(SqliteConnection from, NpgsqlConnection to, string table, SqliteTransaction snapshot)
    {
        var sourceColumns = (await from.QueryAsync<string>($"SELECT name FROM pragma_table_info('{table}') ORDER BY cid", transaction: snapshot).ConfigureAwait(false)).ToList();
        var targetTypes = (await to.QueryAsync<(string Name, string Type)>(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = @table", new { table }).ConfigureAwait(false))
            .ToDictionary(c => c.Name, c => c.Type, StringComparer.Ordinal);
        return [.. sourceColumns.Select(c => targetTypes.TryGetValue(c, out var type)
            ? (c, type)
            : throw new InvalidOperationException($"Column {table}.{c} of the file has no counterpart in the PostgreSQL schema; this build's migrations do not match."))];
    }

    private static async Task<long> CopyTableAsync(
        SqliteConnection from, NpgsqlConnection to, string table, List<(string Name, string Type)> columns, SqliteTransaction snapshot, CancellationToken cancellationToken)
    {
        var list = string.Join(", ", columns.Select(c => Quote(c.Name)));
        await using var reader = await new SqliteCommand($"SELECT {list} FROM {Quote(table)} ORDER BY rowid", from, snapshot).ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var writer = await to.BeginBinaryImportAsync($"COPY {Quote(table)} ({list}) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false);
        long rows = 0;
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            await writer.StartRowAsync(cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < columns.Count; i++)
            {
                await WriteAsync(writer, table, columns[i], reader.IsDBNull(i) ? null : reader.GetValue(i), cancellationToken).ConfigureAwait(false);
            }

            rows++;
        }

        await writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        return rows;
    }

    private static Task WriteAsync(NpgsqlBinaryImporter writer, string table, (string Name, string Type) column, object? value, CancellationToken cancellationToken) =>
        value is null ? writer.WriteNullAsync(cancellationToken)
        : column.Type switch
        {
            "boolean" => writer.WriteAsync(Convert.ToInt64(value, CultureInfo.InvariantCulture) != 0, NpgsqlDbType.Boolean, cancellationToken),
            "bigint" => writer.WriteAsync(Convert.ToInt64(value, CultureInfo.InvariantCulture), NpgsqlDbType.Bigint, cancellationToken),
            "integer" => writer.WriteAsync(Convert.ToInt32(value, CultureInfo.InvariantCulture), NpgsqlDbType.Integer, cancellationToken),
            "smallint" => writer.WriteAsync(Convert.ToInt16(value, CultureInfo.InvariantCulture), NpgsqlDbType.Smallint, cancellationToken),
            "text" => writer.WriteAsync(Convert.ToString(value, CultureInfo.InvariantCulture)!, NpgsqlDbType.Text, cancellationToken),
            "bytea" => writer.WriteAsync((byte[])value, NpgsqlDbType.Bytea, cancellationToken),
            _ => throw new InvalidOperationException($"Column {table}.{column.Name} has the PostgreSQL type {column.Type}, which the copy does not know."),
        };

    /// <summary>An identity column continues after the highest id copied, so the next row does not collide.</summary>
    private static async Task ResetIdentityAsync(NpgsqlConnection to, string table, List<(string Name, string Type)> columns, NpgsqlTransaction write)
    {
        var identity = await to.ExecuteScalarAsync<string?>(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = @table AND is_identity = 'YES'", new { table }, write).ConfigureAwait(false);
        if (identity is not null && columns.Any(c => c.Name == identity))
        {
            await to.ExecuteAsync(
                $"SELECT setval(pg_get_serial_sequence(@quoted, @identity), COALESCE((SELECT max({Quote(identity)}) FROM {Quote(table)}), 1), (SELECT count(*) > 0 FROM {Quote(table)}))",
                new { quoted = Quote(table), identity },
                write).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Count and checksum of a table as <paramref name="connection"/> reads it back: each row in a canonical form
    /// (flags as 1/0, numbers in decimal, text length-prefixed, bytes in hex, null as a mark of its own), hashed;
    /// the row hashes sorted (so neither side's collation decides the order) and hashed together.
    /// </summary>
    private static async Task<(long Rows, string Checksum)> ChecksumAsync(IDbConnection connection, string table, List<(string Name, string Type)> columns, IDbTransaction transaction)
    {
        var list = string.Join(", ", columns.Select(c => Quote(c.Name)));
        using var reader = await connection.ExecuteReaderAsync($"SELECT {list} FROM {Quote(table)}", transaction: transaction).ConfigureAwait(false);
        var digests = new List<byte[]>();
        var row = new StringBuilder();
        while (reader.Read())
        {
            row.Clear();
            for (var i = 0; i < columns.Count; i++)
            {
                row.Append(reader.IsDBNull(i) ? "\\N" : Canonical(columns[i].Type, reader.GetValue(i))).Append('\u001f');
            }

            digests.Add(SHA256.HashData(Encoding.UTF8.GetBytes(row.ToString())));
        }

        digests.Sort((a, b) => a.AsSpan().SequenceCompareTo(b));
        using var all = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var digest in digests)
        {
            all.AppendData(digest);
        }

        return (digests.Count, "sha256:" + Convert.ToHexStringLower(all.GetHashAndReset()));
    }

    private static string Canonical(string type, object value) => type switch
    {
        "boolean" => value is bool b ? (b ? "1" : "0") : Convert.ToInt64(value, CultureInfo.InvariantCulture) != 0 ? "1" : "0",
        "bigint" or "integer" or "smallint" => Convert.ToInt64(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture),
        "bytea" => "x" + Convert.ToHexStringLower((byte[])value),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) is { } text ? $"{text.Length}:{text}" : "",
    };

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
