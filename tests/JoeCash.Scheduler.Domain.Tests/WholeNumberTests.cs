namespace JoeCash.Scheduler.Domain.Tests;

public sealed class WholeNumberTests
{
    public static TheoryData<string?, int?> Cases => new()
    {
        { null, 14 },            // not typed: the default
        { "1", 1 },
        { " 92 ", 92 },
        { "0", null },
        { "93", null },
        { "-5", null },
        { "100000", null },
        { "99999999999999999999999", null },
        { "1e3", null },
        { "3.5", null },
        { "", null },
        { "vierzehn", null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Parse_Text_NumberWithinBoundsOrANamedRefusal(string? text, int? expected)
    {
        var result = WholeNumber.Parse(text, "--days", 1, 92, 14);

        if (expected is { } value)
        {
            Assert.Equal(value, result.Value);
        }
        else
        {
            Assert.Equal($"--days: '{text}' must be a whole number from 1 to 92.", result.Error);
        }
    }
}
