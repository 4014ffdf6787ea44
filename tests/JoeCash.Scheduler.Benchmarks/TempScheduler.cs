using JoeCash.Scheduler.Hosting;
using JoeCash.Scheduler.Customers;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Storage;
using JoeCash.Scheduler.Technicians;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace JoeCash.Scheduler.Benchmarks;

/// <summary>
/// A migrated SQLite file in a fresh temp folder and the service's own DI container over it
/// (configuration from <c>config/appsettings.json</c>, so the appointment types are the shipped ones).
/// Disposing deletes the folder.
/// </summary>
/// <remarks>
/// The temp folder must be on a real disk: on tmpfs an fsync costs nothing and the durability figures
/// mean nothing. Set TMPDIR to move it.
/// </remarks>
public sealed class TempScheduler : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private TempScheduler(string folder, ServiceProvider services)
    {
        Folder = folder;
        _services = services;
    }

    public string Folder { get; }

    public Database Database => Get<Database>();

    /// <summary>A migrated file in a new temp folder; <paramref name="overrides"/> add to or replace configuration keys ("Mail:Smtp:Host").</summary>
    public static async Task<TempScheduler> CreateAsync(IDictionary<string, string?>? overrides = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"joecash-bench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var settings = new Dictionary<string, string?>
        {
            ["Storage:Path"] = Path.Combine(folder, "scheduler.db"),
            ["Mail:PickupDirectory"] = Path.Combine(folder, "pickup"),
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var configuration = SchedulerServices.BuildConfiguration(settings);
        // No logging provider: the CLI logs only warnings anyway, and console output would measure the terminal.
        var services = new ServiceCollection().AddLogging().AddSchedulerCore(configuration).BuildServiceProvider(validateScopes: true);
        var scheduler = new TempScheduler(folder, services);
        try
        {
            await scheduler.Get<Migrator>().MigrateAsync();
            return scheduler;
        }
        catch
        {
            await scheduler.DisposeAsync();
            throw;
        }
    }

    public T Get<T>()
        where T : notnull => _services.GetRequiredService<T>();

    /// <summary>Inserts technicians and shops in one transaction; returns both as stored (with ids), in insertion order.</summary>
    public async Task<(IReadOnlyList<Technician> Technicians, IReadOnlyList<Customer> Customers)> SeedAsync(IEnumerable<NewTechnician> technicians, int customers)
    {
        var now = Get<IClock>().GetCurrentInstant();
        await using var connection = await Database.OpenAsync();
        await using (var writing = await Database.BeginWriteAsync(connection).ConfigureAwait(false))
        {
            var transaction = writing.Transaction;
            foreach (var technician in technicians)
            {
                await connection.InsertTechnicianAsync(technician, now, transaction);
            }

            // Passing the (none) older lower-case numbers makes each new shop one index lookup, not a scan of those before it.
            var olderNumbers = await connection.OlderNumbersAsync(transaction);
            for (var i = 0; i < customers; i++)
            {
                var shop = CustomerInput.Create(
                    CustomerNumber(i), $"Shop {i}", "Filiale", "Berlin", "BE", $"Contact {i}", $"shop{i}@shop.test",
                    "+49 30 1234567", $"{100_000_000 + i}", "de", "ja", "Mo-Fr 08:00-18:00").Value;
                var saved = await connection.SaveCustomerAsync(shop, now, write: true, transaction, olderNumbers);
                if (!saved.IsSuccess)
                {
                    throw new InvalidOperationException(saved.Error);
                }
            }

            await transaction.CommitAsync();
        }

        return (await connection.ListTechniciansAsync(), await connection.ListCustomersAsync());
    }

    /// <summary>The customer number <see cref="SeedAsync"/> gives the shop with index <paramref name="index"/>.</summary>
    public static string CustomerNumber(int index) => $"K{20_000 + index}";

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        // Pooled connections keep the file and its -wal/-shm open.
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(Folder))
        {
            Directory.Delete(Folder, recursive: true);
        }
    }
}
