using JoeCash.Scheduler.Booking;
using JoeCash.Scheduler.Configuration;
using Microsoft.Extensions.Options;
using Spectre.Console;
using Spectre.Console.Cli;

namespace JoeCash.Scheduler.Cli;

/// <summary>Settings of <c>show</c>.</summary>
public sealed class ShowSettings : TimeSettings
{
    [CommandArgument(0, "<ID>")]
    public string Id { get; init; } = "";
}

/// <summary><c>show</c>: one appointment and its audit trail.</summary>
public sealed class ShowCommand(AppointmentQueries appointments, IOptions<SchedulerOptions> options, Output output) : SchedulerCommand<ShowSettings>
{
    protected override async Task<int> RunAsync(ShowSettings settings, CancellationToken cancellationToken)
    {
        var zone = settings.ResolveZone(options.Value);
        var id = IdOf(settings.Id);
        var details = await appointments.ShowAsync(id, cancellationToken).ConfigureAwait(false)
            ?? throw new InputException($"there is no appointment {id}.");
        if (settings.Json)
        {
            output.Json(AppointmentDetailsRecord.From(details, zone));
            return ExitCodes.Ok;
        }

        AppointmentView.Print(output, details.Appointment, zone, json: false, verb: null);
        var table = new Table().AddColumns("When", "Who", "What", "Details");
        foreach (var entry in details.Audit)
        {
            table.AddRow(Output.Local(entry.At, zone), Markup.Escape(entry.Actor), entry.Action, Markup.Escape(entry.Details));
        }

        output.Table(table);
        return ExitCodes.Ok;
    }
}
