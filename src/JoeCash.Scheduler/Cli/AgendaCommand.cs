using System.ComponentModel;
using System.Globalization;
using JoeCash.Scheduler.Agenda;
using JoeCash.Scheduler.Configuration;
using JoeCash.Scheduler.Domain;
using Microsoft.Extensions.Options;
using NodaTime;
using Spectre.Console;
using Spectre.Console.Cli;

namespace JoeCash.Scheduler.Cli;

/// <summary>Settings of <c>agenda</c>.</summary>
public sealed class AgendaSettings : CommonSettings
{
    [CommandOption("--technician <ID|EMAIL>")]
    public string? Technician { get; init; }

    [CommandOption("--date <DATE>")]
    [Description("The day, in the technician's zone (default today there).")]
    public string? Date { get; init; }

    [CommandOption("--email")]
    [Description("Print the morning email's text instead of the table.")]
    public bool Email { get; init; }
}

/// <summary><c>agenda</c>: one technician's day in their zone.</summary>
public sealed class AgendaCommand(AgendaBuilder builder, AgendaMailer mailer, IOptions<SchedulerOptions> options, IClock clock, Output output) : SchedulerCommand<AgendaSettings>
{
    protected override async Task<int> RunAsync(AgendaSettings settings, CancellationToken cancellationToken)
    {
        var technician = Require(await builder.FindTechnicianAsync(settings.Technician ?? throw new InputException("--technician is required."), cancellationToken).ConfigureAwait(false));

        var now = clock.GetCurrentInstant();
        var day = settings.Date is null
            ? now.InZone(technician.Zone).Date
            : Require(options.Value.Horizon.CheckDate(Require(WallClock.ParseDate(settings.Date, "--date")), now, technician.Zone, "--date", pastAllowed: true));
        var agenda = await builder.BuildAsync(technician, day, cancellationToken).ConfigureAwait(false);
        if (settings.Email)
        {
            output.Line(mailer.Text(agenda));
            return ExitCodes.Ok;
        }

        if (settings.Json)
        {
            output.Json(AgendaRecord.From(agenda));
            return ExitCodes.Ok;
        }

        output.Line($"{technician.Name} — {day.ToString("dddd, yyyy-MM-dd", CultureInfo.InvariantCulture)} ({technician.Zone.Id})");
        if (agenda.Entries.Count == 0)
        {
            output.Line("No appointments.");
            return ExitCodes.Ok;
        }

        var table = new Table().AddColumns("Time", "Shop", "Contact", "RustDesk ID", "Type", "Notes", "Shop's answer");
        foreach (var e in agenda.Entries)
        {
            var rustDesk = e.Readiness switch
            {
                RustDeskReadiness.NoId => "[red]NOT READY: no ID on file — ask the shop[/]",
                RustDeskReadiness.Confirmed => Markup.Escape($"{e.RustDesk!.Value.Display} (confirmed)"),
                _ => Markup.Escape(e.RustDesk!.Value.Display),
            };
            var answer = e.Appointment.RespondedAt is null ? e.Appointment.Response.Code()
                : Markup.Escape($"{e.Appointment.Response.Code()} {e.AnsweredAt(technician.Zone)}\n{e.Appointment.RespondedBy}");
            if (e.Appointment.Response == ResponseStatus.Declined)
            {
                answer = $"[red]{answer}[/]";
            }

            table.AddRow(
                e.ShopTime is { } shop ? $"{e.Time.Compact(Language.En)}\nshop: {shop.Sentence(Language.En)}" : e.Time.Compact(Language.En),
                Markup.Escape($"{e.Customer.DisplayName} ({e.Customer.Number})"),
                Markup.Escape($"{e.Customer.ContactName}, {e.Customer.Phone}"),
                rustDesk,
                Markup.Escape(e.Type.Key) + (Billing.IsBillable(e.Type, e.Customer) ? " [yellow](billable)[/]" : ""),
                Markup.Escape(e.Appointment.Notes ?? ""),
                answer);
        }

        output.Table(table);
        return ExitCodes.Ok;
    }
}
