namespace JoeCash.Scheduler.Domain;

/// <summary>A shop (one branch of a company) whose till the technicians maintain.</summary>
public sealed record Customer(
    long Id,
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
    /// <summary>"Company – Branch" as shown in tables and emails.</summary>
    public string DisplayName => Branch is null ? Company : $"{Company} – {Branch}";
}
