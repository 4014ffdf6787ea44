namespace JoeCash.Scheduler.Domain.Tests.Input;

public sealed class EmailAddressTests
{
    public static TheoryData<string, string> Accepted => new()
    {
        { "kasse@baeckerei-mueller.de", "kasse@baeckerei-mueller.de" },
        { "  Kasse@Shop.TEST ", "Kasse@shop.test" },                    // trimmed; the domain in lower case
        { "o'brien@pub.test", "o'brien@pub.test" },
        { "first.last+kasse@shop.test", "first.last+kasse@shop.test" },
        { "a!$'*+-_~z@shop.test", "a!$'*+-_~z@shop.test" },               // every symbol the rule allows
        { "x@sub.domain.shop.test", "x@sub.domain.shop.test" },
        { "x@1-2-3.shop.test", "x@1-2-3.shop.test" },
        { "info@bäckerei-müller.de", "info@xn--bckerei-mller-bfb28a.de" }, // a Unicode domain, kept as ASCII
        { "x@xn--mnchen-3ya.de", "x@xn--mnchen-3ya.de" },
    };

    [Theory]
    [MemberData(nameof(Accepted))]
    public void Parse_ValidAddress_ReturnsStoredForm(string input, string expected)
    {
        var result = EmailAddress.Parse(input, "email");

        Assert.True(result.IsSuccess, result.Error);
        Assert.Equal(expected, result.Value);
    }

    /// <summary>Refused, and the message names the field, the address and what is wrong with it.</summary>
    public static TheoryData<string, string> Refused => new()
    {
        { "eva@[127.0.0.1]", "IP address" },
        { "eva@127.0.0.1", "IP address" },
        { "a%evil@shop.test", "'%' at position 2" },
        { "#!$%&'*+-/=?^_`{}|~@shop.test", "'#' at position 1" },
        { "a&b@shop.test", "'&' at position 2" },
        { "a/b@shop.test", "'/' at position 2" },
        { "a=b@shop.test", "'=' at position 2" },
        { "a?b@shop.test", "'?' at position 2" },
        { "a{b}@shop.test", "'{' at position 2" },
        { "a|b@shop.test", "'|' at position 2" },
        { "\"quoted\"@shop.test", "'\"' at position 1" },
        { "a b@shop.test", "U+0020 at position 2" },
        { "jürgen@shop.test", "U+00FC at position 2" },
        { "a\u0085b@shop.test", "U+0085" },
        { "a\u202Eb@shop.test", "U+202E" },
        { "x@-x.test", "'-x'" },
        { "x@shop_test.test", "'shop_test'" },
        { "x@x-.test", "'x-'" },
        { "x@shop..test", "empty part between dots" },
        { "x@shop.test.", "empty part between dots" },
        { "x@.shop.test", "empty part between dots" },
        { "x@localhost", "no dot" },
        { "x@shop.123", "not a top-level domain" },
        { ".x@shop.test", "dot at the start" },
        { "x.@shop.test", "dot at the start, at the end or twice" },
        { "x..y@shop.test", "twice in a row" },
        { "@shop.test", "not an email address" },
        { "x@", "not an email address" },
        { "x", "not an email address" },
        { "", "is required" },
        { "a@b@shop.test", "contains more than one @" },
        { "x@shop.test\r\nBcc: all@evil.test", "U+000D at position 12" },
        { "a@b.test\nBcc: c@d.test", "U+000A at position 9" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Parse_InvalidAddress_SaysWhatIsWrong(string input, string expected)
    {
        var result = EmailAddress.Parse(input, "E-Mail (line 7)");

        Assert.False(result.IsSuccess, $"'{input}' was accepted as '{(result.IsSuccess ? result.Value : "")}'");
        Assert.StartsWith("E-Mail (line 7)", result.Error, StringComparison.Ordinal);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("\r", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_OverlongLocalPart_IsRefused()
    {
        var result = EmailAddress.Parse(new string('a', 65) + "@shop.test", "email");

        Assert.Contains("at most 64", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_OverlongAddress_IsRefused()
    {
        var label = new string('d', 60);
        var result = EmailAddress.Parse($"x@{label}.{label}.{label}.{label}.{label}.test", "email");

        Assert.Contains("at most 254", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void UserTextEmail_StoresLowerCase()
    {
        Assert.Equal("kasse@shop.test", UserText.Email("Kasse@Shop.Test", "email").Value);
    }
}
