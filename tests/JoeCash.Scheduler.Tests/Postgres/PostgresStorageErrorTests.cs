using JoeCash.Scheduler.Tests.Infrastructure;

namespace JoeCash.Scheduler.Tests.Postgres;

/// <summary>What a verb says when the configured PostgreSQL database is not usable: one line, which database, what to do, never the password; exit 2.</summary>
public sealed class PostgresStorageErrorTests : IAsyncLifetime
{
    private readonly TempDirectory _folder = new();
    private TestPostgres _empty = null!;

    public async ValueTask InitializeAsync() => _empty = await TestPostgres.CreateAsync();

    public async ValueTask DisposeAsync()
    {
        await _empty.DisposeAsync();
        _folder.Dispose();
    }

    public static TheoryData<string, string> Cases => new()
    {
        { "Host=127.0.0.1;Port=1;Database=joecash;Username=joecash;Password=s3cr3t-pw", "error: Cannot reach the PostgreSQL database joecash on 127.0.0.1:1" },
        { "{server};Database=no_such_db;Password=s3cr3t-pw", "error: There is no PostgreSQL database no_such_db on 127.0.0.1:" },
        { "{empty};Password=s3cr3t-pw", "has no schema, or an older one, for this version" },
        { "", "error: Storage:Provider is PostgreSQL: set Storage:ConnectionString" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Verb_UnusableDatabase_OneLineNamingItAndWhatToDo(string connectionString, string expected)
    {
        connectionString = connectionString
            .Replace("{server}", TestPostgres.ServerConnectionString, StringComparison.Ordinal)
            .Replace("{empty}", _empty.ConnectionString, StringComparison.Ordinal);

        var result = await new Infrastructure.Cli(_folder).RunWithAsync(
            new Dictionary<string, string> { ["JOECASH_Storage__Provider"] = "PostgreSQL", ["JOECASH_Storage__ConnectionString"] = connectionString },
            "customer", "list");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Stderr, StringComparison.Ordinal);
        Assert.Single(result.Stderr.Trim().Split('\n'));
        Assert.DoesNotContain("s3cr3t-pw", result.Stderr + result.Stdout, StringComparison.Ordinal);
    }
}
