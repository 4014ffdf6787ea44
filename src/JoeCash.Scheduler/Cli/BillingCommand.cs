using System.ComponentModel;
using JoeCash.Scheduler.Invoicing;
using Spectre.Console.Cli;

namespace JoeCash.Scheduler.Cli;

/// <summary>Settings of <c>billing export</c>.</summary>
public sealed class BillingExportSettings : CommonSettings
{
    [CommandOption("--month <YYYY-MM>")]
    [Description("The month, in Scheduler:TimeZone, e.g. 2026-12.")]
    public string? Month { get; init; }

    [CommandOption("--format <csv|json>")]
    [Description("csv (German Excel: UTF-8 with BOM, ';', dd.MM.yyyy, decimal comma; default) or json.")]
    public string? Format { get; init; }

    [CommandOption("--output <FILE>")]
    [Description("Where to write it (default abrechnung-YYYY-MM.csv/.json in the current folder).")]
    public string? Output { get; init; }

    [CommandOption("--stdout")]
    [Description("Write the file to standard output instead (for pipes).")]
    public bool Stdout { get; init; }

    [CommandOption("--by <NAME>")]
    [Description("Who exports (default: the user running the command); kept in the export's audit line.")]
    public string? By { get; init; }
}

/// <summary>
/// <c>billing export --month 2026-12</c>: every billable session done that month, as data for invoicing. Reads only;
/// leaves one audit line (who, when, which month, how many lines).
/// </summary>
public sealed class BillingExportCommand(BillingExport export, Output output) : SchedulerCommand<BillingExportSettings>
{
    protected override async Task<int> RunAsync(BillingExportSettings settings, CancellationToken cancellationToken)
    {
        var format = settings.Format?.Trim().ToLowerInvariant() switch
        {
            null or "csv" => BillingFormat.Csv,
            "json" => BillingFormat.Json,
            _ => throw new InputException($"--format: '{settings.Format}' is not a format; use csv or json."),
        };
        // Checked before anything is written: the month, and that the file's folder exists.
        Require(export.ParseMonth(settings.Month ?? throw new InputException("--month is required, e.g. --month 2026-12."), "--month"));
        var target = settings.Output;
        if (settings.Stdout && target is not null)
        {
            throw new InputException("--stdout and --output exclude each other.");
        }

        if (target is not null && Path.GetDirectoryName(Path.GetFullPath(target)) is { } folder && !Directory.Exists(folder))
        {
            throw new InputException($"--output: the folder '{folder}' does not exist.");
        }

        var file = Require(await export.ExportAsync(settings.Month, format, settings.By ?? Environment.UserName, cancellationToken).ConfigureAwait(false));
        if (settings.Stdout)
        {
            await using var stdout = Console.OpenStandardOutput();
            await stdout.WriteAsync(file.Content, cancellationToken).ConfigureAwait(false);
            return ExitCodes.Ok;
        }

        var path = Path.GetFullPath(target ?? file.FileName);
        await File.WriteAllBytesAsync(path, file.Content, cancellationToken).ConfigureAwait(false);
        if (settings.Json)
        {
            output.Json(new { month = file.Month, format = settings.Format ?? "csv", lines = file.Lines, file = path });
        }
        else
        {
            output.Line($"{file.Lines} billable session(s) of {file.Month} written to {path}.");
        }

        return ExitCodes.Ok;
    }
}
