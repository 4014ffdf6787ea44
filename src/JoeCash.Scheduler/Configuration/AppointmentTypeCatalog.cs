using System.Collections.Frozen;
using JoeCash.Scheduler.Domain;
using Microsoft.Extensions.Configuration;

namespace JoeCash.Scheduler.Configuration;

/// <summary>The configured appointment types, checked once at start-up and looked up by key.</summary>
public sealed class AppointmentTypeCatalog
{
    private readonly FrozenDictionary<string, AppointmentType> _byKey;

    public AppointmentTypeCatalog(IEnumerable<AppointmentType> types)
    {
        All = [.. types];
        _byKey = All.ToFrozenDictionary(t => t.Key, StringComparer.OrdinalIgnoreCase);
    }

    public IReadOnlyList<AppointmentType> All { get; }

    public Result<AppointmentType> Find(string? key, string field = "type") =>
        key is not null && _byKey.TryGetValue(key.Trim(), out var type)
            ? type
            : Result.Fail<AppointmentType>($"{field}: unknown appointment type '{key}'; known types: {string.Join(", ", All.Select(t => t.Key))}.");

    /// <summary>
    /// The type of a stored appointment. A type removed from the configuration must not hide its
    /// appointments from an agenda or stop their cancellation: it comes back as a bare stand-in.
    /// </summary>
    public AppointmentType ForStored(string key) =>
        _byKey.TryGetValue(key, out var type)
            ? type
            : new AppointmentType(key, key, key, NodaTime.Duration.Zero, NodaTime.Duration.Zero, NodaTime.Duration.Zero, false, null, null);

    /// <summary>Reads and checks the "AppointmentTypes" section; throws with every problem named by its key.</summary>
    public static AppointmentTypeCatalog FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var entries = configuration.GetSection("AppointmentTypes").Get<AppointmentTypeOptions[]>() ?? [];
        var errors = new List<string>();
        if (entries.Length == 0)
        {
            errors.Add("AppointmentTypes: no appointment types are configured.");
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < entries.Length; i++)
        {
            var e = entries[i];
            var at = $"AppointmentTypes:{i}";
            if (string.IsNullOrWhiteSpace(e.Key) || !e.Key.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
            {
                errors.Add($"{at}:Key: '{e.Key}' must be lower-case letters, digits and '-'.");
            }
            else if (!seen.Add(e.Key))
            {
                errors.Add($"{at}:Key: '{e.Key}' is configured twice.");
            }

            if (string.IsNullOrWhiteSpace(e.TitleDe))
            {
                errors.Add($"{at}:TitleDe is required.");
            }

            if (string.IsNullOrWhiteSpace(e.TitleEn))
            {
                errors.Add($"{at}:TitleEn is required.");
            }

            if (e.Duration <= TimeSpan.Zero || e.Duration > TimeSpan.FromHours(8))
            {
                errors.Add($"{at}:Duration: '{e.Duration}' must be more than zero and at most 8 hours.");
            }

            if (e.BufferBefore < TimeSpan.Zero || e.BufferAfter < TimeSpan.Zero || e.BufferBefore + e.BufferAfter > TimeSpan.FromHours(4))
            {
                errors.Add($"{at}: buffers must not be negative and together at most 4 hours.");
            }

            if (e.Billable && (string.IsNullOrWhiteSpace(e.CostNoticeDe) || string.IsNullOrWhiteSpace(e.CostNoticeEn)))
            {
                errors.Add($"{at}: a billable type needs CostNoticeDe and CostNoticeEn.");
            }
        }

        return errors.Count > 0
            ? throw new ConfigurationException(errors)
            : new AppointmentTypeCatalog(entries.Select(e => e.ToDomain()));
    }
}

/// <summary>A configuration that cannot work; the message lists every key at fault.</summary>
public sealed class ConfigurationException(IReadOnlyList<string> problems)
    : Exception("The configuration is invalid:" + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => "  - " + p)))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
