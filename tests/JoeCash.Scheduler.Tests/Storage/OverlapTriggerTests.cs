using System.Data.Common;
using Dapper;
using JoeCash.Scheduler.Storage;
using JoeCash.Scheduler.Tests.Infrastructure;

namespace JoeCash.Scheduler.Tests.Storage;

/// <summary>The schema itself refuses double bookings, whatever code writes them: SQLite's triggers and PostgreSQL's exclusion constraints, under the same names.</summary>
public abstract class OverlapTriggerTests(StorageProvider provider) : ProviderSuite(provider)
{
    public sealed class OnSqlite() : OverlapTriggerTests(StorageProvider.Sqlite);

    public sealed class OnPostgres() : OverlapTriggerTests(StorageProvider.PostgreSQL);

    private const string Insert = """
        INSERT INTO appointments (uid, technician_id, customer_id, type_key, starts_at, ends_at, blocked_from, blocked_until, status, booked_by, created_at, updated_at)
        VALUES (@uid, @technician, @customer, 'fault', @start, @end, @blockedFrom, @blockedUntil, 'booked', 'test', 0, 0)
        """;

    private static readonly long Hour = 3_600_000;
    private static readonly long Base = 1_900_000_000_000;

    public static TheoryData<long, long, long, long, long, string?> Cases => new()
    {
        // technician, customer, start, end, blocked-after (ms), expected trigger; the first row is booked at Base..Base+1h, blocked until +1h15.
        { 1, 1, Base + Hour, Base + (2 * Hour), 0, "technician_overlap" },       // starts in the buffer after
        { 1, 2, Base + (Hour + (Hour / 4)), Base + (2 * Hour), 0, null },           // starts when the buffer ends
        { 1, 2, Base - Hour, Base + 1, 0, "technician_overlap" },                 // ends one ms inside
        { 2, 1, Base + (Hour / 2), Base + (3 * Hour / 2), 0, "shop_overlap" },    // other technician, same till
        { 2, 1, Base + Hour, Base + (2 * Hour), 0, null },                        // the till is free again at the end
        { 2, 2, Base, Base + Hour, 0, null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Insert_OverlappingBooking_RefusedByTheDatabase(long technician, long customer, long start, long end, long bufferAfter, string? expected)
    {
        await using var host = await StartHostAsync();
        await host.AddTechnicianAsync("Eins");
        await host.AddTechnicianAsync("Zwei");
        await host.AddCustomerAsync("K1");
        await host.AddCustomerAsync("K2");
        await using var connection = await host.Database.OpenAsync();
        await connection.ExecuteAsync(Insert, new { uid = "first", technician = 1, customer = 1, start = Base, end = Base + Hour, blockedFrom = Base, blockedUntil = Base + Hour + (Hour / 4) });

        var insert = () => connection.ExecuteAsync(Insert, new { uid = "second", technician, customer, start, end, blockedFrom = start, blockedUntil = end + bufferAfter });

        if (expected is null)
        {
            Assert.Equal(1, await insert());
        }
        else
        {
            var e = await Assert.ThrowsAnyAsync<DbException>(insert);
            Assert.Equal(expected, Database.OverlapRule(e));
            Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM appointments"));
        }
    }

    [Fact]
    public async Task Update_MovingOntoAnotherBooking_RefusedByTheDatabase()
    {
        await using var host = await StartHostAsync();
        await host.AddTechnicianAsync("Eins");
        await host.AddCustomerAsync("K1");
        await host.AddCustomerAsync("K2");
        await using var connection = await host.Database.OpenAsync();
        await connection.ExecuteAsync(Insert, new { uid = "a", technician = 1, customer = 1, start = Base, end = Base + Hour, blockedFrom = Base, blockedUntil = Base + Hour });
        await connection.ExecuteAsync(Insert, new { uid = "b", technician = 1, customer = 2, start = Base + (2 * Hour), end = Base + (3 * Hour), blockedFrom = Base + (2 * Hour), blockedUntil = Base + (3 * Hour) });

        var e = await Assert.ThrowsAnyAsync<DbException>(() => connection.ExecuteAsync(
            "UPDATE appointments SET starts_at = @s, ends_at = @e, blocked_from = @s, blocked_until = @e WHERE uid = 'b'", new { s = Base + (Hour / 2), e = Base + (3 * Hour / 2) }));

        Assert.Equal("technician_overlap", Database.OverlapRule(e));
        // A cancelled appointment no longer blocks anything.
        await connection.ExecuteAsync("UPDATE appointments SET status = 'cancelled' WHERE uid = 'a'");
        Assert.Equal(1, await connection.ExecuteAsync(
            "UPDATE appointments SET starts_at = @s, ends_at = @e, blocked_from = @s, blocked_until = @e WHERE uid = 'b'", new { s = Base + (Hour / 2), e = Base + (3 * Hour / 2) }));
    }
}
