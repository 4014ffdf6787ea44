using JoeCash.Scheduler.Customers;
using JoeCash.Scheduler.Storage;
using JoeCash.Scheduler.Tests.Infrastructure;

namespace JoeCash.Scheduler.Tests.Customers;

/// <summary>Issue 9: the shops' service owns its transactions and returns the records a face prints.</summary>
public abstract class CustomerServiceTests(StorageProvider provider) : ProviderSuite(provider)
{
    public sealed class OnSqlite() : CustomerServiceTests(StorageProvider.Sqlite);

    public sealed class OnPostgres() : CustomerServiceTests(StorageProvider.PostgreSQL);

    private static CustomerInput Shop(string? phone = "+49 89 1") =>
        CustomerInput.Create("k1", "Bäckerei Müller", null, "München", "BY", "Erika", "erika@shop.test", phone, null, "de", "ja", null).Value;

    [Fact]
    public async Task AddAsync_DryRun_ReportsWithoutWriting()
    {
        await using var host = await StartHostAsync();
        var service = host.Get<CustomerService>();

        var dry = await service.AddAsync(Shop(), dryRun: true, TestContext.Current.CancellationToken);
        var page = await service.ListAsync(null, null, 10, TestContext.Current.CancellationToken);

        Assert.Equal(UpsertOutcome.Added, dry.Value.Outcome);
        Assert.Equal(0, page.Total);
    }

    [Fact]
    public async Task AddAsync_ChangedPhone_ReportsTheFieldAndListsTheRecord()
    {
        await using var host = await StartHostAsync();
        var service = host.Get<CustomerService>();
        await service.AddAsync(Shop(), dryRun: false, TestContext.Current.CancellationToken);

        var change = await service.AddAsync(Shop("+49 89 2"), dryRun: false, TestContext.Current.CancellationToken);
        var page = await service.ListAsync(null, null, 10, TestContext.Current.CancellationToken);
        var report = CustomerChangeReport.From(change.Value, dryRun: false);

        Assert.Equal("updated", report.Outcome);
        Assert.Equal(new FieldChangeRecord("phone", "+49 89 1", "+49 89 2"), Assert.Single(report.Changes));
        var record = CustomerRecord.From(Assert.Single(page.Customers));
        Assert.Equal(("K1", "+49 89 2", "BY"), (record.Number, record.Phone, record.FederalState));
        Assert.False(page.HasMore);
    }
}
