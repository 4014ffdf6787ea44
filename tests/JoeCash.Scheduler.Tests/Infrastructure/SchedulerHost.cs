using JoeCash.Scheduler.Booking;
using JoeCash.Scheduler.Configuration;
using JoeCash.Scheduler.Hosting;
using JoeCash.Scheduler.Customers;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Holidays;
using JoeCash.Scheduler.Storage;
using JoeCash.Scheduler.Technicians;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NodaTime;

namespace JoeCash.Scheduler.Tests.Infrastructure;

/// <summary>
/// The application's services over a real, freshly migrated database — an SQLite file in a temp folder, or a
/// database of its own on the test run's PostgreSQL server — the same composition the command line uses, with
/// the real clock.
/// </summary>
public sealed class SchedulerHost : IAsyncDisposable
{
    private static readonly DateTimeZone Berlin = DateTimeZoneProviders.Tzdb["Europe/Berlin"];
    private static readonly GermanHolidayCalendar Holidays = new();

    private readonly TempDirectory _directory = new();
    private readonly ServiceProvider _services;
    private readonly TestPostgres? _postgres;

    private SchedulerHost(IDictionary<string, string?>? overrides, IClock? clock, TestPostgres? postgres)
    {
        _postgres = postgres;
        var settings = new Dictionary<string, string?>
        {
            ["Storage:Path"] = _directory.File("scheduler.db"),
            ["Mail:PickupDirectory"] = _directory.File("pickup"),
        };
        if (postgres is not null)
        {
            settings["Storage:Provider"] = nameof(StorageProvider.PostgreSQL);
            settings["Storage:ConnectionString"] = postgres.ConnectionString;
        }

        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        StorageSettings = settings.Where(kv => kv.Key.StartsWith("Storage:", StringComparison.Ordinal)).ToDictionary();
        var configuration = SchedulerServices.BuildConfiguration(settings);
        var services = new ServiceCollection()
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Warning))
            .AddSchedulerCore(configuration);
        if (clock is not null)
        {
            services.AddSingleton(clock);
        }

        _services = services.BuildServiceProvider();
    }

    public string DatabasePath => Database.FilePath;

    /// <summary>The settings that point another host at this host's database (the SQLite file, or the PostgreSQL database).</summary>
    public IReadOnlyDictionary<string, string?> StorageSettings { get; }

    public Database Database => Get<Database>();

    public BookingService Booking => Get<BookingService>();

    public Availability Availability => Get<Availability>();

    public IClock Clock => Get<IClock>();

    public T Get<T>()
        where T : notnull => _services.GetRequiredService<T>();

    /// <summary>A host over a fresh database of <paramref name="provider"/>; pass a FakeClock to move time by hand.</summary>
    public static async Task<SchedulerHost> StartAsync(IDictionary<string, string?>? overrides = null, IClock? clock = null, StorageProvider provider = StorageProvider.Sqlite)
    {
        var postgres = provider == StorageProvider.PostgreSQL ? await TestPostgres.CreateAsync() : null;
        var host = new SchedulerHost(overrides, clock, postgres);
        await host.Get<Migrator>().MigrateAsync();
        return host;
    }

    /// <summary>
    /// A host whose SQLite file does not exist yet and has never been opened: what a first start meets. (Deleting a
    /// migrated file under a host instead leaves its -wal and -shm behind, and the pooled connections that still hold
    /// the deleted file unlink them by name when they close, under whoever opened the new file meanwhile.)
    /// </summary>
    public static SchedulerHost WithoutDatabase(IDictionary<string, string?>? overrides = null) => new(overrides, clock: null, postgres: null);

    /// <summary>Adds a technician (Mon–Fri 08:00–17:00 Berlin, every type) and returns its id.</summary>
    public async Task<long> AddTechnicianAsync(string name, FederalState state = FederalState.BY, string hours = "Mon-Fri 08:00-17:00", int? cap = null, string zone = "Europe/Berlin")
    {
        await using var connection = await Database.OpenAsync();
        var email = $"{name.ToLowerInvariant().Replace(' ', '.')}@joecash.test";
        var types = Get<AppointmentTypeCatalog>().All.Select(t => t.Key).ToArray();
        return await connection.InsertTechnicianAsync(
            new NewTechnician(name, email, DateTimeZoneProviders.Tzdb[zone], state, WeeklyHours.Parse(hours).Value, types, cap), Clock.GetCurrentInstant());
    }

    public async Task AddCustomerAsync(string number, string language = "de", string rustDesk = "732 901 938", string? email = null, bool contract = true)
    {
        await using var connection = await Database.OpenAsync();
        var input = CustomerInput.Create(number, $"Shop {number}", "Filiale", "München", "BY", "Erika Muster", email ?? $"{number.ToLowerInvariant()}@shop.test",
            "+49 89 123456", rustDesk, language, contract ? "ja" : "nein", null).Value;
        await connection.UpsertCustomerAsync(input, Clock.GetCurrentInstant());
    }

    /// <summary>A weekday at least two weeks ahead at the given local time in Europe/Berlin, clear of DST changes and holidays.</summary>
    public Instant NextWorkingDayAt(int hour, int minute = 0, int weeksAhead = 3)
    {
        var day = Clock.GetCurrentInstant().InZone(Berlin).Date.PlusWeeks(weeksAhead);
        while (day.DayOfWeek != IsoDayOfWeek.Tuesday || IsHoliday(day))
        {
            day = day.PlusDays(1);
        }

        return Berlin.AtStrictly(day.At(new LocalTime(hour, minute))).ToInstant();
    }

    /// <summary>
    /// The same Berlin wall-clock time <paramref name="workingDays"/> working days later (Monday to Friday, no
    /// holiday in Bavaria or Berlin): a test that moves an appointment "to the next day" must not land on
    /// Epiphany or a weekend when the calendar happens to put it there.
    /// </summary>
    public static Instant WorkingDaysAfter(Instant start, int workingDays)
    {
        var local = start.InZone(Berlin).LocalDateTime;
        var day = local.Date;
        for (var left = workingDays; left > 0;)
        {
            day = day.PlusDays(1);
            if (day.DayOfWeek is not (IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday) && !IsHoliday(day))
            {
                left--;
            }
        }

        return Berlin.AtStrictly(day.At(local.TimeOfDay)).ToInstant();
    }

    /// <summary>A public holiday in Bavaria or Berlin, the states of the tests' shops and technicians: no slot then.</summary>
    private static bool IsHoliday(LocalDate day) => Holidays.IsHoliday(FederalState.BY, day) || Holidays.IsHoliday(FederalState.BE, day);

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }

        _directory.Dispose();
    }
}
