using System.Data;
using Dapper;
using JoeCash.Scheduler.Domain;
using NodaTime;

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

/// <summary>
/// A shop as entered or imported, before it has an id. <see cref="Given"/> says which fields the user
/// gave: a field not given keeps what is stored (a new shop gets the default), a field given empty
/// clears it. That is what keeps an import with fewer columns from wiping a shop's data.
/// </summary>
public sealed record CustomerInput(
    string Number,
    string Company,
    string? Branch,
    string? City,
    FederalState State,
    string ContactName,
    IReadOnlyList<string> Emails,
    string? Phone,
    RustDeskId? RustDeskId,
    Language Language,
    bool SupportContract,
    string? OpeningHours)
{
    private static readonly IReadOnlySet<CustomerField> AllFields = Enum.GetValues<CustomerField>().ToHashSet();

    private static readonly CustomerField[] RequiredForNew = [CustomerField.Company, CustomerField.FederalState, CustomerField.ContactName, CustomerField.Emails];

    /// <summary>The fields the user gave; all of them unless said otherwise.</summary>
    public IReadOnlySet<CustomerField> Given { get; init; } = AllFields;

    /// <summary>
    /// Checks raw text field by field; every message names the field (and the caller adds where).
    /// <c>null</c> means "not given" (keep what is stored); an empty text means "clear it", which a
    /// required field refuses.
    /// </summary>
    public static Result<CustomerInput> Create(
        string? number,
        string? company,
        string? branch,
        string? city,
        string? state,
        string? contactName,
        string? emails,
        string? phone,
        string? rustDeskId,
        string? language,
        string? supportContract,
        string? openingHours)
    {
        var errors = new List<string>();
        var given = new HashSet<CustomerField>();
        T? Take<T>(CustomerField? field, string? raw, Func<string?, Result<T>> parse)
        {
            if (raw is null && field is not null)
            {
                return default;
            }

            if (field is { } f)
            {
                given.Add(f);
            }

            var result = parse(raw);
            if (!result.IsSuccess)
            {
                errors.Add(result.Error!);
                return default;
            }

            return result.Value;
        }

        var checkedNumber = Take(null, number, t => CustomerNumber.Parse(t, "customer number"));
        var checkedCompany = Take(CustomerField.Company, company, t => UserText.Required(t, "company", 200));
        var checkedBranch = Take(CustomerField.Branch, branch, t => UserText.Optional(t, "branch", 200));
        var checkedCity = Take(CustomerField.City, city, t => UserText.Optional(t, "city", 100));
        var checkedState = Take(CustomerField.FederalState, state, t => FederalStates.Parse(t, "federal state"));
        var checkedContact = Take(CustomerField.ContactName, contactName, t => UserText.Required(t, "contact", 200));
        var checkedEmails = Take(CustomerField.Emails, emails, ParseEmails);
        var checkedPhone = Take(CustomerField.Phone, phone, CheckPhone);
        var checkedRustDesk = Take(CustomerField.RustDeskId, rustDeskId, t => Domain.RustDeskId.ParseOptional(t, "RustDesk ID"));
        var checkedLanguage = Take(CustomerField.Language, language, t => Languages.Parse(t, "language"));
        var checkedContract = Take(CustomerField.SupportContract, supportContract, t => ParseYesNo(t, "support contract"));
        var checkedHours = Take(CustomerField.OpeningHours, openingHours, t => UserText.Note(t, "opening hours", 500));

        return errors.Count > 0
            ? Result.Fail<CustomerInput>(string.Join(" ", errors))
            : new CustomerInput(checkedNumber!, checkedCompany ?? "", checkedBranch, checkedCity, checkedState, checkedContact ?? "", checkedEmails ?? [],
                checkedPhone, checkedRustDesk, checkedLanguage, checkedContract, checkedHours)
            { Given = given };
    }

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

    private static Result<IReadOnlyList<string>> ParseEmails(string? emails)
    {
        var raw = (emails ?? "").Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (raw.Length == 0)
        {
            return Result.Fail<IReadOnlyList<string>>("email is required.");
        }

        var checkedEmails = new List<string>();
        foreach (var one in raw)
        {
            var email = UserText.Email(one, "email");
            if (!email.IsSuccess)
            {
                return Result.Fail<IReadOnlyList<string>>(email.Error!);
            }

            checkedEmails.Add(email.Value);
        }

        return checkedEmails;
    }

    private static Result<string?> CheckPhone(string? phone)
    {
        var text = UserText.Optional(phone, "phone", 40);
        if (!text.IsSuccess || text.Value is null)
        {
            return text;
        }

        return text.Value.All(c => char.IsAsciiDigit(c) || c is '+' or ' ' or '-' or '/' or '(' or ')')
            ? text
            : Result.Fail<string?>($"phone: '{text.Value}' may contain only digits, spaces, '+', '-', '/', '(' and ')'.");
    }

    private static Result<bool> ParseYesNo(string? text, string field) =>
        (text?.Trim().ToLowerInvariant()) switch
        {
            "ja" or "yes" or "j" or "y" or "1" or "true" or "x" => true,
            "nein" or "no" or "n" or "0" or "false" or "" or null => false,
            _ => Result.Fail<bool>($"{field}: '{text}' is not ja/nein (yes/no)."),
        };
}

/// <summary>Dapper access to customers (shops).</summary>
public static class CustomerSql
{
    private const string Columns = "id, number, company, branch, city, federal_state, contact_name, emails, phone, rustdesk_id, language, support_contract, opening_hours";

    public static async Task<IReadOnlyList<Customer>> ListCustomersAsync(this IDbConnection connection, IDbTransaction? transaction = null)
    {
        var rows = await connection.QueryAsync<CustomerRow>($"SELECT {Columns} FROM customers ORDER BY number", transaction: transaction).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToDomain())];
    }

    /// <summary>
    /// One page of shops in number order after <paramref name="after"/> (keyset paging on the unique index,
    /// so page 1,000 costs what page 1 does), optionally only those whose number, name, branch, city or
    /// contact contains <paramref name="search"/>; with the number of all shops that match.
    /// </summary>
    public static async Task<(IReadOnlyList<Customer> Page, long Total)> CustomerPageAsync(
        this IDbConnection connection, string? after, string? search, int limit, IDbTransaction? transaction = null)
    {
        // LIKE is case-blind for ASCII in SQLite; '%' and '_' typed by the user are meant literally.
        var pattern = string.IsNullOrEmpty(search)
            ? null
            : "%" + search.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";
        const string Matches = """
            (@pattern IS NULL OR number LIKE @pattern ESCAPE '\' OR company LIKE @pattern ESCAPE '\' OR branch LIKE @pattern ESCAPE '\'
                OR city LIKE @pattern ESCAPE '\' OR contact_name LIKE @pattern ESCAPE '\')
            """;
        var parameters = new { after = after ?? "", pattern, limit };
        var rows = await connection.QueryAsync<CustomerRow>(
            $"SELECT {Columns} FROM customers WHERE number > @after AND {Matches} ORDER BY number LIMIT @limit", parameters, transaction).ConfigureAwait(false);
        var total = await connection.ExecuteScalarAsync<long>($"SELECT count(*) FROM customers WHERE {Matches}", parameters, transaction).ConfigureAwait(false);
        return ([.. rows.Select(r => r.ToDomain())], total);
    }

    /// <summary>Finds a shop by its customer number (e.g. K10001, in any case) or database id.</summary>
    public static async Task<Result<Customer>> FindCustomerAsync(this IDbConnection connection, string reference, IDbTransaction? transaction = null)
    {
        var number = CustomerNumber.Parse(reference, "customer");
        if (!number.IsSuccess)
        {
            return Result.Fail<Customer>(number.Error!);
        }

        var row = await connection.FindRowAsync(number.Value, transaction).ConfigureAwait(false);
        if (row is null && long.TryParse(number.Value, out var id))
        {
            row = await connection.QuerySingleOrDefaultAsync<CustomerRow>($"SELECT {Columns} FROM customers WHERE id = @id", new { id }, transaction).ConfigureAwait(false);
        }

        return row is null
            ? Result.Fail<Customer>($"customer: no shop with number '{number.Value}' ('customer list' shows them).")
            : row.ToDomain();
    }

    /// <summary>The shop stored under <paramref name="number"/> (upper case); rows written before numbers were upper-cased are found too.</summary>
    private static async Task<CustomerRow?> FindRowAsync(this IDbConnection connection, string number, IDbTransaction? transaction)
    {
        // Exact first, on the unique index; only a miss pays for the case-blind scan that finds an older lower-case row.
        return await connection.QuerySingleOrDefaultAsync<CustomerRow>($"SELECT {Columns} FROM customers WHERE number = @number", new { number }, transaction).ConfigureAwait(false)
            ?? await connection.QueryFirstOrDefaultAsync<CustomerRow>(
                $"SELECT {Columns} FROM customers WHERE number = @number COLLATE NOCASE ORDER BY id LIMIT 1", new { number }, transaction).ConfigureAwait(false);
    }

    public static async Task<IReadOnlyDictionary<long, Customer>> CustomersByIdAsync(this IDbConnection connection, IEnumerable<long> ids, IDbTransaction? transaction = null)
    {
        var rows = await connection.QueryAsync<CustomerRow>($"SELECT {Columns} FROM customers WHERE id IN @ids", new { ids = ids.Distinct().ToArray() }, transaction).ConfigureAwait(false);
        return rows.Select(r => r.ToDomain()).ToDictionary(c => c.Id);
    }

    /// <summary>Shops stored before numbers were upper-cased, by the upper-case form (where no shop has that form already).</summary>
    public static async Task<IReadOnlyDictionary<string, string>> OlderNumbersAsync(this IDbConnection connection, IDbTransaction? transaction = null)
    {
        var numbers = await connection.QueryAsync<string>("""
            SELECT older.number FROM customers older
            WHERE older.number <> upper(older.number)
              AND NOT EXISTS (SELECT 1 FROM customers upper_case WHERE upper_case.number = upper(older.number))
            ORDER BY older.id
            """, transaction: transaction).ConfigureAwait(false);
        return numbers.DistinctBy(n => n.ToUpperInvariant()).ToDictionary(n => n.ToUpperInvariant(), StringComparer.Ordinal);
    }

    /// <summary>Inserts or updates by customer number, keeping the fields not given; returns whether the row was added, changed, or already so.</summary>
    public static async Task<UpsertOutcome> UpsertCustomerAsync(this IDbConnection connection, CustomerInput customer, Instant now, IDbTransaction? transaction = null)
    {
        var change = await connection.SaveCustomerAsync(customer, now, write: true, transaction).ConfigureAwait(false);
        return change.IsSuccess ? change.Value.Outcome : throw new InvalidOperationException(change.Error);
    }

    /// <summary>
    /// Merges <paramref name="customer"/> over the stored shop (fields not given keep their value) and
    /// writes it unless <paramref name="write"/> is false (a dry run); says field by field what changed.
    /// </summary>
    /// <remarks>
    /// For many shops in one transaction pass <paramref name="olderNumbers"/> from <see cref="OlderNumbersAsync"/>:
    /// a new shop then costs one index lookup instead of a case-blind scan of the table.
    /// </remarks>
    public static async Task<Result<CustomerChange>> SaveCustomerAsync(
        this IDbConnection connection, CustomerInput customer, Instant now, bool write, IDbTransaction? transaction = null, IReadOnlyDictionary<string, string>? olderNumbers = null)
    {
        ArgumentNullException.ThrowIfNull(customer);
        var row = olderNumbers is null
            ? await connection.FindRowAsync(customer.Number, transaction).ConfigureAwait(false)
            : await connection.QuerySingleOrDefaultAsync<CustomerRow>(
                $"SELECT {Columns} FROM customers WHERE number = @number", new { number = olderNumbers.GetValueOrDefault(customer.Number, customer.Number) }, transaction).ConfigureAwait(false);
        var stored = row?.ToDomain();
        var merged = customer.Over(stored);
        if (!merged.IsSuccess)
        {
            return Result.Fail<CustomerChange>(merged.Error!);
        }

        var full = merged.Value;
        var fields = stored is null ? [] : full.ChangesFrom(stored);
        // A row stored before numbers were upper-cased takes the one form now.
        var renamed = stored is not null && stored.Number != full.Number;
        var outcome = stored is null ? UpsertOutcome.Added : fields.Count > 0 || renamed ? UpsertOutcome.Updated : UpsertOutcome.Unchanged;
        if (renamed)
        {
            fields = [new FieldChange(CustomerField.Number, stored!.Number, full.Number), .. fields];
        }

        var change = new CustomerChange(full.Number, outcome, fields, full.RustDeskId is not null);
        if (!write || outcome == UpsertOutcome.Unchanged)
        {
            return change;
        }

        var values = new
        {
            Id = stored?.Id,
            full.Number,
            full.Company,
            full.Branch,
            full.City,
            State = full.State.ToString(),
            full.ContactName,
            Emails = string.Join(',', full.Emails),
            full.Phone,
            RustDeskId = full.RustDeskId?.Value,
            Language = full.Language.Code(),
            full.SupportContract,
            full.OpeningHours,
            now,
        };
        if (stored is null)
        {
            await connection.ExecuteAsync("""
                INSERT INTO customers (number, company, branch, city, federal_state, contact_name, emails, phone, rustdesk_id, language, support_contract, opening_hours, created_at, updated_at)
                VALUES (@Number, @Company, @Branch, @City, @State, @ContactName, @Emails, @Phone, @RustDeskId, @Language, @SupportContract, @OpeningHours, @now, @now)
                """, values, transaction).ConfigureAwait(false);
        }
        else
        {
            await connection.ExecuteAsync("""
                UPDATE customers SET number = @Number, company = @Company, branch = @Branch, city = @City, federal_state = @State, contact_name = @ContactName,
                    emails = @Emails, phone = @Phone, rustdesk_id = @RustDeskId, language = @Language, support_contract = @SupportContract,
                    opening_hours = @OpeningHours, updated_at = @now
                WHERE id = @Id
                """, values, transaction).ConfigureAwait(false);
        }

        return change;
    }

    private sealed class CustomerRow
    {
        public long Id { get; init; }

        public string Number { get; init; } = "";

        public string Company { get; init; } = "";

        public string? Branch { get; init; }

        public string? City { get; init; }

        public string FederalState { get; init; } = "";

        public string ContactName { get; init; } = "";

        public string Emails { get; init; } = "";

        public string? Phone { get; init; }

        public string? RustdeskId { get; init; }

        public string Language { get; init; } = "de";

        public bool SupportContract { get; init; }

        public string? OpeningHours { get; init; }

        public Customer ToDomain() => new(
            Id,
            Number,
            Company,
            Branch,
            City,
            Enum.Parse<FederalState>(FederalState),
            ContactName,
            Emails.Split(',', StringSplitOptions.RemoveEmptyEntries),
            Phone,
            RustDeskId.ParseOptional(RustdeskId, "rustdesk_id").Value,
            Languages.Parse(Language, "language").Value,
            SupportContract,
            OpeningHours);
    }
}

/// <summary>What an upsert did.</summary>
public enum UpsertOutcome
{
    Added,
    Updated,
    Unchanged,
}
