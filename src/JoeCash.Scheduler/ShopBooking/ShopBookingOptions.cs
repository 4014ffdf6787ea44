using JoeCash.Scheduler.Configuration;
using JoeCash.Scheduler.Domain;
using Microsoft.Extensions.Options;

namespace JoeCash.Scheduler.ShopBooking;

/// <summary>The "ShopBooking" section: shops booking their own appointment at <c>/buchen</c>.</summary>
public sealed class ShopBookingOptions
{
    public const string Section = "ShopBooking";

    /// <summary>The booking page's path under <c>Web:PublicBaseUrl</c>; every email a shop gets names it in its footer.</summary>
    public const string PagePath = PublicAddressOptions.BookingPagePath;

    /// <summary>How long a sign-in link works after it was asked for (it works once).</summary>
    public TimeSpan SignInLinkValidity { get; set; } = TimeSpan.FromMinutes(20);

    /// <summary>How long a shop stays signed in after confirming its sign-in link (not sliding).</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromMinutes(60);

    /// <summary>How many booked appointments that have not begun yet a shop may have; booking more is refused.</summary>
    public int MaxOpenBookings { get; set; } = 3;

    /// <summary>How many days ahead the page offers times.</summary>
    public int SearchDays { get; set; } = 14;

    /// <summary>How many times the page offers at most.</summary>
    public int Choices { get; set; } = 20;

    /// <summary>
    /// How many times of one day the page offers at most, none overlapping another: the best few of each day
    /// rather than every quarter hour of the first two mornings.
    /// </summary>
    public int ChoicesPerDay { get; set; } = 3;

    /// <summary>Sign-in links one customer number may ask for per hour (whatever address was given).</summary>
    public int SignInRequestsPerHourPerNumber { get; set; } = 5;

    /// <summary>Sign-in requests and sign-in confirmations one client address may make per minute.</summary>
    public int SignInRequestsPerMinutePerAddress { get; set; } = 10;

    /// <summary>What a shop may ask for: each topic books an appointment type or is answered with a refusal and where to go instead.</summary>
    public List<ShopTopicOptions> Topics { get; set; } = [];
}

/// <summary>One answer to "What is it about?": a type to book, or a refusal drawn from the support policy.</summary>
public sealed class ShopTopicOptions
{
    public string Key { get; set; } = "";

    public string LabelDe { get; set; } = "";

    public string LabelEn { get; set; } = "";

    /// <summary>The appointment type this topic books; empty for a refusal.</summary>
    public string? Type { get; set; }

    /// <summary>Why JoeCash does not do this (from the support policy).</summary>
    public string? RefusalDe { get; set; }

    public string? RefusalEn { get; set; }

    /// <summary>Where the shop gets help instead.</summary>
    public string? InsteadDe { get; set; }

    public string? InsteadEn { get; set; }

    public ShopTopic ToTopic() => new(Key, LabelDe, LabelEn, string.IsNullOrWhiteSpace(Type) ? null : Type.Trim(),
        string.IsNullOrWhiteSpace(Type) ? new TopicRefusal(RefusalDe!, RefusalEn!, InsteadDe!, InsteadEn!) : null);
}

/// <summary>A topic as the pages show it.</summary>
public sealed record ShopTopic(string Key, string LabelDe, string LabelEn, string? Type, TopicRefusal? Refusal)
{
    public string Label(Language language) => language == Language.En ? LabelEn : LabelDe;
}

/// <summary>What JoeCash does not do, and where to go instead, in both languages.</summary>
public sealed record TopicRefusal(string TextDe, string TextEn, string InsteadDe, string InsteadEn)
{
    public string Text(Language language) => language == Language.En ? TextEn : TextDe;

    public string Instead(Language language) => language == Language.En ? InsteadEn : InsteadDe;
}

/// <summary>Checks the "ShopBooking" section at start-up: every topic books a known type or carries its refusal in both languages.</summary>
public sealed class ShopBookingOptionsValidator(AppointmentTypeCatalog types) : IValidateOptions<ShopBookingOptions>
{
    public ValidateOptionsResult Validate(string? name, ShopBookingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        const string at = ShopBookingOptions.Section;
        var errors = new List<string>();
        if (options.SignInLinkValidity < TimeSpan.FromMinutes(1) || options.SignInLinkValidity > TimeSpan.FromHours(24))
        {
            errors.Add($"{at}:SignInLinkValidity: {options.SignInLinkValidity} is not between 00:01:00 and 1.00:00:00.");
        }

        if (options.SessionLifetime < TimeSpan.FromMinutes(5) || options.SessionLifetime > TimeSpan.FromHours(12))
        {
            errors.Add($"{at}:SessionLifetime: {options.SessionLifetime} is not between 00:05:00 and 12:00:00.");
        }

        if (options.MaxOpenBookings is < 1 or > 100)
        {
            errors.Add($"{at}:MaxOpenBookings: {options.MaxOpenBookings} is not between 1 and 100.");
        }

        if (options.SearchDays is < 1 or > 90 || options.Choices is < 1 or > 200)
        {
            errors.Add($"{at}:SearchDays must be between 1 and 90 and {at}:Choices between 1 and 200.");
        }

        if (options.ChoicesPerDay is < 1 or > 96)
        {
            errors.Add($"{at}:ChoicesPerDay: {options.ChoicesPerDay} is not between 1 and 96.");
        }

        if (options.SignInRequestsPerHourPerNumber < 1 || options.SignInRequestsPerMinutePerAddress < 1)
        {
            errors.Add($"{at}:SignInRequestsPerHourPerNumber and SignInRequestsPerMinutePerAddress must be at least 1.");
        }

        if (options.Topics.Count == 0)
        {
            errors.Add($"{at}:Topics: no topics are configured; the booking page needs at least one.");
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.Topics.Count; i++)
        {
            var topic = options.Topics[i];
            var path = $"{at}:Topics:{i}";
            if (string.IsNullOrWhiteSpace(topic.Key) || !topic.Key.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-') || !seen.Add(topic.Key))
            {
                errors.Add($"{path}:Key: '{topic.Key}' must be lower-case letters, digits and '-', and unique.");
            }

            if (string.IsNullOrWhiteSpace(topic.LabelDe) || string.IsNullOrWhiteSpace(topic.LabelEn))
            {
                errors.Add($"{path}: LabelDe and LabelEn are both needed.");
            }

            var refuses = new[] { topic.RefusalDe, topic.RefusalEn, topic.InsteadDe, topic.InsteadEn };
            if (!string.IsNullOrWhiteSpace(topic.Type))
            {
                if (!types.Find(topic.Type).IsSuccess)
                {
                    errors.Add($"{path}:Type: '{topic.Type}' is not a configured appointment type ({string.Join(", ", types.All.Select(t => t.Key))}).");
                }

                if (refuses.Any(r => !string.IsNullOrWhiteSpace(r)))
                {
                    errors.Add($"{path}: a topic either books a Type or refuses (RefusalDe/En, InsteadDe/En), not both.");
                }
            }
            else if (refuses.Any(string.IsNullOrWhiteSpace))
            {
                errors.Add($"{path}: without a Type the topic is a refusal and needs RefusalDe, RefusalEn, InsteadDe and InsteadEn.");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
