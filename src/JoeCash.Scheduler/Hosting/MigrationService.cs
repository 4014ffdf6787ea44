using JoeCash.Scheduler.Demo;
using JoeCash.Scheduler.Mail;
using JoeCash.Scheduler.Scheduling;
using JoeCash.Scheduler.Staff;
using JoeCash.Scheduler.Storage;
using JoeCash.Scheduler.Web;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace JoeCash.Scheduler.Hosting;

/// <summary>
/// Before any other part of the service starts: the templates checked, the schema up to date, messages a crash interrupted
/// back in the queue, Quartz's file in WAL mode, and (when asked) the demo data.
/// </summary>
public sealed class MigrationService(
    Migrator migrator,
    Database database,
    TemplateCatalog templates,
    Outbox outbox,
    DemoData demo,
    DemoStaff demoStaff,
    StaffService staff,
    WebSignInHint signInHint,
    ServeSettings settings,
    IConfiguration configuration,
    ILogger<MigrationService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // The templates were checked before this service was built, not when the first email goes out: resolving the
        // catalog waited for the load ServiceHost started ahead (LoadTemplatesAhead), and a broken one stopped the start.
        logger.LogInformation("Mail templates checked in {Directory}", templates.Directory);
        var applied = await migrator.MigrateAsync(cancellationToken).ConfigureAwait(false);
        await database.PrepareQuartzStoreAsync(SchedulingServices.QuartzFile(configuration), cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Schema up to date ({Applied} migration(s) applied now)", applied.Count);
        var requeued = await outbox.RequeueInterruptedAsync(cancellationToken).ConfigureAwait(false);
        if (requeued > 0)
        {
            logger.LogWarning("Requeued {Count} message(s) that were being sent when the service last stopped; the one in flight may arrive twice", requeued);
        }

        if (settings.Demo)
        {
            var summary = await demo.EnsureAsync(cancellationToken).ConfigureAwait(false);
            logger.LogInformation("Demo data: {Technicians} technicians, {Customers} shops, {Appointments} appointments", summary.Technicians, summary.Customers, summary.Appointments);
            var accounts = await demoStaff.EnsureAsync(cancellationToken).ConfigureAwait(false);
            signInHint.Lines =
            [
                $"Demo sign-in: dispatcher {accounts.Dispatcher}; technicians {string.Join(", ", accounts.Technicians)}",
                $"Demo password for these accounts (a new one on every demo start): {accounts.Password}",
            ];
        }
        else if (await staff.CountAsync(cancellationToken).ConfigureAwait(false) == 0)
        {
            signInHint.Lines = [signInHint.NoAccountYet];
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
