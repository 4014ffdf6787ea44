using static JoeCash.Scheduler.Domain.Tests.TestData;

namespace JoeCash.Scheduler.Domain.Tests;

public sealed class BillingTests
{
    private static readonly NoContractNotice NoContract = new("Kein Supportvertrag: wird berechnet.", "No support contract: billed.");

    [Theory]
    [InlineData(false, true, BillingReason.Covered, null)]
    [InlineData(true, true, BillingReason.BillableType, "kostet extra")]
    [InlineData(false, false, BillingReason.NoSupportContract, "Kein Supportvertrag: wird berechnet.")]
    [InlineData(true, false, BillingReason.NoSupportContract, "kostet extra Kein Supportvertrag: wird berechnet.")]
    public void Reason_TypeAndContract_OneDecision(bool billableType, bool contract, BillingReason expected, string? notice)
    {
        var type = Type("t", 60, billable: billableType);
        var customer = Shop(contract);

        Assert.Equal(expected, Billing.Reason(type, customer));
        Assert.Equal(expected != BillingReason.Covered, Billing.IsBillable(type, customer));
        Assert.Equal(notice, Billing.CostNotice(type, customer, Language.De, NoContract));
    }

    [Fact]
    public void CostNotice_English_EnglishTexts() =>
        Assert.Equal("costs extra No support contract: billed.", Billing.CostNotice(Type("t", 60, billable: true), Shop(contract: false), Language.En, NoContract));

    private static Customer Shop(bool contract) =>
        new(1, "K1", "Shop", null, null, FederalState.BY, "Contact", ["a@shop.test"], null, null, Language.De, contract, null);
}
