using System.ComponentModel;
using JoeCash.Scheduler.Customers;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Storage;
using NodaTime;
using Spectre.Console;
using Spectre.Console.Cli;

namespace JoeCash.Scheduler.Cli;

/// <summary><c>customer list</c>.</summary>
public sealed class CustomerListCommand(Database database, Output output) : SchedulerCommand<CommonSettings>
{
    protected override async Task<int> RunAsync(CommonSettings settings, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var customers = await connection.ListCustomersAsync().ConfigureAwait(false);
        if (settings.Json)
        {
            output.Json(customers.Select(c => new
            {
                id = c.Id,
                number = c.Number,
                company = c.Company,
                branch = c.Branch,
                city = c.City,
                federalState = c.State.ToString(),
                contact = c.ContactName,
                emails = c.Emails,
                phone = c.Phone,
                rustDeskId = c.RustDeskId?.Value,
                language = c.Language.Code(),
                supportContract = c.SupportContract,
            }));
            return ExitCodes.Ok;
        }

        var table = new Table().AddColumns("Number", "Shop", "City", "Contact", "Phone", "RustDesk", "Lang", "Contract");
        foreach (var c in customers)
        {
            table.AddRow(Markup.Escape(c.Number), Markup.Escape(c.DisplayName), Markup.Escape(c.City ?? ""), Markup.Escape($"{c.ContactName} <{string.Join(", ", c.Emails)}>"),
                Markup.Escape(c.Phone ?? ""), c.RustDeskId is { } id ? Markup.Escape(id.Display) : "[red]missing[/]", c.Language.Code(), c.SupportContract ? "yes" : "[yellow]no[/]");
        }

        output.Table(table);
        return ExitCodes.Ok;
    }
}

/// <summary>Settings of <c>customer add</c>.</summary>
public sealed class CustomerAddSettings : CommonSettings
{
    [CommandOption("--number <NUMBER>")]
    [Description("Customer number (Kundennummer), e.g. K10001. An existing number is updated.")]
    public string? Number { get; init; }

    [CommandOption("--company <NAME>")]
    public string? Company { get; init; }

    [CommandOption("--branch <NAME>")]
    public string? Branch { get; init; }

    [CommandOption("--city <NAME>")]
    public string? City { get; init; }

    [CommandOption("--state <CODE>")]
    public string? State { get; init; }

    [CommandOption("--contact <NAME>")]
    public string? Contact { get; init; }

    [CommandOption("--email <ADDRESSES>")]
    [Description("One or more addresses, comma-separated.")]
    public string? Email { get; init; }

    [CommandOption("--phone <PHONE>")]
    public string? Phone { get; init; }

    [CommandOption("--rustdesk <ID>")]
    public string? RustDesk { get; init; }

    [CommandOption("--language <de|en>")]
    public string? Language { get; init; }

    [CommandOption("--contract <ja|nein>")]
    public string? Contract { get; init; }
}

/// <summary><c>customer add</c>.</summary>
public sealed class CustomerAddCommand(Database database, IClock clock, Output output) : SchedulerCommand<CustomerAddSettings>
{
    protected override async Task<int> RunAsync(CustomerAddSettings s, CancellationToken cancellationToken)
    {
        var customer = Require(CustomerInput.Create(s.Number, s.Company, s.Branch, s.City, s.State, s.Contact, s.Email, s.Phone, s.RustDesk, s.Language, s.Contract ?? "ja", null));
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = Database.BeginWrite(connection);
        var outcome = await connection.UpsertCustomerAsync(customer, clock.GetCurrentInstant(), transaction).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        if (s.Json)
        {
            output.Json(new { number = customer.Number, outcome = outcome.ToString().ToLowerInvariant() });
        }
        else
        {
            output.Line($"{outcome} shop {customer.Number}: {customer.Company}.");
        }

        return ExitCodes.Ok;
    }
}

/// <summary>Settings of <c>customer import</c>.</summary>
public sealed class CustomerImportSettings : CommonSettings
{
    [CommandArgument(0, "<FILE>")]
    [Description("The CSV export (German Excel: ';' separated, UTF-8).")]
    public string File { get; init; } = "";
}

/// <summary><c>customer import</c>: all rows or none.</summary>
public sealed class CustomerImportCommand(Database database, IClock clock, Output output) : SchedulerCommand<CustomerImportSettings>
{
    protected override async Task<int> RunAsync(CustomerImportSettings settings, CancellationToken cancellationToken)
    {
        if (!File.Exists(settings.File))
        {
            throw new InputException($"{settings.File}: no such file.");
        }

        IReadOnlyList<CustomerInput> customers;
        IReadOnlyList<string> errors;
        await using (var stream = File.OpenRead(settings.File))
        {
            (customers, errors) = CustomerCsv.Read(stream, Path.GetFileName(settings.File));
        }

        if (errors.Count > 0)
        {
            throw new InputException($"nothing imported; {errors.Count} bad row(s):{Environment.NewLine}{string.Join(Environment.NewLine, errors.Select(e => "  " + e))}");
        }

        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = Database.BeginWrite(connection);
        var now = clock.GetCurrentInstant();
        var counts = new Dictionary<UpsertOutcome, int>();
        foreach (var customer in customers)
        {
            var outcome = await connection.UpsertCustomerAsync(customer, now, transaction).ConfigureAwait(false);
            counts[outcome] = counts.GetValueOrDefault(outcome) + 1;
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        var added = counts.GetValueOrDefault(UpsertOutcome.Added);
        var updated = counts.GetValueOrDefault(UpsertOutcome.Updated);
        var unchanged = counts.GetValueOrDefault(UpsertOutcome.Unchanged);
        var withoutRustDesk = customers.Count(c => c.RustDeskId is null);
        if (settings.Json)
        {
            output.Json(new { rows = customers.Count, added, updated, unchanged, withoutRustDeskId = withoutRustDesk });
        }
        else
        {
            output.Line($"Imported {customers.Count} shops: {added} added, {updated} updated, {unchanged} unchanged.");
            if (withoutRustDesk > 0)
            {
                output.Line($"{withoutRustDesk} shop(s) have no RustDesk ID on file; their invitations will ask for it.");
            }
        }

        return ExitCodes.Ok;
    }
}
