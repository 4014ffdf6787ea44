using System.ComponentModel;
using JoeCash.Scheduler.Domain;
using Spectre.Console.Cli;

namespace JoeCash.Scheduler.Cli;

/// <summary>Options every verb has.</summary>
public class CommonSettings : CommandSettings
{
    [CommandOption("--json")]
    [Description("Print JSON for scripts instead of tables.")]
    public bool Json { get; init; }

    [CommandOption("--verbose")]
    [Description("On an unexpected failure, print the whole exception (stack trace) too.")]
    public bool Verbose { get; init; }
}

/// <summary>A verb: turns bad input into "error: …" on stderr and exit code 2.</summary>
public abstract class SchedulerCommand<TSettings> : AsyncCommand<TSettings>
    where TSettings : CommonSettings
{
    public sealed override async Task<int> ExecuteAsync(CommandContext context, TSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(settings);
        try
        {
            if (RepeatedOption(context.Arguments) is { } repeated)
            {
                // The parser would keep the last one silently: "--customer K1 … --customer K2" books for K2.
                throw new InputException($"{repeated} is given more than once: give it once.");
            }

            return await RunAsync(settings, cancellationToken).ConfigureAwait(false);
        }
        catch (InputException e)
        {
            if (settings.Json)
            {
                Console.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(new { error = e.Message }));
            }
            else
            {
                await Console.Error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            }

            return ExitCodes.BadInput;
        }
    }

    protected abstract Task<int> RunAsync(TSettings settings, CancellationToken cancellationToken);

    /// <summary>The first option named twice (<c>--at X … --at=Y</c>), or null; none of the verbs' options takes a list.</summary>
    internal static string? RepeatedOption(IEnumerable<string> arguments)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var argument in arguments)
        {
            if (argument == "--")
            {
                break;
            }

            var name = argument.Split('=', 2)[0];
            if (name.StartsWith("--", StringComparison.Ordinal) && !seen.Add(name))
            {
                return name;
            }
        }

        return null;
    }

    /// <summary>The value, or an <see cref="InputException"/> with the result's message.</summary>
    protected static T Require<T>(Result<T> result) => result.IsSuccess ? result.Value : throw new InputException(result.Error!);

    /// <summary>
    /// An ID typed on the command line: a whole number from 1, or bad input that names <paramref name="argument"/>. IDs are read
    /// as text and parsed here, because a typed settings property would fail in the parser with a message naming neither.
    /// </summary>
    protected static long IdOf(string? text, string argument = "<ID>") => Require(WholeNumber.Id(text, argument));

    /// <summary>The <c>--version</c> a change is based on: required, a whole number from 1, as <c>show</c> printed it.</summary>
    protected static int VersionOf(string? text) =>
        Require(WholeNumber.Parse(text ?? throw new InputException("--version is required (see 'show ID')."), "--version", 1, int.MaxValue, 0));
}
