using JoeCash.Scheduler.Configuration;
using JoeCash.Scheduler.Demo;
using JoeCash.Scheduler.Storage;
using Spectre.Console;

namespace JoeCash.Scheduler.Cli;

/// <summary><c>migrate</c>: create or update the schema.</summary>
public sealed class MigrateCommand(Migrator migrator, Database database, Output output) : SchedulerCommand<CommonSettings>
{
    protected override async Task<int> RunAsync(CommonSettings settings, CancellationToken cancellationToken)
    {
        var applied = await migrator.MigrateAsync(cancellationToken).ConfigureAwait(false);
        var all = await migrator.AppliedAsync(cancellationToken).ConfigureAwait(false);
        if (settings.Json)
        {
            output.Json(new { database = database.Name, applied, current = all.Count > 0 ? all[^1] : 0 });
        }
        else
        {
            output.Line(applied.Count == 0
                ? $"{database.Name} is up to date (schema version {all[^1]})."
                : $"{database.Name}: applied {string.Join(", ", applied)}; schema version {all[^1]}.");
        }

        return ExitCodes.Ok;
    }
}

/// <summary><c>types</c>: the configured appointment types.</summary>
public sealed class TypesCommand(AppointmentTypeCatalog types, Output output) : SchedulerCommand<CommonSettings>
{
    protected override Task<int> RunAsync(CommonSettings settings, CancellationToken cancellationToken)
    {
        if (settings.Json)
        {
            output.Json(types.All.Select(t => new
            {
                key = t.Key,
                titleDe = t.TitleDe,
                titleEn = t.TitleEn,
                durationMinutes = (int)t.Duration.TotalMinutes,
                bufferBeforeMinutes = (int)t.BufferBefore.TotalMinutes,
                bufferAfterMinutes = (int)t.BufferAfter.TotalMinutes,
                billable = t.Billable,
                costNoticeDe = t.CostNoticeDe,
                costNoticeEn = t.CostNoticeEn,
            }));
            return Task.FromResult(ExitCodes.Ok);
        }

        var table = new Table().AddColumns("Key", "Title", "Minutes", "Buffers", "Billable");
        foreach (var t in types.All)
        {
            table.AddRow(
                Markup.Escape(t.Key),
                Markup.Escape(t.TitleDe),
                $"{t.Duration.TotalMinutes:0}",
                $"{t.BufferBefore.TotalMinutes:0} / {t.BufferAfter.TotalMinutes:0}",
                t.Billable ? "[yellow]yes — billable extra[/]" : "no — covered by contract");
        }

        output.Table(table);
        return Task.FromResult(ExitCodes.Ok);
    }
}

/// <summary><c>demo</c>: demo technicians, shops and a few appointments.</summary>
public sealed class DemoCommand(Migrator migrator, DemoData demo, Mail.OutboxDispatcher dispatcher, Mail.IMailTransport transport, Output output) : SchedulerCommand<CommonSettings>
{
    protected override async Task<int> RunAsync(CommonSettings settings, CancellationToken cancellationToken)
    {
        await migrator.MigrateAsync(cancellationToken).ConfigureAwait(false);
        var summary = await demo.EnsureAsync(cancellationToken).ConfigureAwait(false);
        var mail = await dispatcher.DispatchDueAsync(cancellationToken).ConfigureAwait(false);
        if (settings.Json)
        {
            output.Json(summary);
        }
        else
        {
            output.Line($"Demo data ready: {summary.Technicians} technicians, {summary.Customers} shops, {summary.BookedNow} appointments booked now ({summary.Appointments} in all).");
            output.Line(transport is Mail.PickupDirectoryTransport pickup
                ? $"{mail.Sent} invitation(s) written to {pickup.Directory} (open the .eml files in any mail client)."
                : $"{mail.Sent} invitation(s) sent.");
            if (summary.FirstTechnician is { } technician)
            {
                output.Line($"The first one: joecash-scheduler agenda --technician {technician} --date {summary.FirstDay}");
            }
        }

        return ExitCodes.Ok;
    }
}
