using JoeCash.Scheduler.Customers;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Outcomes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace JoeCash.Scheduler.Web.Pages.Dispatch;

/// <summary>
/// The shops: a page at a time with a search, one shop edited (as <c>customer add</c>: a field left as it was keeps
/// its value, an emptied one is cleared), and a CSV import that saves every row or none, with the same report.
/// </summary>
[Authorize(Policy = StaffAuthentication.DispatcherPolicy)]
public sealed class ShopsModel(CustomerService customers, OutcomeQueries outcomes) : DispatchPageModel
{
    /// <summary>New shops listed one by one in an import's report; the rest are counted. Every updated shop is listed, as the command line does.</summary>
    public const int AddedListed = 50;

    private const int PageSize = 25;

    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? After { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Edit { get; set; }

    public CustomerPage? Shops { get; private set; }

    /// <summary>The shop in the edit form: the stored one, or what was typed when it was refused.</summary>
    public ShopForm? Form { get; private set; }

    public string? Saved { get; private set; }

    public string? FormError { get; private set; }

    public IReadOnlyList<string> ImportErrors { get; private set; } = [];

    public CustomerSaveReport? Imported { get; private set; }

    /// <summary>The edited shop's latest sessions that took place (outcome done).</summary>
    public IReadOnlyList<OutcomeItem> Sessions { get; private set; } = [];

    public async Task OnGetAsync(string? saved)
    {
        Saved = saved;
        if (Edit is not null)
        {
            var shop = await customers.FindAsync(Edit, HttpContext.RequestAborted).ConfigureAwait(false);
            Form = shop.IsSuccess ? ShopForm.From(shop.Value) : new ShopForm { Number = Edit };
            Sessions = shop.IsSuccess ? await outcomes.DoneSessionsAsync(shop.Value.Id, 20, HttpContext.RequestAborted).ConfigureAwait(false) : [];
        }

        await LoadAsync().ConfigureAwait(false);
    }

    public async Task<IActionResult> OnPostSaveAsync(ShopForm form)
    {
        ArgumentNullException.ThrowIfNull(form);
        var labels = new CustomerLabels(T("shops.number"), T("shops.company"), T("shops.branch"), T("shops.city"), T("shops.state"), T("shops.contact"),
            T("shops.email"), T("shops.phone"), "RustDesk-ID", T("shops.language"), T("shops.contract"), T("shops.hours"));
        var input = CustomerInput.Create(form.Number ?? "", form.Company, form.Branch ?? "", form.City ?? "", form.State, form.Contact, form.Emails,
            form.Phone ?? "", form.RustDesk ?? "", form.Language, form.Contract ? "ja" : "nein", form.OpeningHours ?? "", labels);
        var saved = input.IsSuccess ? await customers.AddAsync(input.Value, dryRun: false, HttpContext.RequestAborted).ConfigureAwait(false) : Result.Fail<CustomerChange>(input.Error!);
        if (saved.IsSuccess)
        {
            return Redirect($"/dispatch/shops?q={Uri.EscapeDataString(saved.Value.Number)}&saved={Uri.EscapeDataString(saved.Value.Number)}");
        }

        Form = form;
        FormError = saved.Error;
        Edit = form.Number;
        await LoadAsync().ConfigureAwait(false);
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    public async Task<IActionResult> OnPostImportAsync(IFormFile? file, bool dryRun)
    {
        if (file is null || file.Length == 0)
        {
            ImportErrors = [T("shops.import.nofile")];
        }
        else
        {
            await using var stream = file.OpenReadStream();
            var (rows, errors) = CustomerCsv.Read(stream, Path.GetFileName(file.FileName));
            if (errors.Count > 0)
            {
                ImportErrors = errors;
            }
            else
            {
                var report = await customers.ImportAsync(rows, dryRun, HttpContext.RequestAborted).ConfigureAwait(false);
                Imported = report.IsSuccess ? report.Value : null;
                ImportErrors = report.IsSuccess ? [] : [report.Error!];
            }
        }

        await LoadAsync().ConfigureAwait(false);
        Response.StatusCode = ImportErrors.Count > 0 ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK;
        return Page();
    }

    /// <summary>The shops the import changes, each with its fields (all of them: a dispatcher checks every change).</summary>
    public static IReadOnlyList<CustomerChange> Updated(CustomerSaveReport report) =>
        [.. (report ?? throw new ArgumentNullException(nameof(report))).Changes.Where(c => c.Outcome == UpsertOutcome.Updated)];

    /// <summary>The shops the import adds.</summary>
    public static IReadOnlyList<CustomerChange> Added(CustomerSaveReport report) =>
        [.. (report ?? throw new ArgumentNullException(nameof(report))).Changes.Where(c => c.Outcome == UpsertOutcome.Added)];

    private async Task LoadAsync() =>
        Shops = await customers.ListAsync(After, string.IsNullOrWhiteSpace(Q) ? null : Q.Trim(), PageSize, HttpContext.RequestAborted).ConfigureAwait(false);

    /// <summary>The edit form's fields, as typed.</summary>
    public sealed class ShopForm
    {
        public string? Number { get; set; }

        public string? Company { get; set; }

        public string? Branch { get; set; }

        public string? City { get; set; }

        public string? State { get; set; }

        public string? Contact { get; set; }

        public string? Emails { get; set; }

        public string? Phone { get; set; }

        public string? RustDesk { get; set; }

        public string? Language { get; set; }

        public bool Contract { get; set; } = true;

        /// <summary>"Mo-Fr 08:00-18:00; Sa 08:00-13:00"; empty clears them.</summary>
        public string? OpeningHours { get; set; }

        public static ShopForm From(Customer shop)
        {
            ArgumentNullException.ThrowIfNull(shop);
            return new ShopForm
            {
                Number = shop.Number,
                Company = shop.Company,
                Branch = shop.Branch,
                City = shop.City,
                State = shop.State.ToString(),
                Contact = shop.ContactName,
                Emails = string.Join(", ", shop.Emails),
                Phone = shop.Phone,
                RustDesk = shop.RustDeskId?.Value,
                Language = shop.Language.Code(),
                Contract = shop.SupportContract,
                OpeningHours = shop.OpeningHours,
            };
        }
    }
}
