using JoeCash.Scheduler.Domain;

namespace JoeCash.Scheduler.Customers;

/// <summary>A shop as a script or an API client reads it.</summary>
public sealed record CustomerRecord(
    long Id,
    string Number,
    string Company,
    string? Branch,
    string? City,
    string FederalState,
    string Contact,
    IReadOnlyList<string> Emails,
    string? Phone,
    string? RustDeskId,
    string Language,
    bool SupportContract,
    string? OpeningHours)
{
    public static CustomerRecord From(Customer customer)
    {
        ArgumentNullException.ThrowIfNull(customer);
        return new(customer.Id, customer.Number, customer.Company, customer.Branch, customer.City, customer.State.ToString(), customer.ContactName,
            customer.Emails, customer.Phone, customer.RustDeskId?.Value, customer.Language.Code(), customer.SupportContract, customer.OpeningHours);
    }
}

/// <summary>One changed field as a script reads it: the column name and the stored text before and after.</summary>
public sealed record FieldChangeRecord(string Field, string? From, string? To)
{
    public static IReadOnlyList<FieldChangeRecord> Of(CustomerChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return [.. change.Fields.Select(f => new FieldChangeRecord(f.Name, f.From, f.To))];
    }
}

/// <summary>What adding (or updating) one shop did, as a script reads it.</summary>
public sealed record CustomerChangeReport(string Number, string Outcome, bool DryRun, IReadOnlyList<FieldChangeRecord> Changes)
{
    public static CustomerChangeReport From(CustomerChange change, bool dryRun)
    {
        ArgumentNullException.ThrowIfNull(change);
        return new(change.Number, OutcomeText(change.Outcome), dryRun, FieldChangeRecord.Of(change));
    }

    internal static string OutcomeText(UpsertOutcome outcome) => outcome.ToString().ToLowerInvariant();
}

/// <summary>One shop an import added or changed, as a script reads it.</summary>
public sealed record CustomerImportChange(string Number, string Outcome, IReadOnlyList<FieldChangeRecord> Fields);

/// <summary>What an import did (or would do), as a script reads it: counts, and the shops it added or changed.</summary>
public sealed record CustomerImportReport(int Rows, bool DryRun, int Added, int Updated, int Unchanged, int WithoutRustDeskId, IReadOnlyList<CustomerImportChange> Changes)
{
    public static CustomerImportReport From(CustomerSaveReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new(report.Changes.Count, report.DryRun, report.Added, report.Updated, report.Unchanged, report.WithoutRustDeskId,
            [.. report.Changes.Where(c => c.Outcome != UpsertOutcome.Unchanged)
                .Select(c => new CustomerImportChange(c.Number, CustomerChangeReport.OutcomeText(c.Outcome), FieldChangeRecord.Of(c)))]);
    }
}
