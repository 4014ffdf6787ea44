using System.Buffers.Text;
using Dapper;
using JoeCash.Scheduler.Booking;
using JoeCash.Scheduler.Demo;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Holidays;
using JoeCash.Scheduler.ShopLinks;
using JoeCash.Scheduler.Storage;
using JoeCash.Scheduler.Tests.Infrastructure;
using NodaTime;

namespace JoeCash.Scheduler.Tests.Postgres;

/// <summary>
/// Moving up: a realistic SQLite installation (the demo plus 10,000 appointments booked through the booking service)
/// copied into an empty PostgreSQL database, proved table by table, and then served from there.
/// </summary>
public sealed class DatabaseCopyTests
{
    private const int Appointments = 10_000;
    private const int Technicians = 8;
    private const int Shops = 200;

    [Fact]
    public async Task CopyToPostgres_DemoPlusTenThousandAppointments_ProvedAndThenServed()
    {
        await using var sqlite = await SchedulerHost.StartAsync();
        await sqlite.Get<DemoData>().EnsureAsync();
        await BookManyAsync(sqlite);
        var sourceCounts = await CountsAsync(sqlite.Database);
        var (linkSeed, linkAppointment) = await AnyShopLinkAsync(sqlite.Database);
        var tokenBefore = TokenOf(sqlite.Get<ShopLinkService>().Url(linkSeed));
        await using var target = await TestPostgres.CreateAsync();

        var report = await sqlite.Get<DatabaseCopy>().CopyToPostgresAsync(target.ConnectionString);

        // Every table of the file, with the file's row count, and a checksum both databases agreed on.
        Assert.Equal(sourceCounts.Keys.Order(), report.Tables.Select(t => t.Table).Order());
        Assert.All(report.Tables, t =>
        {
            Assert.Equal(sourceCounts[t.Table], t.Rows);
            Assert.Matches("^sha256:[0-9a-f]{64}$", t.Checksum);
        });
        Assert.True(report.Tables.Single(t => t.Table == "appointments").Rows >= Appointments);
        Assert.True(report.LinkKeyCopied);

        // Served from PostgreSQL: the same appointments (UIDs, sequences, versions), links already sent still open
        // their page, and new rows continue after the copied ids.
        await using var served = await SchedulerHost.StartAsync(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "PostgreSQL",
            ["Storage:ConnectionString"] = target.ConnectionString,
        });
        Assert.Equal(StorageProvider.PostgreSQL, served.Database.Provider);
        Assert.Equal(sourceCounts, await CountsAsync(served.Database));
        Assert.Equal(await AppointmentsAsync(sqlite.Database), await AppointmentsAsync(served.Database));
        var link = await served.Get<ShopLinkService>().FindAsync(tokenBefore);
        Assert.Equal(linkAppointment, link?.AppointmentId);
        var booked = await served.Booking.BookAsync(new BookingRequest("C001", "fault", null, served.NextWorkingDayAt(16, weeksAhead: 50), null, false, "after-the-move"));
        Assert.True(booked.Succeeded, booked.Refusal?.Message);
        Assert.True(booked.Appointment!.Id > sourceCounts["appointments"]);

        // A second copy into the same database is refused, and changes nothing.
        var again = await Assert.ThrowsAsync<CopyRefusedException>(() => sqlite.Get<DatabaseCopy>().CopyToPostgresAsync(target.ConnectionString));
        Assert.Contains("not empty", again.Message, StringComparison.Ordinal);
        Assert.Equal(sourceCounts["appointments"] + 1, (await CountsAsync(served.Database))["appointments"]);
    }

    /// <summary>Books <see cref="Appointments"/> through the booking service: 8 technicians, 6 sessions a working day, 200 shops in turn.</summary>
    private static async Task BookManyAsync(SchedulerHost host)
    {
        var first = (await CountsAsync(host.Database))["technicians"] + 1;
        for (var t = 0; t < Technicians; t++)
        {
            await host.AddTechnicianAsync($"Copy Tech {t}");
        }

        for (var s = 0; s < Shops; s++)
        {
            await host.AddCustomerAsync($"C{s:000}");
        }

        var berlin = DateTimeZoneProviders.Tzdb["Europe/Berlin"];
        var holidays = new GermanHolidayCalendar();
        var day = host.Clock.GetCurrentInstant().InZone(berlin).Date.PlusDays(2);
        var booked = 0;
        while (booked < Appointments)
        {
            day = day.PlusDays(1);
            if (day.DayOfWeek is IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday || holidays.IsHoliday(FederalState.BY, day))
            {
                continue;
            }

            for (var slot = 0; slot < 6 && booked < Appointments; slot++)
            {
                var start = berlin.AtLeniently(day.At(new LocalTime(8, 0).PlusMinutes(90 * slot))).ToInstant();
                for (var t = 0; t < Technicians && booked < Appointments; t++)
                {
                    var outcome = await host.Booking.BookAsync(new BookingRequest($"C{booked % Shops:000}", "fault", $"{first + t}", start, null, false, "copy-test"));
                    Assert.True(outcome.Succeeded, outcome.Refusal?.Message);
                    booked++;
                }
            }
        }
    }

    private static async Task<Dictionary<string, long>> CountsAsync(Database database)
    {
        await using var connection = await database.OpenAsync();
        string[] tables =
        [
            "technicians", "time_off", "customers", "appointments", "appointment_audit", "outbox", "outbox_payloads", "reminders", "inbound_messages", "reschedule_requests",
            "mailbox_cursors", "leases", "staff_accounts", "api_keys", "staff_audit", "feed_tokens", "idempotency_keys", "shop_links", "cost_acknowledgments",
            "appointment_billing", "appointment_outcomes", "billing_exports", "shop_sign_ins",
        ];
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            counts[table] = await connection.ExecuteScalarAsync<long>($"SELECT count(*) FROM {table}");
        }

        return counts;
    }

    private static async Task<List<string>> AppointmentsAsync(Database database)
    {
        await using var connection = await database.OpenAsync();
        return [.. await connection.QueryAsync<string>(
            "SELECT id || '|' || uid || '|' || sequence || '|' || version || '|' || starts_at || '|' || status || '|' || coalesce(notes, '') FROM appointments ORDER BY id")];
    }

    private static async Task<(string Seed, long AppointmentId)> AnyShopLinkAsync(Database database)
    {
        await using var connection = await database.OpenAsync();
        var (seed, appointment) = await connection.QueryFirstAsync<(byte[], long)>("SELECT seed, appointment_id FROM shop_links WHERE revoked_at IS NULL ORDER BY id");
        return (Base64Url.EncodeToString(seed), appointment);
    }

    private static string TokenOf(string url) => url[(url.LastIndexOf('/') + 1)..];
}
