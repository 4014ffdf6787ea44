using System.ComponentModel;
using JoeCash.Scheduler.SelfService;
using Spectre.Console.Cli;

namespace JoeCash.Scheduler.Cli;

/// <summary>Settings of <c>new-link</c>.</summary>
public sealed class NewLinkSettings : CommonSettings
{
    [CommandArgument(0, "<ID>")]
    [Description("The appointment.")]
    public string Id { get; init; } = "";

    [CommandArgument(1, "<EMAIL>")]
    [Description("The shop's address that gets the new link (one of those on file).")]
    public string Email { get; init; } = "";

    [CommandOption("--by <NAME>")]
    public string? By { get; init; }
}

/// <summary>
/// <c>new-link ID EMAIL</c>: re-sends the invitation to one of the shop's addresses with a new personal link to the
/// appointment's page; the link that address had before stops working at once.
/// </summary>
public sealed class NewLinkCommand(ShopSelfService shops, Output output) : SchedulerCommand<NewLinkSettings>
{
    protected override async Task<int> RunAsync(NewLinkSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var appointment = Require(await shops.RenewLinkAsync(IdOf(settings.Id), settings.Email, settings.By ?? Environment.UserName, cancellationToken).ConfigureAwait(false));
        if (settings.Json)
        {
            output.Json(new { appointmentId = appointment.Id, recipient = settings.Email.Trim(), queued = true });
            return ExitCodes.Ok;
        }

        output.Line($"Appointment {appointment.Id}: a new link to its page is queued for {settings.Email.Trim()}, in a re-sent invitation; the previous link of that address no longer works.");
        return ExitCodes.Ok;
    }
}
