using System.ComponentModel;
using Dapper;
using JoeCash.Scheduler.Configuration;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Storage;
using JoeCash.Scheduler.Technicians;
using Microsoft.Extensions.Options;
using NodaTime;
using Spectre.Console;
using Spectre.Console.Cli;

namespace JoeCash.Scheduler.Cli;

/// <summary><c>technician list</c>.</summary>
public sealed class TechnicianListCommand(Database database, Output output) : SchedulerCommand<CommonSettings>
{
    protected override async Task<int> RunAsync(CommonSettings settings, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var technicians = await connection.ListTechniciansAsync().ConfigureAwait(false);
        if (settings.Json)
        {
            output.Json(technicians.Select(t => new
            {
                id = t.Id,
                name = t.Name,
                email = t.Email,
                timeZone = t.Zone.Id,
                federalState = t.State.ToString(),
                hours = t.Hours.ToString(),
                types = t.AppointmentTypes.Order(StringComparer.Ordinal),
                dailyCap = t.DailyCap,
                active = t.Active,
            }));
            return ExitCodes.Ok;
        }

        var table = new Table().AddColumns("Id", "Name", "Email", "Zone", "State", "Hours", "Types", "Cap");
        foreach (var t in technicians)
        {
            table.AddRow($"{t.Id}", Markup.Escape(t.Name), Markup.Escape(t.Email), t.Zone.Id, $"{t.State}", Markup.Escape(t.Hours.ToString()),
                Markup.Escape(string.Join(", ", t.AppointmentTypes.Order(StringComparer.Ordinal))), t.DailyCap?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "–");
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
    public int? DailyCap { get; init; }
}

/// <summary><c>technician add</c>.</summary>
public sealed class TechnicianAddCommand(Database database, AppointmentTypeCatalog types, IOptions<SchedulerOptions> options, IClock clock, Output output)
    : SchedulerCommand<TechnicianAddSettings>
{
    protected override async Task<int> RunAsync(TechnicianAddSettings settings, CancellationToken cancellationToken)
    {
        var technician = Require(Parse(settings));
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = Database.BeginWrite(connection);
        if (await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM technicians WHERE email = @Email", technician, transaction).ConfigureAwait(false) > 0)
        {
            throw new InputException($"--email: a technician with {technician.Email} already exists.");
        }

        var id = await connection.InsertTechnicianAsync(technician, clock.GetCurrentInstant(), transaction).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        if (settings.Json)
        {
            output.Json(new { id, technician.Name, technician.Email });
        }
        else
        {
            output.Line($"Added technician {id}: {technician.Name} <{technician.Email}>, {technician.Zone.Id}, {technician.State}, {technician.Hours}.");
        }

        return ExitCodes.Ok;
    }

    private Result<NewTechnician> Parse(TechnicianAddSettings s)
    {
        var name = UserText.Required(s.Name, "--name", 100);
        var email = UserText.Email(s.Email, "--email");
        var zoneId = string.IsNullOrWhiteSpace(s.Zone) ? options.Value.TimeZone : s.Zone.Trim();
        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(zoneId);
        var state = FederalStates.Parse(s.State, "--state");
        var hours = s.Hours is null ? WeeklyHours.OfficeHours : WeeklyHours.Parse(s.Hours, "--hours");
        var typeKeys = string.IsNullOrWhiteSpace(s.Types)
            ? types.All.Select(t => t.Key).ToArray()
            : s.Types.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var unknownType = typeKeys.Select(k => types.Find(k, "--types")).FirstOrDefault(r => !r.IsSuccess);
        var error = name.Error ?? email.Error ?? (zone is null ? $"--zone: '{zoneId}' is not an IANA time zone id (e.g. Europe/Berlin)." : null)
            ?? state.Error ?? hours.Error ?? unknownType.Error
            ?? (s.DailyCap is <= 0 ? "--daily-cap must be at least 1." : null);
        return error is not null
            ? Result.Fail<NewTechnician>(error)
            : new NewTechnician(name.Value, email.Value, zone!, state.Value, hours.Value,
                [.. typeKeys.Select(k => types.Find(k).Value.Key)], s.DailyCap);
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
}

/// <summary><c>technician time-off</c>.</summary>
public sealed class TimeOffCommand(Database database, Output output) : SchedulerCommand<TimeOffSettings>
{
    protected override async Task<int> RunAsync(TimeOffSettings settings, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var technician = Require(await connection.FindTechnicianAsync(settings.Technician ?? throw new InputException("--technician is required.")).ConfigureAwait(false));
        var zone = technician.Zone;
        var from = Require(Boundary(settings.From, zone, "--from", endOfDay: false));
        var until = Require(Boundary(settings.Until ?? settings.From, zone, "--until", endOfDay: true));
        if (until <= from)
        {
            throw new InputException("--until must be after --from.");
        }

        var reason = Require(UserText.Optional(settings.Reason, "--reason", 200));
        await using var transaction = Database.BeginWrite(connection);
        var id = await connection.InsertTimeOffAsync(technician.Id, new Interval(from, until), reason, transaction).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        if (settings.Json)
        {
            output.Json(new { id, technician = technician.Id, from = Output.Iso(from), until = Output.Iso(until) });
        }
        else
        {
            output.Line($"Time off {id} for {technician.Name}: {Output.Local(from, zone)} – {Output.Local(until, zone)} ({zone.Id}).");
        }

        return ExitCodes.Ok;
    }

    /// <summary>A date means the day's start (or, for an end, the next day's start); a date and time means that moment.</summary>
    private static Result<Instant> Boundary(string? text, DateTimeZone zone, string field, bool endOfDay)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Result.Fail<Instant>($"{field} is required.");
        }

        var date = WallClock.ParseDate(text, field);
        return date.IsSuccess
            ? zone.AtStartOfDay(endOfDay ? date.Value.PlusDays(1) : date.Value).ToInstant()
            : WallClock.Parse(text, zone, AmbiguityChoice.None, field);
    }
}
