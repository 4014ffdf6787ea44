using System.ComponentModel;
using System.Globalization;
using JoeCash.Scheduler.Configuration;
using JoeCash.Scheduler.Feeds;
using JoeCash.Scheduler.Technicians;
using Microsoft.Extensions.Options;
using Spectre.Console.Cli;

namespace JoeCash.Scheduler.Cli;

/// <summary>Settings of <c>technician feed</c>.</summary>
public sealed class FeedSettings : CommonSettings
{
    [CommandArgument(0, "<ID|EMAIL>")]
    [Description("The technician: id or email address.")]
    public string Technician { get; init; } = "";

    [CommandOption("--rotate")]
    [Description("Make a new feed URL; the previous one stops working at once.")]
    public bool Rotate { get; init; }
}

/// <summary>
/// <c>technician feed ID|EMAIL [--rotate]</c>: the technician's personal calendar feed URL (and its webcal://
/// form). The token in it is shown only when it is made: the first time, or with <c>--rotate</c>.
/// </summary>
public sealed class FeedCommand(TechnicianService technicians, FeedTokens tokens, IOptions<PublicAddressOptions> options, Output output) : SchedulerCommand<FeedSettings>
{
    protected override async Task<int> RunAsync(FeedSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var reference = settings.Technician.Trim();
        if (reference.Length == 0)
        {
            throw new InputException("technician: give the id or email ('technician list' shows them).");
        }

        var technician = Require(await (long.TryParse(reference, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? technicians.FindAsync(id, cancellationToken)
            : technicians.FindByEmailAsync(reference, cancellationToken)).ConfigureAwait(false));
        var existing = await tokens.CreatedAsync(technician.Id, cancellationToken).ConfigureAwait(false);
        if (existing is { } since && !settings.Rotate)
        {
            if (settings.Json)
            {
                output.Json(new { technicianId = technician.Id, tokenExists = true, createdAt = Output.Iso(since), url = (string?)null, webcalUrl = (string?)null });
                return ExitCodes.Ok;
            }

            output.Line($"Technician {technician.Id} {technician.Name} has a feed URL (made {Output.Local(since, technician.Zone)}). "
                + "It is shown only once, when it is made; run with --rotate for a new one (the previous URL then stops working).");
            return ExitCodes.Ok;
        }

        var token = await tokens.RotateAsync(technician.Id, cancellationToken).ConfigureAwait(false);
        var feed = options.Value;
        if (settings.Json)
        {
            output.Json(new { technicianId = technician.Id, tokenExists = true, replaced = existing is not null, url = feed.FeedUrl(token), webcalUrl = feed.WebcalUrl(token) });
            return ExitCodes.Ok;
        }

        output.Line($"Feed of technician {technician.Id} {technician.Name}{(existing is null ? "" : " (new; the previous URL no longer works)")}:");
        output.Line("  " + feed.FeedUrl(token));
        output.Line("  " + feed.WebcalUrl(token));
        output.Line("Shown only now: subscribe to it in the calendar app and keep it private (whoever has it sees the appointments).");
        return ExitCodes.Ok;
    }
}
