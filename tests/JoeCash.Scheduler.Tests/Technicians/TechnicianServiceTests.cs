using JoeCash.Scheduler.Storage;
using JoeCash.Scheduler.Tests.Infrastructure;
using JoeCash.Scheduler.Technicians;

namespace JoeCash.Scheduler.Tests.Technicians;

/// <summary>Issue 9: the technicians' service speaks no command line; ids stay numbers.</summary>
public abstract class TechnicianServiceTests(StorageProvider provider) : ProviderSuite(provider)
{
    public sealed class OnSqlite() : TechnicianServiceTests(StorageProvider.Sqlite);

    public sealed class OnPostgres() : TechnicianServiceTests(StorageProvider.PostgreSQL);

    private static TechnicianForm Anna(string email = "anna@joecash.test", int? cap = null) =>
        new("Anna Berger", email, null, "BY", null, null, cap);

    [Fact]
    public async Task AddAsync_Valid_ReturnsTheStoredTechnicianFoundByItsId()
    {
        await using var host = await StartHostAsync();
        var service = host.Get<TechnicianService>();

        var added = await service.AddAsync(Anna(), cancellationToken: TestContext.Current.CancellationToken);
        var found = await service.FindAsync(added.Value.Id, TestContext.Current.CancellationToken);
        var listed = await service.ListAsync(TestContext.Current.CancellationToken);

        Assert.True(added.IsSuccess, added.Error);
        Assert.Equal("anna@joecash.test", found.Value.Email);
        Assert.Equal(added.Value.Id, Assert.Single(listed).Id);
    }

    [Theory]
    [InlineData("not-an-address", null, "email")]
    [InlineData("anna@joecash.test", 0, "daily cap must be at least 1.")]
    public async Task AddAsync_BadField_RefusesInPlainWords(string email, int? cap, string expected)
    {
        await using var host = await StartHostAsync();

        var result = await host.Get<TechnicianService>().AddAsync(Anna(email, cap), cancellationToken: TestContext.Current.CancellationToken);

        Assert.False(result.IsSuccess);
        Assert.StartsWith(expected, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("--", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddAsync_EmailTaken_RefusesWithTheFacesLabel()
    {
        await using var host = await StartHostAsync();
        var service = host.Get<TechnicianService>();
        await service.AddAsync(Anna(), cancellationToken: TestContext.Current.CancellationToken);

        var plain = await service.AddAsync(Anna(), cancellationToken: TestContext.Current.CancellationToken);
        var labelled = await service.AddAsync(Anna(), new TechnicianLabels(Email: "E-Mail"), TestContext.Current.CancellationToken);

        Assert.Equal("email: a technician with anna@joecash.test already exists.", plain.Error);
        Assert.StartsWith("E-Mail: ", labelled.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FindAsync_UnknownId_Refuses()
    {
        await using var host = await StartHostAsync();

        var result = await host.Get<TechnicianService>().FindAsync(99, TestContext.Current.CancellationToken);

        Assert.StartsWith("technician: no technician '99'", result.Error, StringComparison.Ordinal);
    }
}
