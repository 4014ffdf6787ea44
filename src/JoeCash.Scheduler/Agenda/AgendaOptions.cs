using JoeCash.Scheduler.Domain;
using Microsoft.Extensions.Options;

namespace JoeCash.Scheduler.Agenda;

/// <summary>The "Agenda" section: the technicians' morning email.</summary>
public sealed class AgendaOptions
{
    public const string Section = "Agenda";

    /// <summary>Local time in each technician's own zone.</summary>
    public int Hour { get; set; } = 7;

    public int Minute { get; set; }

    /// <summary>Also send "no appointments today" on a working day without appointments.</summary>
    public bool SendWhenEmpty { get; set; }

    /// <summary>The technicians' language (internal mail).</summary>
    public Language Language { get; set; } = Language.De;

    /// <summary>How often the service re-reads the technicians to (re)plan their morning triggers.</summary>
    public TimeSpan PlanInterval { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>Checks the "Agenda" section at start-up.</summary>
public sealed class AgendaOptionsValidator : IValidateOptions<AgendaOptions>
{
    public ValidateOptionsResult Validate(string? name, AgendaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.Hour is < 0 or > 23)
        {
            errors.Add($"Agenda:Hour: {options.Hour} is not an hour (0–23).");
        }

        if (options.Minute is < 0 or > 59)
        {
            errors.Add($"Agenda:Minute: {options.Minute} is not a minute (0–59).");
        }

        if (options.PlanInterval < TimeSpan.FromSeconds(5))
        {
            errors.Add($"Agenda:PlanInterval: '{options.PlanInterval}' must be at least 5 seconds.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
