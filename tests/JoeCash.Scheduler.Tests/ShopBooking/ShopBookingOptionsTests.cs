using JoeCash.Scheduler.Configuration;
using JoeCash.Scheduler.ShopBooking;
using Microsoft.Extensions.Configuration;

namespace JoeCash.Scheduler.Tests.ShopBooking;

/// <summary>The "ShopBooking" section is checked at start: each topic books a known type or refuses in both languages, and the shipped one passes.</summary>
public sealed class ShopBookingOptionsTests
{
    private static readonly IConfiguration Shipped = new ConfigurationBuilder()
        .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "config", "appsettings.json"), optional: false)
        .Build();

    private static readonly ShopBookingOptionsValidator Validator = new(AppointmentTypeCatalog.FromConfiguration(Shipped));

    [Fact]
    public void Validate_ShippedSection_PassesAndRefusesWhatThePolicySays()
    {
        var options = Shipped.GetSection(ShopBookingOptions.Section).Get<ShopBookingOptions>()!;
        Assert.True(Validator.Validate(null, options).Succeeded);
        var topics = options.Topics.Select(t => t.ToTopic()).ToList();
        Assert.Equal(["fault", "pricelist", "training", "third-party-hardware"], topics.Where(t => t.Type is not null).Select(t => t.Type!));
        Assert.Equal(4, topics.Count(t => t.Refusal is not null));
        Assert.All(topics.Where(t => t.Refusal is not null), t => Assert.False(string.IsNullOrWhiteSpace(t.Refusal!.InsteadEn)));
    }

    public static TheoryData<ShopTopicOptions, string> BadTopics => new()
    {
        { new ShopTopicOptions { Key = "x", LabelDe = "X", LabelEn = "X", Type = "haircut" }, "Topics:0:Type: 'haircut' is not a configured appointment type" },
        { new ShopTopicOptions { Key = "x", LabelDe = "X", LabelEn = "X", Type = "fault", RefusalDe = "Nein" }, "either books a Type or refuses" },
        { new ShopTopicOptions { Key = "x", LabelDe = "X", LabelEn = "X", RefusalDe = "Nein", RefusalEn = "No", InsteadDe = "Dort" }, "needs RefusalDe, RefusalEn, InsteadDe and InsteadEn" },
        { new ShopTopicOptions { Key = "X Y", LabelDe = "X", LabelEn = "X", Type = "fault" }, "Topics:0:Key: 'X Y'" },
        { new ShopTopicOptions { Key = "x", LabelDe = "X", Type = "fault" }, "LabelDe and LabelEn are both needed" },
    };

    [Theory]
    [MemberData(nameof(BadTopics))]
    public void Validate_BadTopic_NamesTheKey(ShopTopicOptions topic, string expected)
    {
        var result = Validator.Validate(null, new ShopBookingOptions { Topics = [topic] });
        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_NoTopicsOrAZeroLimit_Fails()
    {
        var result = Validator.Validate(null, new ShopBookingOptions { MaxOpenBookings = 0 });
        Assert.Contains(result.Failures!, f => f.StartsWith("ShopBooking:Topics: no topics", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.StartsWith("ShopBooking:MaxOpenBookings: 0", StringComparison.Ordinal));
    }
}
