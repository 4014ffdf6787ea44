using System.ComponentModel;
using System.Globalization;
using JoeCash.Scheduler.Booking;
using JoeCash.Scheduler.Configuration;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Technicians;
using Microsoft.Extensions.Options;
using NodaTime;
using Spectre.Console;
using Spectre.Console.Cli;

namespace JoeCash.Scheduler.Cli;

/// <summary><c>technician list</c>.</summary>
public sealed class TechnicianListCommand(TechnicianService technicians, Output output) : SchedulerCommand<CommonSettings>
{
    protected override async Task<int> RunAsync(CommonSettings settings, CancellationToken cancellationToken)
    {
        var list = await technicians.ListAsync(cancellationToken).ConfigureAwait(false);
        if (settings.Json)
        {
            output.Json(list);
            return ExitCodes.Ok;
        }

        var table = new Table().AddColumns("Id", "Name", "Email", "Zone", "State", "Hours", "Types", "Cap");
        foreach (var t in list)
        {
            table.AddRow($"{t.Id}", Markup.Escape(t.Name), Markup.Escape(t.Email), t.TimeZone, t.FederalState, Markup.Escape(t.Hours),
                Markup.Escape(string.Join(", ", t.Types)), t.DailyCap?.ToString(CultureInfo.InvariantCulture) ?? "–");
        }

        output.Table(table);
        return ExitCodes.Ok;
    }
}

/// <summary>Settings of <c>technician add</c>.</summary>
public sealed class TechnicianAddSettings : CommonSettings
{
    [CommandOption("--name <NAME>")]
    public string? Name { get; init; }

    [CommandOption("--email <EMAIL>")]
    public string? Email { get; init; }

    [CommandOption("--zone <IANA>")]
    [Description("Time zone, default from Scheduler:TimeZone.")]
    public string? Zone { get; init; }

    [CommandOption("--state <CODE>")]
    [Description("Federal state for public holidays, e.g. BY, BE, NW.")]
    public string? State { get; init; }

    [CommandOption("--hours <HOURS>")]
    [Description("Working hours, e.g. \"Mon-Fri 08:00-12:00,13:00-17:00\". Default Mon-Fri 08:00-17:00.")]
    public string? Hours { get; init; }

    [CommandOption("--types <KEYS>")]
    [Description("Comma-separated appointment types; default all.")]
    public string? Types { get; init; }

    [CommandOption("--daily-cap <N>")]
    public string? DailyCap { get; init; }
}

/// <summary><c>technician add</c>.</summary>
public sealed class TechnicianAddCommand(TechnicianService technicians, Output output) : SchedulerCommand<TechnicianAddSettings>
{
    // The service words its refusals with these: the user reads the option to change.
    private static readonly TechnicianLabels Options = new("--name", "--email", "--zone", "--state", "--hours", "--types", "--daily-cap");

    protected override async Task<int> RunAsync(TechnicianAddSettings s, CancellationToken cancellationToken)
    {
        int? dailyCap = s.DailyCap?.Trim() switch
        {
            null => null,
            var digits when int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var cap) && cap > 0 => cap,
            var other => throw new InputException($"--daily-cap: '{UserText.Shown(other, 40)}' is not a whole number of at least 1."),
        };
        var form = new TechnicianForm(s.Name, s.Email, s.Zone, s.State, s.Hours, s.Types, dailyCap);
        var technician = Require(await technicians.AddAsync(form, Options, cancellationToken).ConfigureAwait(false));
        if (s.Json)
        {
            output.Json(TechnicianAdded.From(technician));
        }
        else
        {
            output.Line($"Added technician {technician.Id}: {technician.Name} <{technician.Email}>, {technician.Zone.Id}, {technician.State}, {technician.Hours}.");
        }

        return ExitCodes.Ok;
    }
}

/// <summary>Settings of <c>technician time-off</c>.</summary>
public sealed class TimeOffSettings : CommonSettings
{
    [CommandOption("--technician <ID|EMAIL>")]
    public string? Technician { get; init; }

    [CommandOption("--from <WHEN>")]
    [Description("A date (whole days) or date and time, in the technician's zone.")]
    public string? From { get; init; }

    [CommandOption("--until <WHEN>")]
    [Description("A date (inclusive, whole day) or date and time (exclusive).")]
    public string? Until { get; init; }

    [CommandOption("--reason <TEXT>")]
    public string? Reason { get; init; }

    [CommandOption("--reassign")]
    [Description("Give each booked appointment in the time off to another technician at the same time (all or nothing); the shops get updated invitations.")]
    public bool Reassign { get; init; }

    [CommandOption("--keep")]
    [Description("Record the time off and leave the booked appointments in it with this technician.")]
    public bool Keep { get; init; }
}

/// <summary><c>technician time-off</c>: refused while booked appointments fall into it, unless told to reassign or keep them.</summary>
public sealed class TimeOffCommand(TechnicianService technicians, TimeOffService timeOff, IOptions<SchedulerOptions> options, IClock clock, Output output) : SchedulerCommand<TimeOffSettings>
{
    protected override async Task<int> RunAsync(TimeOffSettings settings, CancellationToken cancellationToken)
    {
        var onCollision = (settings.Reassign, settings.Keep) switch
        {
            (true, true) => throw new InputException("--reassign and --keep exclude each other."),
            (true, false) => TimeOffCollisions.Reassign,
            (false, true) => TimeOffCollisions.Keep,
            _ => TimeOffCollisions.Refuse,
        };
        var technician = Require(await technicians.FindAsync(settings.Technician ?? throw new InputException("--technician is required."), cancellationToken).ConfigureAwait(false));

        var zone = technician.Zone;
        var now = clock.GetCurrentInstant();
        var horizon = options.Value.Horizon;
        var from = Require(Boundary(settings.From, zone, "--from", endOfDay: false, horizon, now));
        var until = Require(Boundary(settings.Until ?? settings.From, zone, settings.Until is null ? "--from" : "--until", endOfDay: true, horizon, now));
        if (until <= from)
        {
            throw new InputException($"--until: {Output.Local(until, zone)} is not after --from {Output.Local(from, zone)} ({zone.Id}).");
        }

        var reason = Require(UserText.Optional(settings.Reason, "--reason", 200));
        var outcome = await timeOff.RecordAsync(technician.Id, new Interval(from, until), reason, onCollision, Environment.UserName, cancellationToken).ConfigureAwait(false);
        if (!outcome.Succeeded)
        {
            throw new InputException(outcome.NeedsChoice
                ? $"{outcome.Refusal} Add --reassign to move them to other technicians at the same time, or --keep to leave them with {technician.Name}."
                : outcome.Refusal!);
        }

        if (settings.Json)
        {
            output.Json(new
            {
                id = outcome.TimeOffId,
                technician = technician.Id,
                from = Output.Iso(from),
                until = Output.Iso(until),
                kept = onCollision == TimeOffCollisions.Keep ? outcome.Collisions.Select(c => c.Appointment.Id) : [],
                reassigned = outcome.Reassigned.Select(r => new { id = r.Collision.Appointment.Id, technician = r.To.Id }),
            });
            return ExitCodes.Ok;
        }

        output.Line($"Time off {outcome.TimeOffId} for {technician.Name}: {Output.Local(from, zone)} – {Output.Local(until, zone)} ({zone.Id}).");
        if (onCollision == TimeOffCollisions.Keep && outcome.Collisions.Count > 0)
        {
            output.Line($"Kept {outcome.Collisions.Count} booked appointment(s) with {technician.Name} although they fall into the time off: {string.Join("; ", outcome.Collisions)}.");
        }

        foreach (var (collision, to) in outcome.Reassigned)
        {
            output.Line($"Reassigned appointment {collision} to technician {to.Id} {to.Name}; the shop gets an updated invitation.");
        }

        return ExitCodes.Ok;
    }

    /// <summary>A date means the day's start (or, for an end, the next day's start); a date and time means that moment.</summary>
    private static Result<Instant> Boundary(string? text, DateTimeZone zone, string field, bool endOfDay, BookingHorizon horizon, Instant now)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Result.Fail<Instant>($"{field} is required.");
        }

        // Checked against the horizon before the day after is computed: 9999-12-31 has none.
        var date = WallClock.ParseDate(text, field);
        if (date.IsSuccess)
        {
            var within = horizon.CheckDate(date.Value, now, zone, field, pastAllowed: true);
            return within.IsSuccess
                ? zone.AtStartOfDay(endOfDay ? within.Value.PlusDays(1) : within.Value).ToInstant()
                : Result.Fail<Instant>(within.Error!);
        }

        var moment = WallClock.Parse(text, zone, AmbiguityChoice.None, field);
        return moment.IsSuccess ? horizon.CheckInstant(moment.Value, now, zone, field, pastAllowed: true) : moment;
    }
}
