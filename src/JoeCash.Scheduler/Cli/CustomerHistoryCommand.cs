using System.ComponentModel;
using JoeCash.Scheduler.Booking;
using JoeCash.Scheduler.Configuration;
using JoeCash.Scheduler.Customers;
using JoeCash.Scheduler.Domain;
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

    [CommandOption("--before <ID>")]
    [Description("Older than this appointment (the next page: the last id shown).")]
    public long? Before { get; init; }
}

/// <summary>
/// <c>customer history</c>: a shop's appointments, booked and cancelled, newest first, a page at a time (a shop of a
/// big vendor has dozens a year).
/// </summary>
public sealed class CustomerHistoryCommand(CustomerService customers, AppointmentQueries appointments, IOptions<SchedulerOptions> options, Output output)
    : SchedulerCommand<CustomerHistorySettings>
{
    protected override async Task<int> RunAsync(CustomerHistorySettings settings, CancellationToken cancellationToken)
    {
        var zone = settings.ResolveZone(options.Value);
        var limit = Require(WholeNumber.Parse(settings.Limit, "--limit", 1, 1000, 20));
        var shop = Require(await customers.FindAsync(settings.Number, cancellationToken).ConfigureAwait(false));
        var page = await appointments.ShopHistoryAsync(shop.Id, settings.Before, limit, cancellationToken).ConfigureAwait(false);
        if (settings.Json)
        {
            output.Json(page.Appointments.Select(a => AppointmentRecord.From(a, zone)));
            return ExitCodes.Ok;
        }

        if (page.Appointments.Count == 0)
        {
            output.Line(settings.Before is null ? $"{shop.Number} has no appointments." : $"{shop.Number} has no appointments before {settings.Before}.");
            return ExitCodes.Ok;
        }

        var table = new Table().AddColumns("Id", $"When ({zone.Id})", "Type", "Technician", "Status", "Answer");
        foreach (var a in page.Appointments)
        {
            table.AddRow(a.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), Output.Local(a.Time, zone), Markup.Escape(a.TypeKey),
                a.TechnicianId.ToString(System.Globalization.CultureInfo.InvariantCulture), a.Status.ToString().ToLowerInvariant(), a.Response.Code());
        }

        output.Table(table);
        var more = page.HasMore ? $" Older ones: --before {page.Appointments[^1].Id}" : "";
        output.Line($"{page.Appointments.Count} appointment(s) of {shop.Number}, newest first.{more}");
        return ExitCodes.Ok;
    }
}
