using System.ComponentModel;
using JoeCash.Scheduler.Storage;
using Spectre.Console;
using Spectre.Console.Cli;

namespace JoeCash.Scheduler.Cli;

/// <summary>Options of <c>copy-to-postgres</c>.</summary>
public sealed class CopySettings : CommonSettings
{
    [CommandOption("--target-env <NAME>")]
    [Description("The environment variable that holds the target's PostgreSQL connection string (it holds a password, so never on the command line). Default: JOECASH_COPY_TARGET.")]
    public string TargetEnvironment { get; init; } = "JOECASH_COPY_TARGET";
}

/// <summary><c>copy-to-postgres</c>: the SQLite file into an empty PostgreSQL database, each table proved by count and checksum.</summary>
public sealed class CopyToPostgresCommand(DatabaseCopy copy, Output output) : SchedulerCommand<CopySettings>
{
    protected override async Task<int> RunAsync(CopySettings settings, CancellationToken cancellationToken)
    {
        var target = Environment.GetEnvironmentVariable(settings.TargetEnvironment);
        if (string.IsNullOrWhiteSpace(target))
        {
            throw new InputException(
                $"Set {settings.TargetEnvironment} to the PostgreSQL connection string of the empty target database, e.g. "
                + $"{settings.TargetEnvironment}='Host=db.example;Database=joecash;Username=joecash;Password=…'.");
        }

        CopyReport report;
        try
        {
            report = await copy.CopyToPostgresAsync(target, cancellationToken).ConfigureAwait(false);
        }
        catch (CopyRefusedException e)
        {
            throw new InputException(e.Message);
        }
        catch (ArgumentException e)
        {
            throw new InputException($"{settings.TargetEnvironment} is not a valid PostgreSQL connection string: {e.Message}");
        }

        if (settings.Json)
        {
            output.Json(new
            {
                source = report.Source,
                target = report.Target,
                tables = report.Tables.Select(t => new { table = t.Table, rows = t.Rows, checksum = t.Checksum }),
                linkKeyCopied = report.LinkKeyCopied,
            });
            return ExitCodes.Ok;
        }

        var table = new Table().AddColumns("Table", "Rows", "Checksum (same in both)");
        foreach (var t in report.Tables)
        {
            table.AddRow(Markup.Escape(t.Table), $"{t.Rows:N0}", Markup.Escape(t.Checksum));
        }

        output.Table(table);
        output.Line($"Copied {report.Source} into the {report.Target}: {report.Tables.Sum(t => t.Rows):N0} rows in {report.Tables.Count} tables, each proved by count and checksum.");
        output.Line(report.LinkKeyCopied
            ? "The shops' link key came along: links already sent keep working."
            : "No shop-link key file beside the SQLite file (SelfService:LinkKey configured?): keep the same SelfService:LinkKey on the new nodes.");
        output.Line("Next: set Storage:Provider=PostgreSQL and Storage:ConnectionString on every node and start them.");
        return ExitCodes.Ok;
    }
}
