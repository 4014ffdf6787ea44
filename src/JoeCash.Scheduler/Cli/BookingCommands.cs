using System.ComponentModel;
using JoeCash.Scheduler.Booking;
using JoeCash.Scheduler.Configuration;
using Microsoft.Extensions.Options;
using Spectre.Console.Cli;

namespace JoeCash.Scheduler.Cli;

/// <summary>Settings of <c>book</c>.</summary>
public sealed class BookSettings : TimeSettings
{
    [CommandOption("--customer <NUMBER>")]
    public string? Customer { get; init; }

    [CommandOption("--type <KEY>")]
    public string? Type { get; init; }

    [CommandOption("--technician <ID|EMAIL|any>")]
    public string? Technician { get; init; }

    [CommandOption("--at <DATETIME>")]
    [Description("Start, e.g. 2026-12-01T10:00 (in --zone) or 2026-12-01T10:00+01:00.")]
    public string? At { get; init; }

    [CommandOption("--notes <TEXT>")]
    public string? Notes { get; init; }

    [CommandOption("--acknowledge-cost")]
    [Description("The shop has accepted the cost notice of a billable type.")]
    public bool AcknowledgeCost { get; init; }

    [CommandOption("--by <NAME>")]
    [Description("Who books (default: the user running the command).")]
    public string? By { get; init; }
}

/// <summary><c>book</c>.</summary>
public sealed class BookCommand(BookingService booking, IOptions<SchedulerOptions> options, Output output) : SchedulerCommand<BookSettings>
{
    protected override async Task<int> RunAsync(BookSettings settings, CancellationToken cancellationToken)
    {
        var zone = settings.ResolveZone(options.Value);
        var start = TimeSettings.ReadAt(settings.At, zone, settings.Choice);
        var request = new BookingRequest(
            settings.Customer ?? throw new InputException("--customer is required."),
            settings.Type ?? throw new InputException("--type is required."),
            settings.Technician,
            start,
            settings.Notes,
            settings.AcknowledgeCost,
            settings.By ?? Environment.UserName);
        var outcome = await booking.BookAsync(request, cancellationToken).ConfigureAwait(false);
        return AppointmentView.Print(output, outcome, zone, settings.Json, "Booked");
    }
}

/// <summary>Settings of <c>reschedule</c>.</summary>
public sealed class RescheduleSettings : TimeSettings
{
    [CommandArgument(0, "<ID>")]
    public string Id { get; init; } = "";

    [CommandOption("--version <N>")]
    [Description("The version you last saw ('show ID'); guards against overwriting someone else's change.")]
    public string? Version { get; init; }

    [CommandOption("--at <DATETIME>")]
    public string? At { get; init; }

    [CommandOption("--technician <ID|EMAIL>")]
    [Description("Hand the appointment to another technician.")]
    public string? Technician { get; init; }

    [CommandOption("--by <NAME>")]
    public string? By { get; init; }
}

/// <summary><c>reschedule</c>.</summary>
public sealed class RescheduleCommand(BookingService booking, IOptions<SchedulerOptions> options, Output output) : SchedulerCommand<RescheduleSettings>
{
    protected override async Task<int> RunAsync(RescheduleSettings settings, CancellationToken cancellationToken)
    {
        var zone = settings.ResolveZone(options.Value);
        var start = TimeSettings.ReadAt(settings.At, zone, settings.Choice);
        var id = IdOf(settings.Id);
        var version = VersionOf(settings.Version);
        var outcome = await booking.RescheduleAsync(id, version, start, settings.Technician, settings.By ?? Environment.UserName, cancellationToken).ConfigureAwait(false);
        return AppointmentView.Print(output, outcome, zone, settings.Json, "Rescheduled", id);
    }
}

/// <summary>Settings of <c>cancel</c>.</summary>
public sealed class CancelSettings : TimeSettings
{
    [CommandArgument(0, "<ID>")]
    public string Id { get; init; } = "";

    [CommandOption("--version <N>")]
    public string? Version { get; init; }

    [CommandOption("--reason <TEXT>")]
    public string? Reason { get; init; }

    [CommandOption("--by <NAME>")]
    public string? By { get; init; }
}

/// <summary><c>cancel</c>.</summary>
public sealed class CancelCommand(BookingService booking, IOptions<SchedulerOptions> options, Output output) : SchedulerCommand<CancelSettings>
{
    protected override async Task<int> RunAsync(CancelSettings settings, CancellationToken cancellationToken)
    {
        var zone = settings.ResolveZone(options.Value);
        var id = IdOf(settings.Id);
        var version = VersionOf(settings.Version);
        var outcome = await booking.CancelAsync(id, version, settings.Reason, settings.By ?? Environment.UserName, cancellationToken).ConfigureAwait(false);
        return AppointmentView.Print(output, outcome, zone, settings.Json, "Cancelled", id);
    }
}
