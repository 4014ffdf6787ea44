using System.Text.Json.Serialization;
using JoeCash.Scheduler.Customers;
using JoeCash.Scheduler.Domain;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace JoeCash.Scheduler.Web.Api;

/// <summary>The shops (customers), for dispatchers: a page at a time, one, create or update one, import a CSV export all-or-nothing.</summary>
public static class ShopsEndpoints
{
    private const long MaxImport = 20 * 1024 * 1024;

    public static void MapShops(this RouteGroupBuilder api)
    {
        var shops = api.MapGroup("/shops").RequireAuthorization(StaffAuthentication.DispatcherPolicy);
        shops.MapGet("/", ListAsync)
            .WithSummary("One page of shops in number order; 'next' is the cursor for the next page (pass it as 'after'), null on the last page.")
            .Problems(StatusCodes.Status400BadRequest, StatusCodes.Status403Forbidden);
        shops.MapGet("/{number}", ShowAsync)
            .WithSummary("One shop by its customer number.")
            .Problems(StatusCodes.Status400BadRequest, StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound);
        shops.MapPut("/{number}", SaveAsync)
            .WithSummary("Creates the shop or updates it: fields left out keep their value, an empty text clears one. 201 when created.")
            .Produces<CustomerChangeReport>(StatusCodes.Status201Created)
            .Problems(StatusCodes.Status400BadRequest, StatusCodes.Status403Forbidden);
        shops.MapPost("/import", ImportAsync)
            .Accepts<string>("text/csv")
            .WithSummary("Imports the CSV export (';'-separated, UTF-8, as 'customer import'): every row or none. ?dryRun=true only reports.")
            .Problems(StatusCodes.Status400BadRequest, StatusCodes.Status403Forbidden, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType);
    }

    private static async Task<Ok<ShopPage>> ListAsync(string? after, string? search, string? limit, CustomerService customers, CancellationToken cancellationToken)
    {
        var most = ApiProblems.Require(WholeNumber.Parse(limit, "limit", 1, 10_000, 100));
        var from = after is null ? null : ApiProblems.Require(CustomerNumber.Parse(after, "after"));
        var text = ApiProblems.Require(UserText.Optional(search, "search", 200));
        var page = await customers.ListAsync(from, text, most, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new ShopPage(page.Total, page.HasMore ? page.Customers[^1].Number : null, [.. page.Customers.Select(CustomerRecord.From)]));
    }

    private static async Task<Results<Ok<CustomerRecord>, ProblemHttpResult>> ShowAsync(string number, CustomerService customers, CancellationToken cancellationToken)
    {
        var found = await customers.FindAsync(ApiProblems.Require(CustomerNumber.Parse(number, "number")), cancellationToken).ConfigureAwait(false);
        return found.IsSuccess ? TypedResults.Ok(CustomerRecord.From(found.Value)) : ApiProblems.NotFound(found.Error!);
    }

    private static async Task<Results<Ok<CustomerChangeReport>, Created<CustomerChangeReport>, ProblemHttpResult>> SaveAsync(
        string number, ShopBody body, string? dryRun, CustomerService customers, CancellationToken cancellationToken)
    {
        var onlyReport = ApiEndpoints.Flag(dryRun, "dryRun");
        var input = ApiProblems.Require(CustomerInput.Create(number, body.Company, body.Branch, body.City, body.State, body.Contact, body.Email, body.Phone, body.RustDeskId,
            body.Language, body.SupportContract is { } contract ? (contract ? "ja" : "nein") : null, body.OpeningHours));
        // A new shop has a support contract unless told otherwise; an existing one keeps what it has.
        input = body.SupportContract is null ? input with { SupportContract = true } : input;
        var change = await customers.AddAsync(input, onlyReport, cancellationToken).ConfigureAwait(false);
        if (!change.IsSuccess)
        {
            return ApiProblems.BadInput(change.Error!);
        }

        var report = CustomerChangeReport.From(change.Value, onlyReport);
        return change.Value.Outcome == UpsertOutcome.Added && !onlyReport
            ? TypedResults.Created($"{ApiEndpoints.Prefix}/shops/{Uri.EscapeDataString(change.Value.Number)}", report)
            : TypedResults.Ok(report);
    }

    private static async Task<Results<Ok<CustomerImportReport>, ProblemHttpResult>> ImportAsync(HttpRequest request, string? dryRun, CustomerService customers, CancellationToken cancellationToken)
    {
        var onlyReport = ApiEndpoints.Flag(dryRun, "dryRun");
        if (!(request.ContentType ?? "").StartsWith("text/csv", StringComparison.OrdinalIgnoreCase))
        {
            return ApiProblems.Problem(StatusCodes.Status415UnsupportedMediaType, "unsupported-media-type", "Send text/csv",
                "The import takes the CSV export as the body, with Content-Type: text/csv.");
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxImport)
            {
                return ApiProblems.Problem(StatusCodes.Status413PayloadTooLarge, "too-large", "Request too large", $"The CSV may have at most {MaxImport / 1024 / 1024} MB.");
            }

            buffer.Write(chunk, 0, read);
        }

        buffer.Position = 0;
        var (shops, errors) = CustomerCsv.Read(buffer, "upload.csv");
        if (errors.Count > 0)
        {
            return ApiProblems.Problem(StatusCodes.Status400BadRequest, "bad-input", "Bad input", $"nothing imported; {errors.Count} bad row(s).",
                new Dictionary<string, object?> { ["errors"] = errors });
        }

        var report = await customers.ImportAsync(shops, onlyReport, cancellationToken).ConfigureAwait(false);
        return report.IsSuccess ? TypedResults.Ok(CustomerImportReport.From(report.Value)) : ApiProblems.BadInput($"nothing imported: {report.Error}");
    }
}

/// <summary>A shop's fields for <c>PUT /api/v1/shops/{number}</c>: left out (null) keeps the stored value, "" clears it.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ShopBody(
    string? Company,
    string? Branch,
    string? City,
    string? State,
    string? Contact,
    string? Email,
    string? Phone,
    string? RustDeskId,
    string? Language,
    bool? SupportContract,
    string? OpeningHours);

/// <summary>One page of shops: how many match in all, the cursor of the next page (null on the last), the shops.</summary>
public sealed record ShopPage(long Total, string? Next, IReadOnlyList<CustomerRecord> Shops);
