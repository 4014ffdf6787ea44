namespace JoeCash.Scheduler.Domain;

/// <summary>Why a shop pays for an appointment, or that it does not.</summary>
public enum BillingReason
{
    /// <summary>Covered by the shop's support contract.</summary>
    Covered,

    /// <summary>The type is an extra outside the support contract (training, connecting third-party hardware).</summary>
    BillableType,

    /// <summary>The shop has no support contract: no work is covered, whatever the type.</summary>
    NoSupportContract,
}

/// <summary>The notice shown to a shop without a support contract, in both languages (from configuration).</summary>
public sealed record NoContractNotice(string De, string En)
{
    public string In(Language language) => language == Language.En ? En : De;
}

/// <summary>
/// The one rule for who pays: the support contract covers the non-billable types; a billable type is
/// charged to every shop; a shop without a support contract is charged for every type. Booking asks it
/// for the acknowledgment, the invitation, reminder and agenda ask it for the notice.
/// </summary>
public static class Billing
{
    public static BillingReason Reason(AppointmentType type, Customer customer)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(customer);
        return !customer.SupportContract ? BillingReason.NoSupportContract
            : type.Billable ? BillingReason.BillableType
            : BillingReason.Covered;
    }

    public static bool IsBillable(AppointmentType type, Customer customer) => Reason(type, customer) != BillingReason.Covered;

    /// <summary>
    /// The cost notice the shop must read and acknowledge, or null when the work is covered: the
    /// type's own notice, and for a shop without a contract the no-contract notice (after the type's, if both apply).
    /// </summary>
    public static string? CostNotice(AppointmentType type, Customer customer, Language language, NoContractNotice noContract)
    {
        ArgumentNullException.ThrowIfNull(noContract);
        var typeNotice = type.Billable ? type.CostNotice(language) : null;
        return Reason(type, customer) switch
        {
            BillingReason.Covered => null,
            BillingReason.BillableType => typeNotice,
            _ => typeNotice is null ? noContract.In(language) : $"{typeNotice} {noContract.In(language)}",
        };
    }
}
