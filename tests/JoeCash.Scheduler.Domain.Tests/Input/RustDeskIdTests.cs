namespace JoeCash.Scheduler.Domain.Tests.Input;

public sealed class RustDeskIdTests
{
    public static TheoryData<string, string, string> Valid => new()
    {
        // typed, stored, shown
        { "732901938", "732901938", "732 901 938" },
        { "732 901 938", "732901938", "732 901 938" },
        { "  1234567890 ", "1234567890", "1 234 567 890" },
        { "1 234 567 890", "1234567890", "1 234 567 890" },
        { "Kasse_Stgt16", "Kasse_Stgt16", "Kasse_Stgt16" },
        { "kasse-1", "kasse-1", "kasse-1" },
        { "Abcdef", "Abcdef", "Abcdef" },
        { "A234567890123456", "A234567890123456", "A234567890123456" },
    };

    [Theory]
    [MemberData(nameof(Valid))]
    public void Parse_ValidId_StoresWithoutSpacesAndShowsAsRustDeskDoes(string typed, string stored, string shown)
    {
        var id = RustDeskId.Parse(typed, "RustDesk-ID").Value;

        Assert.Equal(stored, id.Value);
        Assert.Equal(shown, id.Display);
        Assert.Equal(id, RustDeskId.FromStored(id.Value));
    }

    public static TheoryData<string, string> Invalid => new()
    {
        { "12345678", "8 digits" },
        { "12345678901", "11 digits" },
        { "1234 5678", "8 digits" },
        { "Kasse_Stuttgart16", "'Kasse_Stuttgart16'" }, // 17 characters: the shared export's line 17
        { "Kasse", "'Kasse'" },                         // 5 characters
        { "1Kasse", "'1Kasse'" },                       // custom IDs start with a letter
        { "Kasse 12", "'Kasse 12'" },
        { "Kasse.12", "'Kasse.12'" },
        { "Kässe12", "'Kässe12'" },
        { "Kasse\n12", "RustDesk-ID" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Parse_InvalidId_SaysWhatIsWrong(string typed, string expected)
    {
        var result = RustDeskId.Parse(typed, "RustDesk-ID (line 17)");

        Assert.False(result.IsSuccess);
        Assert.StartsWith("RustDesk-ID (line 17)", result.Error, StringComparison.Ordinal);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void ParseOptional_Empty_MeansNotOnFile(string? typed)
    {
        var result = RustDeskId.ParseOptional(typed, "RustDesk-ID");

        Assert.True(result.IsSuccess);
        Assert.Null(result.Value);
    }
}
