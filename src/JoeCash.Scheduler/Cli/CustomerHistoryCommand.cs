using System.ComponentModel;
using JoeCash.Scheduler.Booking;
using JoeCash.Scheduler.Configuration;
using JoeCash.Scheduler.Customers;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Outcomes;
using Microsoft.Extensions.Options;
using Spectre.Console;
using Spectre.Console.Cli;

namespace JoeCash.Scheduler.Cli;

/// <summary>Settings of <c>customer history</c>.</summary>
public sealed class CustomerHistorySettings : TimeSettings
{
    [CommandArgument(0, "<NUMBER>")]
    [Description("The shop's customer number, e.g. K10001.")]
    public string Number { get; init; } = "";

    [CommandOption("--limit <N>")]
    [Description("How many appointments to show, 1 to 1000 (default 20).")]
    public string? Limit { get; init; }

    [CommandOption("--done")]
    [Description("Only the sessions that took place (outcome done), the latest first, with their minutes and note.")]
    public bool Done { get; init; }

    [CommandOption("--before <ID>")]
    [Description("Older than this appointment (the next page: the last id shown).")]
    public string? Before { get; init; }
}

/// <summary>
/// <c>customer history</c>: a shop's appointments, booked and cancelled, newest first, a page at a time (a shop of a
/// big vendor has dozens a year).
/// </summary>
public sealed class CustomerHistoryCommand(CustomerService customers, AppointmentQueries appointments, OutcomeQueries outcomes, IOptions<SchedulerOptions> options, Output output)
    : SchedulerCommand<CustomerHistorySettings>
{
    protected override async Task<int> RunAsync(CustomerHistorySettings settings, CancellationToken cancellationToken)
    {
        var zone = settings.ResolveZone(options.Value);
        var limit = Require(WholeNumber.Parse(settings.Limit, "--limit", 1, 1000, 20));
        long? before = settings.Before is null ? null : IdOf(settings.Before, "--before");
        var shop = Require(await customers.FindAsync(settings.Number, cancellationToken).ConfigureAwait(false));
        if (settings.Done && before is not null)
        {
            throw new InputException("--done and --before exclude each other: --done shows the latest --limit sessions that took place.");
        }

        IReadOnlyList<Appointment> shown;
        var more = "";
        if (settings.Done)
        {
            shown = [.. (await outcomes.DoneSessionsAsync(shop.Id, limit, cancellationToken).ConfigureAwait(false)).Select(i => i.Appointment)];
        }
        else
        {
            var page = await appointments.ShopHistoryAsync(shop.Id, before, limit, cancellationToken).ConfigureAwait(false);
            shown = page.Appointments;
            more = page.HasMore ? $" Older ones: --before {page.Appointments[^1].Id}" : "";
        }

        var recorded = await outcomes.OutcomesAsync(shown.Select(a => a.Id), cancellationToken).ConfigureAwait(false);
        if (settings.Json)
        {
            output.Json(shown.Select(a =>
            {
                var node = Output.Node(AppointmentRecord.From(a, zone));
                var o = recorded.GetValueOrDefault(a.Id);
                node["outcome"] = o?.Kind.Code();
                node["minutes"] = o?.Minutes;
                node["outcomeNote"] = o?.Note;
                node["followUp"] = o?.FollowUpId;
                return node;
            }).ToList());
            return ExitCodes.Ok;
        }

        if (shown.Count == 0)
        {
            output.Line(settings.Done ? $"{shop.Number} has no sessions that took place."
                : before is null ? $"{shop.Number} has no appointments." : $"{shop.Number} has no appointments before {before}.");
            return ExitCodes.Ok;
        }

        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        var table = new Table().AddColumns("Id", $"When ({zone.Id})", "Type", "Technician", "Status", "Answer", "Outcome", "Note");
        foreach (var a in shown)
        {
            var o = recorded.GetValueOrDefault(a.Id);
            var outcome = o?.Kind switch
            {
                null => "",
                OutcomeKind.Done => $"done, {o.Minutes.GetValueOrDefault().ToString(invariant)} min",
                OutcomeKind.NoShow => "no-show",
                _ => $"follow-up → {o.FollowUpId.GetValueOrDefault().ToString(invariant)}",
            };
            table.AddRow(a.Id.ToString(invariant), Output.Local(a.Time, zone), Markup.Escape(a.TypeKey),
                a.TechnicianId.ToString(invariant), a.Status.ToString().ToLowerInvariant(), a.Response.Code(), outcome,
                Markup.Escape(o?.Note is { } note ? UserText.Shown(note.ReplaceLineEndings(" "), 60) : ""));
        }

        output.Table(table);
        output.Line(settings.Done ? $"{shown.Count} session(s) of {shop.Number} that took place, newest first."
            : $"{shown.Count} appointment(s) of {shop.Number}, newest first.{more}");
        return ExitCodes.Ok;
    }
}
