using System.Data.Common;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Storage;
using NodaTime;

namespace JoeCash.Scheduler.Customers;

/// <summary>One page of shops in number order, the number of all that match, and whether more follow.</summary>
public sealed record CustomerPage(IReadOnlyList<Customer> Customers, long Total, bool HasMore);

/// <summary>The shops: list a page, add or update one, import many; each action its own connection and transaction.</summary>
public sealed class CustomerService(Database database, IClock clock)
{
    /// <summary>
    /// Up to <paramref name="limit"/> shops after the number <paramref name="after"/>, optionally only those whose
    /// number, name, branch, city or contact contains <paramref name="search"/>.
    /// </summary>
    public async Task<CustomerPage> ListAsync(string? after, string? search, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await Open(cancellationToken).ConfigureAwait(false);
        // One row more than asked tells whether there is a next page.
        var (page, total) = await connection.CustomerPageAsync(after, search, limit + 1).ConfigureAwait(false);
        return new CustomerPage([.. page.Take(limit)], total, page.Count > limit);
    }

    /// <summary>The shop with customer number <paramref name="number"/>, or why there is none.</summary>
    public async Task<Result<Customer>> FindAsync(string number, CancellationToken cancellationToken = default)
    {
        await using var connection = await Open(cancellationToken).ConfigureAwait(false);
        return await connection.FindCustomerAsync(number).ConfigureAwait(false);
    }

    /// <summary>Adds a shop or updates the stored one (fields not given keep their value); with <paramref name="dryRun"/> only says what it would do.</summary>
    public async Task<Result<CustomerChange>> AddAsync(CustomerInput customer, bool dryRun, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(customer);
        var report = await SaveAsync([customer], dryRun, cancellationToken).ConfigureAwait(false);
        return report.IsSuccess ? report.Value.Changes[0] : Result.Fail<CustomerChange>(report.Error!);
    }

    /// <summary>Saves every shop or none; with <paramref name="dryRun"/> reports the same without writing.</summary>
    public Task<Result<CustomerSaveReport>> ImportAsync(IReadOnlyList<CustomerInput> customers, bool dryRun, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(customers);
        return SaveAsync(customers, dryRun, cancellationToken);
    }

    private async Task<Result<CustomerSaveReport>> SaveAsync(IReadOnlyList<CustomerInput> customers, bool dryRun, CancellationToken cancellationToken)
    {
        await using var connection = await Open(cancellationToken).ConfigureAwait(false);
        await using var writing = await Database.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        var transaction = writing.Transaction;
        var now = clock.GetCurrentInstant();
        var changes = new List<CustomerChange>(customers.Count);
        var olderNumbers = await connection.OlderNumbersAsync(transaction).ConfigureAwait(false);
        foreach (var customer in customers)
        {
            var change = await connection.SaveCustomerAsync(customer, now, write: !dryRun, transaction, olderNumbers).ConfigureAwait(false);
            if (!change.IsSuccess)
            {
                return Result.Fail<CustomerSaveReport>(change.Error!);
            }

            changes.Add(change.Value);
        }

        if (!dryRun)
        {
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        return new CustomerSaveReport(changes, dryRun);
    }

    private async Task<DbConnection> Open(CancellationToken cancellationToken) => await database.OpenAsync(cancellationToken).ConfigureAwait(false);
}
