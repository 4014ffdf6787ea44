using JoeCash.Scheduler.Web;

namespace JoeCash.Scheduler.Tests.Web;

/// <summary>German and English say the same things: no key in one language only.</summary>
public sealed class WebTextTests
{
    [Fact]
    public void German_and_English_have_the_same_keys_and_no_empty_text()
    {
        var text = new WebText();
        Assert.Equal(text.Keys("de").Order(StringComparer.Ordinal), text.Keys("en").Order(StringComparer.Ordinal));
        foreach (var language in WebText.Languages)
        {
            Assert.All(text.Keys(language), key => Assert.False(string.IsNullOrWhiteSpace(text.Get(language, key)), $"{language}: {key} is empty"));
        }
    }
}
