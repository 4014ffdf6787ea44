using JoeCash.Scheduler.Storage;
using System.Data;
using Dapper;
using JoeCash.Scheduler.Domain;
using NodaTime;

namespace JoeCash.Scheduler.Customers;

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
        // Case-blind on both providers (the database's lower() on both sides); '%' and '_' typed by the user are meant literally.
        var pattern = string.IsNullOrEmpty(search)
            ? null
            : "%" + search.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";
        const string Matches = """
            (@pattern IS NULL OR lower(number) LIKE lower(@pattern) ESCAPE '\' OR lower(company) LIKE lower(@pattern) ESCAPE '\' OR lower(branch) LIKE lower(@pattern) ESCAPE '\'
                OR lower(city) LIKE lower(@pattern) ESCAPE '\' OR lower(contact_name) LIKE lower(@pattern) ESCAPE '\')
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
                $"SELECT {Columns} FROM customers WHERE lower(number) = lower(@number) ORDER BY id LIMIT 1", new { number }, transaction).ConfigureAwait(false);
    }

    public static async Task<IReadOnlyDictionary<long, Customer>> CustomersByIdAsync(this IDbConnection connection, IEnumerable<long> ids, IDbTransaction? transaction = null)
    {
        var rows = await connection.QueryAsync<CustomerRow>($"SELECT {Columns} FROM customers WHERE id {connection.In("ids")}", new { ids = connection.List(ids.Distinct()) }, transaction).ConfigureAwait(false);
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

    /// <summary>The shop's RustDesk ID on file, which every later appointment and the technician's day use.</summary>
    public static Task<int> SetCustomerRustDeskIdAsync(this IDbConnection connection, long customerId, string rustDeskId, Instant now, IDbTransaction transaction) =>
        connection.ExecuteAsync("UPDATE customers SET rustdesk_id = @rustDeskId, updated_at = @now WHERE id = @customerId", new { customerId, rustDeskId, now }, transaction);
}
