using JoeCash.Scheduler.Domain;

namespace JoeCash.Scheduler.Customers;

/// <summary>A field of a shop that a user can give, named as in the database (and in change reports).</summary>
public enum CustomerField
{
    Number,
    Company,
    Branch,
    City,
    FederalState,
    ContactName,
    Emails,
    Phone,
    RustDeskId,
    Language,
    SupportContract,
    OpeningHours,
}

/// <summary>One field a save changed: its name and the stored text before and after (null: empty).</summary>
public sealed record FieldChange(CustomerField Field, string? From, string? To)
{
    /// <summary>The database column name, e.g. <c>rustdesk_id</c>.</summary>
    public string Name => Field switch
    {
        CustomerField.FederalState => "federal_state",
        CustomerField.ContactName => "contact_name",
        CustomerField.RustDeskId => "rustdesk_id",
        CustomerField.SupportContract => "support_contract",
        CustomerField.OpeningHours => "opening_hours",
        _ => Field.ToString().ToLowerInvariant(),
    };

    /// <summary>"phone '+49 1' → '+49 2'", "rustdesk_id cleared" or "city set to 'Köln'".</summary>
    public override string ToString() => (From, To) switch
    {
        (_, null) => $"{Name} cleared",
        (null, _) => $"{Name} set to {Quote(To)}",
        _ => $"{Name} {Quote(From)} → {Quote(To)}",
    };

    private static string Quote(string? text) =>
        text is "yes" or "no" ? text : $"'{UserText.Shown((text ?? "").Replace("\n", " / ", StringComparison.Ordinal), 80)}'";
}

/// <summary>What saving one shop did (or, in a dry run, would do).</summary>
public sealed record CustomerChange(string Number, UpsertOutcome Outcome, IReadOnlyList<FieldChange> Fields, bool HasRustDeskId)
{
    /// <summary>"K10001: phone '+49 1' → '+49 2'; rustdesk_id cleared".</summary>
    public override string ToString() => $"{Number}: {(Outcome == UpsertOutcome.Added ? "added" : string.Join("; ", Fields))}";
}

/// <summary>What an upsert did.</summary>
public enum UpsertOutcome
{
    Added,
    Updated,
    Unchanged,
}

/// <summary>What an import or an add did (or, in a dry run, would do), shop by shop.</summary>
public sealed record CustomerSaveReport(IReadOnlyList<CustomerChange> Changes, bool DryRun)
{
    public int Added => Changes.Count(c => c.Outcome == UpsertOutcome.Added);

    public int Updated => Changes.Count(c => c.Outcome == UpsertOutcome.Updated);

    public int Unchanged => Changes.Count(c => c.Outcome == UpsertOutcome.Unchanged);

    public int WithoutRustDeskId => Changes.Count(c => !c.HasRustDeskId);
}

/// <summary>How a shop as given merges over the stored one, and what that changes.</summary>
public sealed partial record CustomerInput
{
    private static readonly CustomerField[] RequiredForNew = [CustomerField.Company, CustomerField.FederalState, CustomerField.ContactName, CustomerField.Emails];

    /// <summary>
    /// The shop as it will be stored: the given fields over <paramref name="stored"/>, or for a new
    /// shop the given fields over the defaults, refused if a required one is missing.
    /// </summary>
    public Result<CustomerInput> Over(Customer? stored)
    {
        if (stored is null)
        {
            var missing = RequiredForNew.Where(f => !Given.Contains(f)).ToArray();
            return missing.Length == 0
                ? this
                : Result.Fail<CustomerInput>(
                    $"{Number} is a new shop, so {string.Join(", ", missing.Select(Label))} {(missing.Length == 1 ? "is" : "are")} required.");
        }

        bool Keep(CustomerField field) => !Given.Contains(field);
        return this with
        {
            Company = Keep(CustomerField.Company) ? stored.Company : Company,
            Branch = Keep(CustomerField.Branch) ? stored.Branch : Branch,
            City = Keep(CustomerField.City) ? stored.City : City,
            State = Keep(CustomerField.FederalState) ? stored.State : State,
            ContactName = Keep(CustomerField.ContactName) ? stored.ContactName : ContactName,
            Emails = Keep(CustomerField.Emails) ? stored.Emails : Emails,
            Phone = Keep(CustomerField.Phone) ? stored.Phone : Phone,
            RustDeskId = Keep(CustomerField.RustDeskId) ? stored.RustDeskId : RustDeskId,
            Language = Keep(CustomerField.Language) ? stored.Language : Language,
            SupportContract = Keep(CustomerField.SupportContract) ? stored.SupportContract : SupportContract,
            OpeningHours = Keep(CustomerField.OpeningHours) ? stored.OpeningHours : OpeningHours,
            Given = AllFields,
        };
    }

    private static string Label(CustomerField field) => field switch
    {
        CustomerField.FederalState => "federal state",
        CustomerField.ContactName => "contact",
        CustomerField.Emails => "email",
        _ => field.ToString().ToLowerInvariant(),
    };

    /// <summary>Each field whose stored text differs between <paramref name="stored"/> and this (complete) input.</summary>
    public IReadOnlyList<FieldChange> ChangesFrom(Customer stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var before = Texts(stored.Company, stored.Branch, stored.City, stored.State, stored.ContactName, stored.Emails, stored.Phone, stored.RustDeskId,
            stored.Language, stored.SupportContract, stored.OpeningHours);
        var after = Texts(Company, Branch, City, State, ContactName, Emails, Phone, RustDeskId, Language, SupportContract, OpeningHours);
        return [.. before.Zip(after).Where(p => p.First.Text != p.Second.Text).Select(p => new FieldChange(p.First.Field, p.First.Text, p.Second.Text))];
    }

    private static (CustomerField Field, string? Text)[] Texts(
        string company, string? branch, string? city, FederalState state, string contact, IReadOnlyList<string> emails, string? phone,
        RustDeskId? rustDesk, Language language, bool contract, string? hours) =>
    [
        (CustomerField.Company, company),
        (CustomerField.Branch, branch),
        (CustomerField.City, city),
        (CustomerField.FederalState, state.ToString()),
        (CustomerField.ContactName, contact),
        (CustomerField.Emails, string.Join(',', emails)),
        (CustomerField.Phone, phone),
        (CustomerField.RustDeskId, rustDesk?.Value),
        (CustomerField.Language, language.Code()),
        (CustomerField.SupportContract, contract ? "yes" : "no"),
        (CustomerField.OpeningHours, hours),
    ];
}
