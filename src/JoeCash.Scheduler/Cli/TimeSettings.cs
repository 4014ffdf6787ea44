using System.ComponentModel;
using JoeCash.Scheduler.Configuration;
using JoeCash.Scheduler.Domain;
using NodaTime;
using Spectre.Console.Cli;

namespace JoeCash.Scheduler.Cli;

/// <summary>Options for verbs that read a wall-clock time.</summary>
public class TimeSettings : CommonSettings
{
    [CommandOption("--zone <IANA>")]
    [Description("Time zone of the times you type and read; default Scheduler:TimeZone (Europe/Berlin).")]
    public string? Zone { get; init; }

    [CommandOption("--earlier")]
    [Description("When the clocks go back and the time occurs twice: the first occurrence (summer time).")]
    public bool Earlier { get; init; }

    [CommandOption("--later")]
    [Description("When the clocks go back and the time occurs twice: the second occurrence (winter time).")]
    public bool Later { get; init; }

    public DateTimeZone ResolveZone(SchedulerOptions options)
    {
        var id = string.IsNullOrWhiteSpace(Zone) ? options.TimeZone : Zone.Trim();
        return DateTimeZoneProviders.Tzdb.GetZoneOrNull(id)
            ?? throw new InputException($"--zone: '{id}' is not an IANA time zone id (e.g. Europe/Berlin).");
    }

    public AmbiguityChoice Choice => (Earlier, Later) switch
    {
        (true, true) => throw new InputException("--earlier and --later exclude each other."),
        (true, false) => AmbiguityChoice.Earlier,
        (false, true) => AmbiguityChoice.Later,
        _ => AmbiguityChoice.None,
    };

    /// <summary>The instant <paramref name="text"/> means in <paramref name="zone"/>; a time that occurs twice is told how to choose here.</summary>
    public static Instant ReadAt(string? text, DateTimeZone zone, AmbiguityChoice choice)
    {
        var start = WallClock.Read(text ?? throw new InputException("--at is required."), zone, choice, "--at", out var problem);
        return problem switch
        {
            null => start,
            { Kind: WallClockProblemKind.Ambiguous } => throw new InputException($"{problem.Message} Choose with --earlier or --later, or give the offset."),
            _ => throw new InputException(problem.Message),
        };
    }
}
