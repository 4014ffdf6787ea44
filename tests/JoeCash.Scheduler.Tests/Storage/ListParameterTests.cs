using Dapper;
using JoeCash.Scheduler.Customers;
using JoeCash.Scheduler.Storage;
using JoeCash.Scheduler.Tests.Infrastructure;

namespace JoeCash.Scheduler.Tests.Storage;

/// <summary>
/// "Is one of these" in SQL (<see cref="Dialect.In"/> with <see cref="Dialect.List(System.Data.IDbConnection, IEnumerable{long})"/>):
/// a list of any length is one parameter, and text values arrive as they were, whatever characters they hold.
/// </summary>
public abstract class ListParameterTests(StorageProvider provider) : ProviderSuite(provider)
{
    public sealed class OnSqlite() : ListParameterTests(StorageProvider.Sqlite);

    public sealed class OnPostgres() : ListParameterTests(StorageProvider.PostgreSQL);

    [Fact]
    public async Task CustomersByIdAsync_ListLongerThanSqlitesParameterLimit_FindsExactlyTheStoredOnes()
    {
        await using var host = await StartHostAsync();
        await host.AddCustomerAsync("K1");
        await host.AddCustomerAsync("K2");
        await using var connection = await host.Database.OpenAsync();
        var stored = (await connection.QueryAsync<long>("SELECT id FROM customers")).ToHashSet();
        // 40,000 values: more than SQLite binds as separate parameters (32,766), as Dapper's list expansion would need.
        var asked = stored.Concat(Enumerable.Range(1_000_000, 40_000).Select(i => (long)i)).ToList();

        var found = await connection.CustomersByIdAsync(asked);

        Assert.Equal(stored, found.Keys.ToHashSet());
        Assert.Equal(["K1", "K2"], found.Values.Select(c => c.Number).Order());
    }

    [Fact]
    public async Task In_TextWithQuotesBackslashesAndUmlauts_MatchesEachValueExactly()
    {
        await using var host = await StartHostAsync();
        await using var connection = await host.Database.OpenAsync();
        string[] values = ["Müller \"Kasse\" 1", @"C:\till\ß", "O'Brien, \u2028line", "plain"];

        var found = await connection.QueryAsync<string>(
            $"SELECT v FROM (SELECT @a AS v UNION ALL SELECT @b UNION ALL SELECT @c UNION ALL SELECT @d) AS t WHERE v {connection.In("keys")}",
            new { a = values[0], b = values[1], c = values[2], d = "not asked", keys = connection.List(values) });

        Assert.Equal(values[..3].Order(StringComparer.Ordinal), found.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task In_EmptyList_MatchesNothing()
    {
        await using var host = await StartHostAsync();
        await host.AddCustomerAsync("K1");
        await using var connection = await host.Database.OpenAsync();

        var found = await connection.CustomersByIdAsync([]);

        Assert.Empty(found);
    }
}
