using Dapper;
using JoeCash.Scheduler.Demo;
using JoeCash.Scheduler.Scheduling;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using JoeCash.Scheduler.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace JoeCash.Scheduler.Hosting;

/// <summary>Brings the schema up to date (and, when asked, the demo data) before any other part of the service starts.</summary>
public sealed class MigrationService(Migrator migrator, DemoData demo, ServeSettings settings, IConfiguration configuration, ILogger<MigrationService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var applied = await migrator.MigrateAsync(cancellationToken).ConfigureAwait(false);
        await PrepareQuartzFileAsync(SchedulingServices.QuartzFile(configuration), cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Schema up to date ({Applied} migration(s) applied now)", applied.Count);
        if (settings.Demo)
        {
            var summary = await demo.EnsureAsync(cancellationToken).ConfigureAwait(false);
            logger.LogInformation("Demo data: {Technicians} technicians, {Customers} shops, {Appointments} appointments", summary.Technicians, summary.Customers, summary.Appointments);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>WAL for Quartz's file too (stored in the file; Quartz itself never sets it).</summary>
    private static async Task PrepareQuartzFileAsync(string path, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path }.ToString());
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync("PRAGMA journal_mode = WAL;").ConfigureAwait(false);
    }
}
