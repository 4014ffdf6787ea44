using System.ComponentModel;
using JoeCash.Scheduler.Booking;
using JoeCash.Scheduler.Domain;
using NodaTime;
using Spectre.Console;
using Spectre.Console.Cli;

namespace JoeCash.Scheduler.Cli;

/// <summary>Settings of <c>slots</c>.</summary>
public sealed class SlotsSettings : TimeSettings
{
    [CommandOption("--type <KEY>")]
    public string? Type { get; init; }

    [CommandOption("--technician <ID|EMAIL|any>")]
    [Description("One technician, or 'any' (default): the least booked first.")]
    public string? Technician { get; init; }

    [CommandOption("--customer <NUMBER>")]
    [Description("Leave out times when this shop's till is already booked, and rank the rest by its opening hours: closed first.")]
    public string? Customer { get; init; }

    [CommandOption("--closed-only")]
    [Description("With --customer: only times when the shop is closed.")]
    public bool ClosedOnly { get; init; }

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
public sealed class SlotsCommand(Availability availability, ShopSlotRanking ranking, IClock clock, Output output) : SchedulerCommand<SlotsSettings>
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

        // A range running past the horizon stops at its latest start (and says so below).
        var latest = horizon.LatestStart(now);
        var end = zone.AtStartOfDay(from.PlusDays(days)).ToInstant();
        var clamped = end > latest;
        var range = new Interval(zone.AtStartOfDay(from).ToInstant(), clamped ? latest : end);
        var search = new SlotSearch(settings.Type ?? throw new InputException("--type is required."), settings.Technician, range, settings.Customer);
        var horizonNote = clamped ? $" The booking horizon of {horizon.Shown} ends the search at {Output.Local(latest, zone)}." : "";
        if (settings.Customer is not null)
        {
            return await RankedAsync(search, settings, zone, from, days, limit, horizonNote, cancellationToken).ConfigureAwait(false);
        }

        if (settings.ClosedOnly)
        {
            throw new InputException("--closed-only needs --customer: the opening hours are the shop's.");
        }

        var found = Require(await availability.SearchAsync(search, cancellationToken).ConfigureAwait(false));
        var slots = found.Slots;
        // For "any technician" one line per start, with the technician a booking for "any" would get (all the search keeps).
        var shown = slots.Take(limit).ToArray();
        if (settings.Json)
        {
            output.Json(shown.Select(s => SlotRecord.From(s, zone)));
            return ExitCodes.Ok;
        }

        if (shown.Length == 0)
        {
            output.Line($"No free slots from {from} for {days} day(s).{horizonNote}");
            return ExitCodes.Ok;
        }

        var table = new Table().AddColumns($"Start ({zone.Id})", "End", "Technician");
        foreach (var slot in shown)
        {
            var time = LocalTimeRange.In(slot.Start, slot.End, zone);
            table.AddRow($"{Output.Day(slot.Start, zone)} {time.StartText(Language.En)}", time.EndText(Language.En), Markup.Escape($"{slot.TechnicianId} {found.TechnicianNames[slot.TechnicianId]}"));
        }

        output.Table(table);
        output.Line($"{shown.Length} of {slots.Count} free start(s).{horizonNote}");
        return ExitCodes.Ok;
    }

    /// <summary>For one shop: the starts that disturb its business least first, each with how it fits the opening hours.</summary>
    private async Task<int> RankedAsync(SlotSearch search, SlotsSettings settings, DateTimeZone zone, LocalDate from, int days, int limit, string horizonNote, CancellationToken cancellationToken)
    {
        var found = Require(await ranking.SearchAsync(search, settings.ClosedOnly, Language.En, cancellationToken).ConfigureAwait(false));
        var shown = found.Slots.Take(limit).ToArray();
        if (settings.Json)
        {
            output.Json(shown.Select(s => RankedSlotRecord.From(s, zone)));
            return ExitCodes.Ok;
        }

        var hoursNote = found.HoursKnown ? " Ranked by the shop's opening hours: closed first." : " The shop's opening hours are not on file: not ranked.";
        if (shown.Length == 0)
        {
            var what = settings.ClosedOnly ? "while the shop is closed " : "";
            output.Line($"No free slots {what}from {from} for {days} day(s).{horizonNote}");
            return ExitCodes.Ok;
        }

        var table = new Table().AddColumns($"Start ({zone.Id})", "End", "Technician", "Shop hours");
        foreach (var ranked in shown)
        {
            var slot = ranked.Slot;
            var time = LocalTimeRange.In(slot.Start, slot.End, zone);
            table.AddRow($"{Output.Day(slot.Start, zone)} {time.StartText(Language.En)}", time.EndText(Language.En),
                Markup.Escape($"{slot.TechnicianId} {found.TechnicianNames[slot.TechnicianId]}"), Markup.Escape(ranked.Label));
        }

        output.Table(table);
        output.Line($"{shown.Length} of {found.Slots.Count} free start(s).{hoursNote}{horizonNote}");
        return ExitCodes.Ok;
    }
}
