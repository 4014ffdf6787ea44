using System.Data;
using Dapper;
using JoeCash.Scheduler.Domain;
using NodaTime;

namespace JoeCash.Scheduler.Customers;

/// <summary>A shop as entered or imported, before it has an id.</summary>
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
    /// <summary>Checks raw text field by field; every message names the field (and the caller adds where).</summary>
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
        T? Take<T>(Result<T> result)
        {
            if (!result.IsSuccess)
            {
                errors.Add(result.Error!);
                return default;
            }

            return result.Value;
        }

        var checkedNumber = Take(UserText.Required(number, "customer number", 32));
        var checkedCompany = Take(UserText.Required(company, "company", 200));
        var checkedBranch = Take(UserText.Optional(branch, "branch", 200));
        var checkedCity = Take(UserText.Optional(city, "city", 100));
        var checkedState = Take(FederalStates.Parse(state, "federal state"));
        var checkedContact = Take(UserText.Required(contactName, "contact", 200));
        var checkedEmails = new List<string>();
        var rawEmails = (emails ?? "").Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (rawEmails.Length == 0)
        {
            errors.Add("email is required.");
        }

        foreach (var raw in rawEmails)
        {
            var email = Take(UserText.Email(raw, "email"));
            if (email is not null)
            {
                checkedEmails.Add(email);
            }
        }

        var checkedPhone = Take(CheckPhone(phone));
        var checkedRustDesk = Take(Domain.RustDeskId.ParseOptional(rustDeskId, "RustDesk ID"));
        var checkedLanguage = Take(Languages.Parse(language, "language"));
        var checkedContract = Take(ParseYesNo(supportContract, "support contract"));
        var checkedHours = Take(UserText.Note(openingHours, "opening hours", 500));

        return errors.Count > 0
            ? Result.Fail<CustomerInput>(string.Join(" ", errors))
            : new CustomerInput(checkedNumber!, checkedCompany!, checkedBranch, checkedCity, checkedState, checkedContact!, checkedEmails,
                checkedPhone, checkedRustDesk, checkedLanguage, checkedContract, checkedHours);
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

    /// <summary>Finds a shop by its customer number (e.g. K10001) or database id.</summary>
    public static async Task<Result<Customer>> FindCustomerAsync(this IDbConnection connection, string reference, IDbTransaction? transaction = null)
    {
        var text = reference.Trim();
        // Two lookups, each on its own index: an OR across number and id makes SQLite scan the table.
        var row = await connection.QuerySingleOrDefaultAsync<CustomerRow>($"SELECT {Columns} FROM customers WHERE number = @text", new { text }, transaction).ConfigureAwait(false);
        if (row is null && long.TryParse(text, out var id))
        {
            row = await connection.QuerySingleOrDefaultAsync<CustomerRow>($"SELECT {Columns} FROM customers WHERE id = @id", new { id }, transaction).ConfigureAwait(false);
        }

        return row is null
            ? Result.Fail<Customer>($"customer: no shop with number '{reference}' ('customer list' shows them).")
            : row.ToDomain();
    }

    public static async Task<IReadOnlyDictionary<long, Customer>> CustomersByIdAsync(this IDbConnection connection, IEnumerable<long> ids, IDbTransaction? transaction = null)
    {
        var rows = await connection.QueryAsync<CustomerRow>($"SELECT {Columns} FROM customers WHERE id IN @ids", new { ids = ids.Distinct().ToArray() }, transaction).ConfigureAwait(false);
        return rows.Select(r => r.ToDomain()).ToDictionary(c => c.Id);
    }

    /// <summary>Inserts or updates by customer number; returns whether the row was added, changed, or already so.</summary>
    public static async Task<UpsertOutcome> UpsertCustomerAsync(this IDbConnection connection, CustomerInput customer, Instant now, IDbTransaction? transaction = null)
    {
        ArgumentNullException.ThrowIfNull(customer);
        var values = new
        {
            customer.Number,
            customer.Company,
            customer.Branch,
            customer.City,
            State = customer.State.ToString(),
            customer.ContactName,
            Emails = string.Join(',', customer.Emails),
            customer.Phone,
            RustDeskId = customer.RustDeskId?.Value,
            Language = customer.Language.Code(),
            customer.SupportContract,
            customer.OpeningHours,
            now,
        };
        var existing = await connection.QuerySingleOrDefaultAsync<long?>("SELECT id FROM customers WHERE number = @Number", values, transaction).ConfigureAwait(false);
        if (existing is null)
        {
            await connection.ExecuteAsync($"""
                INSERT INTO customers (number, company, branch, city, federal_state, contact_name, emails, phone, rustdesk_id, language, support_contract, opening_hours, created_at, updated_at)
                VALUES (@Number, @Company, @Branch, @City, @State, @ContactName, @Emails, @Phone, @RustDeskId, @Language, @SupportContract, @OpeningHours, @now, @now)
                """, values, transaction).ConfigureAwait(false);
            return UpsertOutcome.Added;
        }

        var changed = await connection.ExecuteAsync("""
            UPDATE customers SET company = @Company, branch = @Branch, city = @City, federal_state = @State, contact_name = @ContactName,
                emails = @Emails, phone = @Phone, rustdesk_id = @RustDeskId, language = @Language, support_contract = @SupportContract,
                opening_hours = @OpeningHours, updated_at = @now
            WHERE number = @Number
              AND NOT (company IS @Company AND branch IS @Branch AND city IS @City AND federal_state IS @State
                       AND contact_name IS @ContactName AND emails IS @Emails AND phone IS @Phone AND rustdesk_id IS @RustDeskId
                       AND language IS @Language AND support_contract IS @SupportContract AND opening_hours IS @OpeningHours)
            """, values, transaction).ConfigureAwait(false);
        return changed > 0 ? UpsertOutcome.Updated : UpsertOutcome.Unchanged;
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
