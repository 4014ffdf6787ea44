using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Storage;
using NodaTime;

namespace JoeCash.Scheduler.Customers;

/// <summary>What an import or an add did (or, in a dry run, would do), shop by shop.</summary>
public sealed record CustomerSaveReport(IReadOnlyList<CustomerChange> Changes, bool DryRun)
{
    public int Added => Changes.Count(c => c.Outcome == UpsertOutcome.Added);

    public int Updated => Changes.Count(c => c.Outcome == UpsertOutcome.Updated);

    public int Unchanged => Changes.Count(c => c.Outcome == UpsertOutcome.Unchanged);

    public int WithoutRustDeskId => Changes.Count(c => !c.HasRustDeskId);
}

/// <summary>Adds and updates shops in one transaction; a field not given keeps its stored value.</summary>
public sealed class CustomerDirectory(Database database, IClock clock)
{
    /// <summary>Saves every shop or none; with <paramref name="dryRun"/> reports the same without writing.</summary>
    public async Task<Result<CustomerSaveReport>> SaveAsync(IReadOnlyList<CustomerInput> customers, bool dryRun, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(customers);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = Database.BeginWrite(connection);
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
}
