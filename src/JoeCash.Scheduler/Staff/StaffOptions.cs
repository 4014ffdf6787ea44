using Microsoft.Extensions.Options;

namespace JoeCash.Scheduler.Staff;

/// <summary>The "Staff" section: password length and the sign-in lockout.</summary>
public sealed class StaffOptions
{
    public const string Section = "Staff";

    /// <summary>The shortest password a person may choose.</summary>
    public int MinimumPasswordLength { get; set; } = 12;

    /// <summary>Wrong passwords in a row before the account is locked.</summary>
    public int LockoutThreshold { get; set; } = 5;

    /// <summary>How long a lockout lasts.</summary>
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);
}

/// <summary>Checks the "Staff" section at start-up.</summary>
public sealed class StaffOptionsValidator : IValidateOptions<StaffOptions>
{
    public ValidateOptionsResult Validate(string? name, StaffOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.MinimumPasswordLength is < 8 or > 128)
        {
            errors.Add($"Staff:MinimumPasswordLength must be between 8 and 128 (is {options.MinimumPasswordLength}).");
        }

        if (options.LockoutThreshold is < 1 or > 100)
        {
            errors.Add($"Staff:LockoutThreshold must be between 1 and 100 (is {options.LockoutThreshold}).");
        }

        if (options.LockoutDuration < TimeSpan.FromMinutes(1) || options.LockoutDuration > TimeSpan.FromDays(1))
        {
            errors.Add($"Staff:LockoutDuration must be between 00:01:00 and 1.00:00:00 (is {options.LockoutDuration}).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
