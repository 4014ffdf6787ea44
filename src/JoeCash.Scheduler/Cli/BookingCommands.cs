using System.ComponentModel;
using JoeCash.Scheduler.Booking;
using JoeCash.Scheduler.Configuration;
using JoeCash.Scheduler.Customers;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Storage;
using JoeCash.Scheduler.Technicians;
using Microsoft.Extensions.Options;
using NodaTime;
using Spectre.Console;
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
}

/// <summary>Settings of <c>slots</c>.</summary>
public sealed class SlotsSettings : TimeSettings
{
    [CommandOption("--type <KEY>")]
    public string? Type { get; init; }

    [CommandOption("--technician <ID|EMAIL|any>")]
    [Description("One technician, or 'any' (default): the least booked first.")]
    public string? Technician { get; init; }

    [CommandOption("--customer <NUMBER>")]
    [Description("Leave out times when this shop's till is already booked.")]
    public string? Customer { get; init; }

    [CommandOption("--from <DATE>")]
    [Description("First day (default today).")]
    public string? From { get; init; }

    [CommandOption("--days <N>")]
    [Description("How many days to search, 1 to 92 (default 14); the search stops at the booking horizon.")]
    public string? Days { get; init; }

    [CommandOption("--limit <N>")]
    [Description("How many starts to show, 1 to 1000 (default 20).")]
    public string? Limit { get; init; }
}

/// <summary><c>slots</c>.</summary>
public sealed class SlotsCommand(Availability availability, Database database, IClock clock, Output output) : SchedulerCommand<SlotsSettings>
{
    protected override async Task<int> RunAsync(SlotsSettings settings, CancellationToken cancellationToken)
    {
        var zone = settings.ResolveZone(availability.Options);
        var now = clock.GetCurrentInstant();
        var horizon = availability.Options.Horizon;
        var from = settings.From is null
            ? now.InZone(zone).Date
            : Require(horizon.CheckDate(Require(WallClock.ParseDate(settings.From, "--from")), now, zone, "--from", pastAllowed: false));
        var days = Require(WholeNumber.Parse(settings.Days, "--days", 1, 92, 14));
        var limit = Require(WholeNumber.Parse(settings.Limit, "--limit", 1, 1000, 20));

        long? customerId = null;
        if (settings.Customer is not null)
        {
            await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
            customerId = Require(await connection.FindCustomerAsync(settings.Customer).ConfigureAwait(false)).Id;
        }

        // A range running past the horizon stops at its latest start (and says so below).
        var latest = horizon.LatestStart(now);
        var end = zone.AtStartOfDay(from.PlusDays(days)).ToInstant();
        var clamped = end > latest;
        var range = new Interval(zone.AtStartOfDay(from).ToInstant(), clamped ? latest : end);
        var slots = Require(await availability.FindSlotsAsync(settings.Type ?? throw new InputException("--type is required."), settings.Technician, range, customerId, cancellationToken).ConfigureAwait(false));
        // For "any technician" one line per start, with the least-booked technician the engine ranked first.
        var shown = slots.DistinctBy(s => s.Start).Take(limit).ToArray();
        if (settings.Json)
        {
            output.Json(shown.Select(s => Output.SlotJson(s, zone)));
            return ExitCodes.Ok;
        }

        var horizonNote = clamped ? $" The booking horizon of {horizon.Shown} ends the search at {Output.Local(latest, zone)}." : "";
        if (shown.Length == 0)
        {
            output.Line($"No free slots from {from} for {days} day(s).{horizonNote}");
            return ExitCodes.Ok;
        }

        await using var names = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var technicians = (await names.ListTechniciansAsync().ConfigureAwait(false)).ToDictionary(t => t.Id);
        var table = new Table().AddColumns($"Start ({zone.Id})", "End", "Technician");
        foreach (var slot in shown)
        {
            var time = LocalTimeRange.In(slot.Start, slot.End, zone);
            table.AddRow($"{Output.Day(slot.Start, zone)} {time.StartText(Language.En)}", time.EndText(Language.En), Markup.Escape($"{slot.TechnicianId} {technicians[slot.TechnicianId].Name}"));
        }

        output.Table(table);
        output.Line($"{shown.Length} of {slots.DistinctBy(s => s.Start).Count()} free start(s).{horizonNote}");
        return ExitCodes.Ok;
    }
}

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
        var start = Require(WallClock.Parse(settings.At ?? throw new InputException("--at is required."), zone, settings.Choice, "--at"));
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
    public long Id { get; init; }

    [CommandOption("--version <N>")]
    [Description("The version you last saw ('show ID'); guards against overwriting someone else's change.")]
    public int? Version { get; init; }

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
        var start = Require(WallClock.Parse(settings.At ?? throw new InputException("--at is required."), zone, settings.Choice, "--at"));
        var version = settings.Version ?? throw new InputException("--version is required (see 'show ID').");
        var outcome = await booking.RescheduleAsync(settings.Id, version, start, settings.Technician, settings.By ?? Environment.UserName, cancellationToken).ConfigureAwait(false);
        return AppointmentView.Print(output, outcome, zone, settings.Json, "Rescheduled", settings.Id);
    }
}

/// <summary>Settings of <c>cancel</c>.</summary>
public sealed class CancelSettings : TimeSettings
{
    [CommandArgument(0, "<ID>")]
    public long Id { get; init; }

    [CommandOption("--version <N>")]
    public int? Version { get; init; }

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
        var version = settings.Version ?? throw new InputException("--version is required (see 'show ID').");
        var outcome = await booking.CancelAsync(settings.Id, version, settings.Reason, settings.By ?? Environment.UserName, cancellationToken).ConfigureAwait(false);
        return AppointmentView.Print(output, outcome, zone, settings.Json, "Cancelled", settings.Id);
    }
}

/// <summary>Settings of <c>show</c>.</summary>
public sealed class ShowSettings : TimeSettings
{
    [CommandArgument(0, "<ID>")]
    public long Id { get; init; }
}

/// <summary><c>show</c>: one appointment and its audit trail.</summary>
public sealed class ShowCommand(Database database, IOptions<SchedulerOptions> options, Output output) : SchedulerCommand<ShowSettings>
{
    protected override async Task<int> RunAsync(ShowSettings settings, CancellationToken cancellationToken)
    {
        var zone = settings.ResolveZone(options.Value);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var appointment = await connection.GetAppointmentAsync(settings.Id).ConfigureAwait(false)
            ?? throw new InputException($"there is no appointment {settings.Id}.");
        var audit = await connection.AuditTrailAsync(settings.Id).ConfigureAwait(false);
        if (settings.Json)
        {
            output.Json(new
            {
                appointment = AppointmentView.Json(appointment, zone),
                audit = audit.Select(a => new { at = Output.Iso(a.At), actor = a.Actor, action = a.Action, details = System.Text.Json.JsonDocument.Parse(a.Details).RootElement }),
            });
            return ExitCodes.Ok;
        }

        AppointmentView.Print(output, appointment, zone, json: false, verb: null);
        var table = new Table().AddColumns("When", "Who", "What", "Details");
        foreach (var entry in audit)
        {
            table.AddRow(Output.Local(entry.At, zone), Markup.Escape(entry.Actor), entry.Action, Markup.Escape(entry.Details));
        }

        output.Table(table);
        return ExitCodes.Ok;
    }
}

/// <summary>How one appointment is printed.</summary>
internal static class AppointmentView
{
    /// <summary>The appointment a change produced, or why it was refused (exit code 2).</summary>
    public static int Print(Output output, BookingOutcome outcome, DateTimeZone zone, bool json, string verb, long? appointmentId = null) =>
        outcome.Refusal is { } refusal
            ? output.Refused(refusal, zone, json, StaleHint(refusal, appointmentId))
            : Print(output, outcome.Appointment!, zone, json, verb);

    /// <summary>What to type after a version conflict: the service says what happened, the command line how to go on.</summary>
    private static string? StaleHint(Refusal refusal, long? appointmentId) =>
        refusal.Kind == RefusalKind.Stale && appointmentId is { } id
            ? $"See the change with 'show {id}', then retry with --version {(refusal.CurrentVersion is { } v ? v.ToString(System.Globalization.CultureInfo.InvariantCulture) : "<the version it shows>")}."
            : null;

    /// <summary>Prints "Booked appointment 6 …" (or "Appointment 6 …" without a verb), or the JSON form.</summary>
    public static int Print(Output output, Appointment a, DateTimeZone zone, bool json, string? verb)
    {
        if (json)
        {
            output.Json(Json(a, zone));
        }
        else
        {
            var what = verb is null ? "Appointment" : $"{verb} appointment";
            output.Line($"{what} {a.Id} (version {a.Version}): {a.TypeKey}, {Output.Local(a.Time, zone)} {zone.Id}, technician {a.TechnicianId}, status {a.Status.ToString().ToLowerInvariant()}.");
        }

        return ExitCodes.Ok;
    }

    public static object Json(Appointment a, DateTimeZone zone) => new
    {
        id = a.Id,
        uid = a.Uid,
        version = a.Version,
        sequence = a.Sequence,
        status = a.Status.ToString().ToLowerInvariant(),
        response = a.Response.Code(),
        type = a.TypeKey,
        technician = a.TechnicianId,
        customer = a.CustomerId,
        start = Output.Iso(a.Start),
        end = Output.Iso(a.End),
        localStart = Output.IsoLocal(a.Start, zone),
        localEnd = Output.IsoLocal(a.End, zone),
        rustDeskId = a.RustDeskId,
        notes = a.Notes,
        costAcknowledged = a.CostAcknowledged,
        bookedBy = a.BookedBy,
    };
}
