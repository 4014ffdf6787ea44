using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Domain.Availability;

namespace JoeCash.Scheduler.Customers;

/// <summary>
/// A shop as entered or imported, before it has an id. <see cref="Given"/> says which fields the user
/// gave: a field not given keeps what is stored (a new shop gets the default), a field given empty
/// clears it. That is what keeps an import with fewer columns from wiping a shop's data.
/// </summary>
public sealed partial record CustomerInput(
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
        string? openingHours,
        CustomerLabels? labels = null)
    {
        var l = labels ?? CustomerLabels.Plain;
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

        var checkedNumber = Take(null, number, t => CustomerNumber.Parse(t, l.Number));
        var checkedCompany = Take(CustomerField.Company, company, t => UserText.Required(t, l.Company, 200));
        var checkedBranch = Take(CustomerField.Branch, branch, t => UserText.Optional(t, l.Branch, 200));
        var checkedCity = Take(CustomerField.City, city, t => UserText.Optional(t, l.City, 100));
        var checkedState = Take(CustomerField.FederalState, state, t => FederalStates.Parse(t, l.State));
        var checkedContact = Take(CustomerField.ContactName, contactName, t => UserText.Required(t, l.Contact, 200));
        var checkedEmails = Take(CustomerField.Emails, emails, t => ParseEmails(t, l.Email));
        var checkedPhone = Take(CustomerField.Phone, phone, t => CheckPhone(t, l.Phone));
        var checkedRustDesk = Take(CustomerField.RustDeskId, rustDeskId, t => Domain.RustDeskId.ParseOptional(t, l.RustDesk));
        var checkedLanguage = Take(CustomerField.Language, language, t => Languages.Parse(t, l.Language));
        var checkedContract = Take(CustomerField.SupportContract, supportContract, t => ParseYesNo(t, l.Contract));
        var checkedHours = Take(CustomerField.OpeningHours, openingHours, t => CheckOpeningHours(t, l.OpeningHours));

        return errors.Count > 0
            ? Result.Fail<CustomerInput>(string.Join(" ", errors))
            : new CustomerInput(checkedNumber!, checkedCompany ?? "", checkedBranch, checkedCity, checkedState, checkedContact ?? "", checkedEmails ?? [],
                checkedPhone, checkedRustDesk, checkedLanguage, checkedContract, checkedHours)
            { Given = given };
    }

    /// <summary>
    /// Opening hours as the shops' export writes them ("Mo-Fr 08:00-18:00; Sa 08:00-13:00"): kept as written, but only
    /// when they can be read, since the shop's slots are ranked by them. Empty means not on file.
    /// </summary>
    private static Result<string?> CheckOpeningHours(string? text, string field)
    {
        var note = UserText.Note(text, field, 500);
        if (!note.IsSuccess || note.Value is null)
        {
            return note;
        }

        var hours = ShopHours.Parse(note.Value, field);
        return hours.IsSuccess ? note : Result.Fail<string?>(hours.Error!);
    }

    private static Result<IReadOnlyList<string>> ParseEmails(string? emails, string field)
    {
        var raw = (emails ?? "").Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (raw.Length == 0)
        {
            return Result.Fail<IReadOnlyList<string>>($"{field} is required.");
        }

        var checkedEmails = new List<string>();
        foreach (var one in raw)
        {
            var email = UserText.Email(one, field);
            if (!email.IsSuccess)
            {
                return Result.Fail<IReadOnlyList<string>>(email.Error!);
            }

            checkedEmails.Add(email.Value);
        }

        return checkedEmails;
    }

    private static Result<string?> CheckPhone(string? phone, string field)
    {
        var text = UserText.Optional(phone, field, 40);
        if (!text.IsSuccess || text.Value is null)
        {
            return text;
        }

        return text.Value.All(c => char.IsAsciiDigit(c) || c is '+' or ' ' or '-' or '/' or '(' or ')')
            ? text
            : Result.Fail<string?>($"{field}: '{text.Value}' may contain only digits, spaces, '+', '-', '/', '(' and ')'.");
    }

    private static Result<bool> ParseYesNo(string? text, string field) =>
        (text?.Trim().ToLowerInvariant()) switch
        {
            "ja" or "yes" or "j" or "y" or "1" or "true" or "x" => true,
            "nein" or "no" or "n" or "0" or "false" or "" or null => false,
            _ => Result.Fail<bool>($"{field}: '{text}' is not ja/nein (yes/no)."),
        };
}

/// <summary>
/// The words a face uses for each field of a shop in its refusals: plain words by default (the CSV import
/// adds the column and row); a command line passes its option names so that its user reads what to change.
/// </summary>
public sealed record CustomerLabels(
    string Number = "customer number",
    string Company = "company",
    string Branch = "branch",
    string City = "city",
    string State = "federal state",
    string Contact = "contact",
    string Email = "email",
    string Phone = "phone",
    string RustDesk = "RustDesk ID",
    string Language = "language",
    string Contract = "support contract",
    string OpeningHours = "opening hours")
{
    public static CustomerLabels Plain { get; } = new();
}
