using Microsoft.Extensions.Options;

namespace JoeCash.Scheduler.ShopLinks;

/// <summary>The "SelfService" section: the shops' personal appointment pages and the links to them.</summary>
public sealed class ShopLinkOptions
{
    public const string Section = "SelfService";

    /// <summary>
    /// The key the link tokens are derived with (base64, at least 32 bytes). Unset: a key made on first use in
    /// <c>keys/shop-links.key</c> beside the database. Several nodes need the same key: set it on each.
    /// </summary>
    public string? LinkKey { get; set; }

    /// <summary>How long after the appointment ended its link still opens the page.</summary>
    public TimeSpan ValidAfterEnd { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Until how long before the start the shop may cancel on its page; later it is asked to call.</summary>
    public TimeSpan CancelNotice { get; set; } = TimeSpan.FromHours(2);

    /// <summary>How many days ahead the page offers other times.</summary>
    public int RescheduleDays { get; set; } = 14;

    /// <summary>How many other times the page offers at most.</summary>
    public int RescheduleChoices { get; set; } = 24;

    /// <summary>Requests per minute one link may make (pages and actions together).</summary>
    public int RequestsPerMinutePerLink { get; set; } = 30;

    /// <summary>Requests per minute one client address may make to any link.</summary>
    public int RequestsPerMinutePerAddress { get; set; } = 120;
}

/// <summary>Checks the "SelfService" section at start-up.</summary>
public sealed class ShopLinkOptionsValidator : IValidateOptions<ShopLinkOptions>
{
    public ValidateOptionsResult Validate(string? name, ShopLinkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.LinkKey is { Length: > 0 } key && ShopLinkKey.Parse(key) is null)
        {
            errors.Add($"{ShopLinkOptions.Section}:LinkKey: not base64 of at least {ShopLinkKey.MinimumBytes} bytes (make one with: openssl rand -base64 32).");
        }

        if (options.ValidAfterEnd < TimeSpan.Zero || options.ValidAfterEnd > TimeSpan.FromDays(366))
        {
            errors.Add($"{ShopLinkOptions.Section}:ValidAfterEnd: {options.ValidAfterEnd} is not between 0 and 366 days.");
        }

        if (options.CancelNotice < TimeSpan.Zero || options.CancelNotice > TimeSpan.FromDays(14))
        {
            errors.Add($"{ShopLinkOptions.Section}:CancelNotice: {options.CancelNotice} is not between 0 and 14 days.");
        }

        if (options.RescheduleDays is < 1 or > 90)
        {
            errors.Add($"{ShopLinkOptions.Section}:RescheduleDays: {options.RescheduleDays} is not between 1 and 90.");
        }

        if (options.RescheduleChoices is < 1 or > 200)
        {
            errors.Add($"{ShopLinkOptions.Section}:RescheduleChoices: {options.RescheduleChoices} is not between 1 and 200.");
        }

        if (options.RequestsPerMinutePerLink < 1 || options.RequestsPerMinutePerAddress < 1)
        {
            errors.Add($"{ShopLinkOptions.Section}:RequestsPerMinutePerLink and RequestsPerMinutePerAddress must be at least 1.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
