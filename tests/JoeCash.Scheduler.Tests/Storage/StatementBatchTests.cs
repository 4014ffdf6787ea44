using System.Data.Common;
using Dapper;
using JoeCash.Scheduler.Storage;
using JoeCash.Scheduler.Tests.Infrastructure;
using NodaTime;

namespace JoeCash.Scheduler.Tests.Storage;

/// <summary>
/// The batch a booking writes through: statements run in order, rows that refer to an id read earlier in the same
/// transaction, the commit in the batch (one round trip on PostgreSQL), and a batch left uncommitted rolled back.
/// </summary>
public abstract class StatementBatchTests(StorageProvider provider) : ProviderSuite(provider)
{
    public sealed class OnSqlite() : StatementBatchTests(StorageProvider.Sqlite);

    public sealed class OnPostgres() : StatementBatchTests(StorageProvider.PostgreSQL);

    private const string Insert = """
        INSERT INTO appointments (id, uid, technician_id, customer_id, type_key, starts_at, ends_at, blocked_from, blocked_until, status, booked_by, created_at, updated_at)
        VALUES (@id, @uid, @technician, @customer, 'fault', @start, @end, @start, @end, 'booked', 'test', @now, @now)
        """;

    private const string Audit = "INSERT INTO appointment_audit (appointment_id, at, actor, action, details) VALUES (@id, @now, 'test', 'booked', '{}')";

    private static readonly Instant Start = Instant.FromUtc(2030, 1, 7, 9, 0);

    [Fact]
    public async Task CommitAsync_RowsReferringToAReservedId_CommittedTogether()
    {
        await using var host = await StartHostAsync();
        var technician = await host.AddTechnicianAsync("Eins");
        await host.AddCustomerAsync("K1");
        long first;
        long second;
        await using (var connection = await host.Database.OpenAsync())
        {
            await using var writing = await Database.BeginWriteInTurnsAsync(connection);
            var batch = Database.Batch(connection, writing.Transaction);
            first = await NextIdAsync(batch);
            batch.Execute(Insert, Row(first, "a", technician, Start));
            batch.Execute(Audit, ("id", first), ("now", Start));
            await batch.ExecuteAsync();
            second = await NextIdAsync(batch);
            batch.Execute(Insert, Row(second, "b", technician, Start + Duration.FromHours(2)));
            batch.Execute(Audit, ("id", second), ("now", Start));
            await batch.CommitAsync();
        }

        Assert.Equal(first + 1, second);
        await using var check = await host.Database.OpenAsync();
        Assert.Equal(2, await check.ExecuteScalarAsync<long>("SELECT count(*) FROM appointments WHERE id IN (@first, @second)", new { first, second }));
        Assert.Equal(2, await check.ExecuteScalarAsync<long>("SELECT count(*) FROM appointment_audit WHERE appointment_id IN (@first, @second)", new { first, second }));
    }

    [Fact]
    public async Task ExecuteAsync_WithoutCommit_RolledBackWhenTheTransactionEnds()
    {
        await using var host = await StartHostAsync();
        var technician = await host.AddTechnicianAsync("Eins");
        await host.AddCustomerAsync("K1");
        await using (var connection = await host.Database.OpenAsync())
        {
            await using var writing = await Database.BeginWriteInTurnsAsync(connection);
            var batch = Database.Batch(connection, writing.Transaction);
            var id = await NextIdAsync(batch);
            batch.Execute(Insert, Row(id, "a", technician, Start));
            await batch.ExecuteAsync();
        }

        await using var check = await host.Database.OpenAsync();
        Assert.Equal(0, await check.ExecuteScalarAsync<long>("SELECT count(*) FROM appointments"));
    }

    [Fact]
    public async Task CommitAsync_OverlapInTheBatch_RefusedAsTheRuleAndNothingWritten()
    {
        await using var host = await StartHostAsync();
        var technician = await host.AddTechnicianAsync("Eins");
        await host.AddCustomerAsync("K1");
        await host.AddCustomerAsync("K2");
        await using (var connection = await host.Database.OpenAsync())
        {
            await using var writing = await Database.BeginWriteInTurnsAsync(connection);
            var batch = Database.Batch(connection, writing.Transaction);
            var id = await NextIdAsync(batch);
            batch.Execute(Insert, Row(id, "a", technician, Start));
            batch.Execute(Insert, Row(id + 1, "b", technician, Start + Duration.FromMinutes(30), customer: 2));
            var e = await Assert.ThrowsAnyAsync<DbException>(() => batch.CommitAsync());
            Assert.Equal("technician_overlap", Database.OverlapRule(e));
        }

        await using var check = await host.Database.OpenAsync();
        Assert.Equal(0, await check.ExecuteScalarAsync<long>("SELECT count(*) FROM appointments"));
    }

    private static async Task<long> NextIdAsync(StatementBatch batch)
    {
        var id = 0L;
        batch.Query(Database.NextIdSql(batch.Connection, "appointments"), r => id = r.GetInt64(0));
        await batch.ExecuteAsync();
        return id;
    }

    private static (string Name, object? Value)[] Row(long id, string uid, long technician, Instant start, long customer = 1) =>
        [("id", id), ("uid", uid), ("technician", technician), ("customer", customer), ("start", start), ("end", start + Duration.FromHours(1)), ("now", start)];
}
