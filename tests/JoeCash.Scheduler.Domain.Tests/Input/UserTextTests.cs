namespace JoeCash.Scheduler.Domain.Tests.Input;

public sealed class UserTextTests
{
    /// <summary>Characters that other tools read as a line break, or that change how text is shown.</summary>
    public static TheoryData<char> Forbidden => new()
    {
        '\0', '\t', '\n', '\r', '\u001B', '\u007F',
        '\u0085', // NEL: a line break to many tools
        '\u0080', '\u009F', // C1 controls
        '\u2028', '\u2029', // line and paragraph separators
        '\u200B', '\u200E', '\u202E', '\u2066', '\uFEFF', '\u00AD', // zero width, bidi, BOM, soft hyphen
        '\uD800', // a lone surrogate
    };

    [Theory]
    [MemberData(nameof(Forbidden))]
    public void Required_ForbiddenCharacter_IsRefusedWithItsCodePoint(char c)
    {
        var result = UserText.Required($"Bäckerei{c}Müller", "company (line 4)", 100);

        Assert.False(result.IsSuccess);
        Assert.Contains($"U+{(int)c:X4}", result.Error, StringComparison.Ordinal);
        Assert.Contains("position 9", result.Error, StringComparison.Ordinal);
        Assert.StartsWith("company (line 4)", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Forbidden))]
    public void Note_ForbiddenCharacterOtherThanLineFeed_IsRefused(char c)
    {
        var result = UserText.Note($"Kasse{c}startet nicht", "notes", 100);

        Assert.Equal(c == '\n', result.IsSuccess); // a line feed is a line break a note may hold; a lone CR is not
    }

    [Theory]
    [InlineData("Bäckerei Müller – Filiale Süd")]
    [InlineData("Café „Zum Löwen“ & Söhne")]
    [InlineData("Pizzeria 🍕 Da Enzo")] // a surrogate pair is one character, not a lone surrogate
    [InlineData("Ωμέγα Ταβέρνα")]
    public void Required_OrdinaryText_IsKept(string text)
    {
        Assert.Equal(text, UserText.Required(text, "company", 100).Value);
    }

    [Fact]
    public void Required_OverLong_SaysTheLimit()
    {
        var result = UserText.Required(new string('x', 101), "company", 100);

        Assert.Contains("at most 100", result.Error, StringComparison.Ordinal);
    }
}
