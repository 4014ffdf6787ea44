using System.ComponentModel;
using JoeCash.Scheduler.Customers;
using JoeCash.Scheduler.Domain;
using Spectre.Console;
using Spectre.Console.Cli;

namespace JoeCash.Scheduler.Cli;

/// <summary>Settings of <c>customer list</c>.</summary>
public sealed class CustomerListSettings : CommonSettings
{
    [CommandOption("--limit <N>")]
    [Description("How many shops to show, 1 to 10000 (default 100).")]
    public string? Limit { get; init; }

    [CommandOption("--after <NUMBER>")]
    [Description("Start after this customer number (the next page: the last number shown).")]
    public string? After { get; init; }

    [CommandOption("--search <TEXT>")]
    [Description("Only shops whose number, name, branch, city or contact contains the text (case-blind for A–Z).")]
    public string? Search { get; init; }
}

/// <summary><c>customer list</c>: one page of shops in number order.</summary>
public sealed class CustomerListCommand(CustomerService customers, Output output) : SchedulerCommand<CustomerListSettings>
{
    protected override async Task<int> RunAsync(CustomerListSettings settings, CancellationToken cancellationToken)
    {
        var limit = Require(WholeNumber.Parse(settings.Limit, "--limit", 1, 10_000, 100));
        var after = settings.After is null ? null : Require(CustomerNumber.Parse(settings.After, "--after"));
        var search = Require(UserText.Optional(settings.Search, "--search", 200));
        var (shops, total, hasMore) = await customers.ListAsync(after, search, limit, cancellationToken).ConfigureAwait(false);
        if (settings.Json)
        {
            output.Json(shops.Select(CustomerRecord.From));
            return ExitCodes.Ok;
        }

        var matching = search is null ? "shops" : $"shops matching '{search}'";
        if (shops.Count == 0)
        {
            output.Line(after is null ? $"0 of {total} {matching}." : $"0 of {total} {matching} after {after}.");
            return ExitCodes.Ok;
        }

        var table = new Table().AddColumns("Number", "Shop", "City", "Contact", "Phone", "RustDesk", "Lang", "Contract");
        foreach (var c in shops)
        {
            table.AddRow(Markup.Escape(c.Number), Markup.Escape(c.DisplayName), Markup.Escape(c.City ?? ""), Markup.Escape($"{c.ContactName} <{string.Join(", ", c.Emails)}>"),
                Markup.Escape(c.Phone ?? ""), c.RustDeskId is { } id ? Markup.Escape(id.Display) : "[red]missing[/]", c.Language.Code(), c.SupportContract ? "yes" : "[yellow]no[/]");
        }

        output.Table(table);
        var last = shops[^1].Number;
        var more = hasMore ? $" Next page: --after {last}" : "";
        output.Line($"{shops.Count} of {total} {matching} ({shops[0].Number}–{last}).{more}");
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

    [CommandOption("--opening-hours <HOURS>")]
    [Description("When the shop is open, in its own time, as the export writes it: \"Mo-Fr 08:00-18:00; Sa 08:00-13:00\". Its slots are ranked by them.")]
    public string? OpeningHours { get; init; }

    [CommandOption("--contract <ja|nein>")]
    [Description("Support contract; a new shop has one unless told otherwise.")]
    public string? Contract { get; init; }

    [CommandOption("--dry-run")]
    [Description("Show what would change without writing.")]
    public bool DryRun { get; init; }
}

/// <summary><c>customer add</c>: a new shop, or changes to an existing one (options not given keep the stored value; an empty value clears it).</summary>
public sealed class CustomerAddCommand(CustomerService customers, Output output) : SchedulerCommand<CustomerAddSettings>
{
    /// <summary>Refusals name the option to change.</summary>
    private static readonly CustomerLabels Options = new(
        "--number", "--company", "--branch", "--city", "--state", "--contact", "--email", "--phone", "--rustdesk", "--language", "--contract", "--opening-hours");

    protected override async Task<int> RunAsync(CustomerAddSettings s, CancellationToken cancellationToken)
    {
        var customer = Require(CustomerInput.Create(s.Number ?? "", s.Company, s.Branch, s.City, s.State, s.Contact, s.Email, s.Phone, s.RustDesk, s.Language, s.Contract, s.OpeningHours, Options));
        // Only used if the shop is new: a field not given keeps the stored value of an existing shop.
        customer = s.Contract is null ? customer with { SupportContract = true } : customer;
        var change = Require(await customers.AddAsync(customer, s.DryRun, cancellationToken).ConfigureAwait(false));
        if (s.Json)
        {
            output.Json(CustomerChangeReport.From(change, s.DryRun));
            return ExitCodes.Ok;
        }

        var what = change.Outcome switch
        {
            UpsertOutcome.Added => s.DryRun ? "Would add" : "Added",
            UpsertOutcome.Updated => s.DryRun ? "Would update" : "Updated",
            _ => "Unchanged",
        };
        output.Line(change.Outcome == UpsertOutcome.Updated
            ? $"{what} shop {change.Number}: {string.Join("; ", change.Fields)}."
            : $"{what} shop {change.Number}.");
        return ExitCodes.Ok;
    }
}

/// <summary>Settings of <c>customer import</c>.</summary>
public sealed class CustomerImportSettings : CommonSettings
{
    [CommandArgument(0, "<FILE>")]
    [Description("The CSV export (German Excel: ';' separated, UTF-8). A column the file lacks keeps the stored values; an empty cell clears one.")]
    public string File { get; init; } = "";

    [CommandOption("--dry-run")]
    [Description("Show what would change, shop by shop and field by field, without writing.")]
    public bool DryRun { get; init; }
}

/// <summary><c>customer import</c>: all rows or none.</summary>
public sealed class CustomerImportCommand(CustomerService service, Output output) : SchedulerCommand<CustomerImportSettings>
{
    private const int AddedListed = 20;

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

        var report = Require(await service.ImportAsync(customers, settings.DryRun, cancellationToken).ConfigureAwait(false));
        if (settings.Json)
        {
            output.Json(CustomerImportReport.From(report));
            return ExitCodes.Ok;
        }

        var counts = $"{report.Added} added, {report.Updated} updated, {report.Unchanged} unchanged";
        output.Line(report.DryRun
            ? $"Dry run, nothing written: importing {customers.Count} shops would give {counts}."
            : $"Imported {customers.Count} shops: {counts}.");
        foreach (var change in report.Changes.Where(c => c.Outcome == UpsertOutcome.Updated))
        {
            output.Line($"  {change}");
        }

        var added = report.Changes.Where(c => c.Outcome == UpsertOutcome.Added).Select(c => c.Number).ToArray();
        if (added.Length > 0)
        {
            var more = added.Length > AddedListed ? $" and {added.Length - AddedListed} more" : "";
            output.Line($"  {(report.DryRun ? "new" : "added")}: {string.Join(", ", added.Take(AddedListed))}{more}");
        }

        if (report.WithoutRustDeskId > 0)
        {
            output.Line($"{report.WithoutRustDeskId} shop(s) have no RustDesk ID on file; their invitations will ask for it.");
        }

        return ExitCodes.Ok;
    }
}
