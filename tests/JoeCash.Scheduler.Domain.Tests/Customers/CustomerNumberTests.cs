namespace JoeCash.Scheduler.Domain.Tests.Customers;

public sealed class CustomerNumberTests
{
    public static TheoryData<string, string> Valid => new()
    {
        { "K10001", "K10001" },
        { "k10001", "K10001" },       // one identity regardless of case
        { "  k10001 ", "K10001" },    // surrounding blanks are not part of it
        { "10001", "10001" },
        { "k-1.a_b", "K-1.A_B" },
        { "A", "A" },
        { new string('k', 32), new string('K', 32) },
    };

    [Theory]
    [MemberData(nameof(Valid))]
    public void Parse_ValidNumber_ReturnsTheUpperCaseForm(string text, string expected)
    {
        var result = CustomerNumber.Parse(text, "--number");

        Assert.True(result.IsSuccess, result.Error);
        Assert.Equal(expected, result.Value);
    }

    public static TheoryData<string?, string> Invalid => new()
    {
        { null, "--number is required." },
        { "", "--number is required." },
        { "   ", "--number is required." },
        { "=HYPERLINK(\"http://evil.test\")", "--number: '=HYPERLINK(\"http://evil.test\")' is not a customer number: '=' at position 1." },
        { "+1", "'+' at position 1." },
        { "-1", "'-' at position 1." },
        { "@x", "'@' at position 1." },
        { ".hidden", "'.' at position 1." },
        { "../../etc/passwd", "'.' at position 1." },
        { "K1/../x", "'/' at position 3." },
        { "K 10001", "a space at position 2." },
        { "K1\u00010", "--number: 'K1?0' is not a customer number: U+0001 at position 3." },
        { "K1\n2", "U+000A at position 3." },
        { "Käse1", "'ä' at position 2." },
        { "kı1", "'ı' at position 2." },       // dotless i would upper-case to a plain I
        { "K1;DROP", "';' at position 3." },
        { new string('K', 33), "is 33 characters long; a customer number has at most 32." },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Parse_InvalidNumber_SaysWhatAndWhere(string? text, string expected)
    {
        var result = CustomerNumber.Parse(text, "--number");

        Assert.False(result.IsSuccess);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', result.Error!);
    }

    [Fact]
    public void Parse_VeryLongInput_QuotesOnlyTheStart()
    {
        var result = CustomerNumber.Parse(new string('x', 5000), "customer");

        Assert.False(result.IsSuccess);
        Assert.True(result.Error!.Length < 200, result.Error);
    }
}
