using System.ComponentModel;
using System.Globalization;
using JoeCash.Scheduler.Configuration;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Outcomes;
using Microsoft.Extensions.Options;
using Spectre.Console.Cli;

namespace JoeCash.Scheduler.Cli;

/// <summary>Settings of <c>outcome</c>.</summary>
public sealed class OutcomeSettings : TimeSettings
{
    [CommandArgument(0, "<ID>")]
    [Description("The appointment.")]
    public string Id { get; init; } = "";

    [CommandArgument(1, "<RESULT>")]
    [Description("done, no-show (shop not reachable, RustDesk not running) or follow-up.")]
    public string Result { get; init; } = "";

    [CommandOption("--minutes <N>")]
    [Description("done: what the session took, 1 to 1440 (default: the planned minutes).")]
    public string? Minutes { get; init; }

    [CommandOption("--note <TEXT>")]
    [Description("A note, up to 4,000 characters.")]
    public string? Note { get; init; }

    [CommandOption("--at <DATETIME>")]
    [Description("follow-up: its start, e.g. 2026-12-08T10:00 (in --zone).")]
    public string? At { get; init; }

    [CommandOption("--type <KEY>")]
    [Description("follow-up: its type (default: the same as the first).")]
    public string? Type { get; init; }

    [CommandOption("--technician <ID|EMAIL|any>")]
    [Description("follow-up: its technician (default: the same as the first).")]
    public string? Technician { get; init; }

    [CommandOption("--acknowledge-cost")]
    [Description("follow-up: the shop has accepted the cost notice of a billable follow-up.")]
    public bool AcknowledgeCost { get; init; }

    [CommandOption("--by <NAME>")]
    [Description("Who records it (default: the user running the command).")]
    public string? By { get; init; }
}

/// <summary>
/// <c>outcome ID done|no-show|follow-up</c>: what became of an appointment that has begun. A follow-up is booked with
/// the booking rules (the shop gets its invitation) and linked to the first; a changed outcome leaves an audit line.
/// </summary>
public sealed class OutcomeCommand(OutcomeService outcomes, IOptions<SchedulerOptions> options, Output output) : SchedulerCommand<OutcomeSettings>
{
    protected override async Task<int> RunAsync(OutcomeSettings settings, CancellationToken cancellationToken)
    {
        var zone = settings.ResolveZone(options.Value);
        var kind = OutcomeKinds.Parse(settings.Result)
            ?? throw new InputException($"<RESULT>: '{settings.Result}' is not an outcome; use done, no-show or follow-up.");
        int? minutes = null;
        if (settings.Minutes is not null)
        {
            if (kind != OutcomeKind.Done)
            {
                throw new InputException("--minutes: only a session that was done has minutes.");
            }

            minutes = Require(WholeNumber.Parse(settings.Minutes, "--minutes", 1, OutcomeService.MostMinutes, 60));
        }

        var followUpOnly = settings.Type is not null || settings.Technician is not null || settings.AcknowledgeCost;
        if (kind != OutcomeKind.FollowUp && (settings.At is not null || followUpOnly))
        {
            throw new InputException("--at, --type, --technician and --acknowledge-cost belong to a follow-up only.");
        }

        FollowUpRequest? followUp = null;
        if (kind == OutcomeKind.FollowUp)
        {
            var start = TimeSettings.ReadAt(settings.At ?? throw new InputException("--at is required for a follow-up: its start."), zone, settings.Choice);
            followUp = new FollowUpRequest(start, settings.Type, settings.Technician, settings.AcknowledgeCost);
        }

        var result = await outcomes.RecordAsync(
            new OutcomeRequest(IdOf(settings.Id), kind, minutes, settings.Note, followUp, settings.By ?? Environment.UserName), cancellationToken).ConfigureAwait(false);
        if (result.Refusal is { } refusal)
        {
            if (refusal.Booking is { } booking)
            {
                return output.Refused(booking with { Message = $"the follow-up was not booked: {booking.Message}" }, zone, settings.Json);
            }

            throw new InputException(refusal.Message);
        }

        var o = result.Outcome!;
        if (settings.Json)
        {
            output.Json(new
            {
                appointment = o.AppointmentId,
                outcome = o.Kind.Code(),
                minutes = o.Minutes,
                note = o.Note,
                followUp = o.FollowUpId,
                recordedAt = Output.Iso(o.RecordedAt),
                recordedBy = o.RecordedBy,
                changed = result.Changed,
            });
            return ExitCodes.Ok;
        }

        var what = o.Kind switch
        {
            OutcomeKind.Done => $"done, {o.Minutes.GetValueOrDefault().ToString(CultureInfo.InvariantCulture)} min",
            OutcomeKind.NoShow => "no-show",
            _ => $"follow-up booked as appointment {o.FollowUpId.GetValueOrDefault().ToString(CultureInfo.InvariantCulture)} (the shop gets its invitation)",
        };
        output.Line($"Appointment {o.AppointmentId}: {what}.{(result.Changed ? " Changed; the audit trail keeps the earlier outcome (show " + o.AppointmentId.ToString(CultureInfo.InvariantCulture) + ")." : "")}");
        return ExitCodes.Ok;
    }
}
