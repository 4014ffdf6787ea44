using System.ComponentModel;
using System.Globalization;
using JoeCash.Scheduler.Booking;
using JoeCash.Scheduler.Technicians;
using Spectre.Console.Cli;

namespace JoeCash.Scheduler.Cli;

/// <summary>Settings of <c>technician edit</c>: the options of <c>technician add</c>, each optional, and the state.</summary>
public sealed class TechnicianEditSettings : CommonSettings
{
    [CommandOption("--technician <ID|EMAIL>")]
    public string? Technician { get; init; }

    [CommandOption("--name <NAME>")]
    public string? Name { get; init; }

    [CommandOption("--email <EMAIL>")]
    public string? Email { get; init; }

    [CommandOption("--zone <IANA>")]
    public string? Zone { get; init; }

    [CommandOption("--state <CODE>")]
    [Description("Federal state for public holidays, e.g. BY, BE, NW.")]
    public string? State { get; init; }

    [CommandOption("--hours <HOURS>")]
    [Description("Working hours, e.g. \"Mon-Fri 08:00-12:00,13:00-17:00\".")]
    public string? Hours { get; init; }

    [CommandOption("--types <KEYS>")]
    [Description("Comma-separated appointment types (all of them, not a change to the list).")]
    public string? Types { get; init; }

    [CommandOption("--daily-cap <N|none>")]
    public string? DailyCap { get; init; }

    [CommandOption("--deactivate")]
    [Description("Take the technician off new bookings; their appointments and history stay.")]
    public bool Deactivate { get; init; }

    [CommandOption("--reactivate")]
    public bool Reactivate { get; init; }

    [CommandOption("--keep")]
    [Description("Save even if booked appointments ahead no longer fit the change, and leave them booked.")]
    public bool Keep { get; init; }
}

/// <summary>
/// <c>technician edit</c>: changes what is given and keeps the rest. Refused while booked appointments ahead would
/// no longer fit (listed), unless <c>--keep</c>; they are never moved by an edit.
/// </summary>
public sealed class TechnicianEditCommand(TechnicianService technicians, TechnicianEditService edits, Output output) : SchedulerCommand<TechnicianEditSettings>
{
    private static readonly TechnicianLabels Options = new("--name", "--email", "--zone", "--state", "--hours", "--types", "--daily-cap");

    protected override async Task<int> RunAsync(TechnicianEditSettings s, CancellationToken cancellationToken)
    {
        if (s.Deactivate && s.Reactivate)
        {
            throw new InputException("--deactivate and --reactivate exclude each other.");
        }

        var reference = s.Technician ?? throw new InputException("--technician is required (its id or email; 'technician list' shows them).");
        var technician = Require(await technicians.FindAsync(reference, cancellationToken).ConfigureAwait(false));
        var (cap, clearCap) = DailyCap(s.DailyCap);
        var edit = new TechnicianEdit(s.Name, s.Email, s.Zone, s.State, s.Hours, s.Types, cap, clearCap,
            s.Deactivate ? false : s.Reactivate ? true : null);
        var outcome = await edits.EditAsync(technician.Id, edit, s.Keep, Options, cancellationToken).ConfigureAwait(false);
        if (outcome.Saved is not { } saved)
        {
            throw new InputException(outcome.NeedsChoice
                ? $"{outcome.Refusal} Book them with someone else first, or add --keep to save and leave them with {technician.Name}."
                : outcome.Refusal!);
        }

        if (s.Json)
        {
            output.Json(new { technician = TechnicianRecord.From(saved), kept = outcome.Misfits.Select(m => new { id = m.Booked.Appointment.Id, reason = m.Reason }) });
            return ExitCodes.Ok;
        }

        output.Line($"Changed technician {saved.Id}: {saved.Name} <{saved.Email}>, {saved.Zone.Id}, {saved.State}, {saved.Hours}"
            + $"{(saved.DailyCap is { } c ? $", at most {c} a day" : "")}{(saved.Active ? "" : ", inactive")}.");
        foreach (var misfit in outcome.Misfits)
        {
            output.Line($"Kept booked although it no longer fits: {misfit}");
        }

        return ExitCodes.Ok;
    }

    private static (int? Cap, bool Clear) DailyCap(string? text) => text?.Trim() switch
    {
        null => (null, false),
        "none" => (null, true),
        var digits when int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var cap) && cap > 0 => (cap, false),
        var other => throw new InputException($"--daily-cap: '{other}' is not a whole number of at least 1, or 'none' to remove the cap."),
    };
}
