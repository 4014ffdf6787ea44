using Microsoft.Extensions.Options;

namespace JoeCash.Scheduler.Reminders;

/// <summary>The "Reminders" section.</summary>
public sealed class ReminderOptions
{
    public const string Section = "Reminders";

    private static readonly TimeSpan[] DefaultOffsets = [TimeSpan.FromHours(24), TimeSpan.FromHours(1)];

    /// <summary>
    /// How long before the start each reminder goes out: exact elapsed time, so DST never shifts them.
    /// Null (not configured) means 24 h and 1 h; a default array here would have the configuration
    /// binder append the configured offsets to it.
    /// </summary>
    public TimeSpan[]? Offsets { get; set; }

    public IReadOnlyList<TimeSpan> EffectiveOffsets => Offsets ?? DefaultOffsets;

    /// <summary>How often the service looks for due reminders.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long before its due instant a reminder becomes an email in the outbox, which sends it at that instant: the
    /// morning's thousands of reminders are prepared before they are due, and the mail server gets them on time.
    /// Cancelling or moving the appointment takes back a reminder queued this way, as any pending one; an edit of the
    /// shop within this window is not in it. Zero: queued when due.
    /// </summary>
    public TimeSpan QueueAhead { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Reminders turned into emails per transaction.</summary>
    public int BatchSize { get; set; } = 500;
}

/// <summary>Checks the "Reminders" section at start-up.</summary>
public sealed class ReminderOptionsValidator : IValidateOptions<ReminderOptions>
{
    public ValidateOptionsResult Validate(string? name, ReminderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        var offsets = options.EffectiveOffsets;
        for (var i = 0; i < offsets.Count; i++)
        {
            var offset = offsets[i];
            if (offset < TimeSpan.FromMinutes(1) || offset > TimeSpan.FromDays(14) || offset.Seconds != 0 || offset.Milliseconds != 0)
            {
                errors.Add($"Reminders:Offsets:{i}: '{offset}' must be whole minutes between 1 minute and 14 days.");
            }
        }

        if (offsets.Distinct().Count() != offsets.Count)
        {
            errors.Add("Reminders:Offsets: the same offset is listed twice.");
        }

        if (options.SweepInterval < TimeSpan.FromSeconds(1) || options.SweepInterval > TimeSpan.FromMinutes(5))
        {
            errors.Add($"Reminders:SweepInterval: '{options.SweepInterval}' must be between 1 second and 5 minutes.");
        }

        if (options.QueueAhead < TimeSpan.Zero || options.QueueAhead > TimeSpan.FromMinutes(15))
        {
            errors.Add($"Reminders:QueueAhead: '{options.QueueAhead}' must be between 0 and 15 minutes.");
        }

        if (options.BatchSize is < 1 or > 10_000)
        {
            errors.Add($"Reminders:BatchSize: {options.BatchSize} must be between 1 and 10000.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
