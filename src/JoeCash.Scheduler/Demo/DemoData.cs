using System.Globalization;
using Dapper;
using JoeCash.Scheduler.Booking;
using JoeCash.Scheduler.Configuration;
using JoeCash.Scheduler.Customers;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Domain.Availability;
using JoeCash.Scheduler.Storage;
using JoeCash.Scheduler.Technicians;
using NodaTime;

namespace JoeCash.Scheduler.Demo;

/// <summary>What <c>demo</c> left in the database.</summary>
public sealed record DemoSummary(int Technicians, int Customers, int Appointments, int BookedNow, string FirstDay, long? FirstTechnician);

/// <summary>Demo technicians, shops and a few appointments on the coming working days; running it again changes nothing.</summary>
public sealed class DemoData(Database database, Availability availability, BookingService booking, AppointmentTypeCatalog types, IClock clock)
{
    private const string DemoActor = "demo";

    private static readonly (string Name, string Email, FederalState State, string Hours, string Types, int? Cap)[] Technicians =
    [
        ("Anna Berger", "anna.berger@joecash.test", FederalState.BY, "Mon-Fri 08:00-17:00", "", 6),
        ("Jonas Keller", "jonas.keller@joecash.test", FederalState.BE, "Mon-Fri 09:00-18:00", "fault,pricelist", null),
        ("Lea Schmitt", "lea.schmitt@joecash.test", FederalState.NW, "Mon-Thu 08:00-16:00; Fri 08:00-13:00", "", 5),
    ];

    // Opening hours as shops keep them: a bakery from 06:00, a hairdresser and a restaurant closed on Mondays.
    private static readonly string[][] Shops =
    [
        ["K10001", "Bäckerei Müller GmbH", "Filiale Schwabing", "München", "BY", "Mehmet Richter", "mehmet.richter@baeckerei.shop.test", "+49 543 4241717", "732 901 938", "de", "ja", "Mo-Fr 06:00-18:00; Sa 06:00-12:00"],
        ["K10004", "Friseur Schnittpunkt", "Salon Mitte", "Berlin", "BE", "Marie Hoffmann", "marie.hoffmann@friseur.shop.test", "+49 304 4701634", "543 057 213", "de", "ja", "Di-Fr 09:00-18:00; Sa 09:00-14:00"],
        ["K10006", "Metzgerei Schäfer & Söhne", "Stammhaus", "Köln", "NW", "Jana Wolf", "jana.wolf@metzgerei.shop.test", "+49 864 1558827", "927 137 074", "de", "ja", "Mo-Fr 07:00-18:00; Sa 07:00-13:00"],
        ["K10007", "Metzgerei Schäfer & Söhne", "Filiale Ehrenfeld", "Köln", "NW", "Katarina Becker", "katarina.becker@metzgerei.shop.test", "+49 901 2880632", "", "de", "ja", "Mo-Fr 07:00-18:00; Sa 07:00-13:00"],
        ["K10010", "Buchhandlung Seitenwind", "Buchladen", "Leipzig", "SN", "Stefan Neumann", "stefan.neumann@buchhandlung.shop.test", "+49 801 4723334", "Kasse_Leipzig10", "de", "ja", "Mo-Sa 10:00-19:00"],
        ["K10016", "Pizzeria Da Enzo", "Restaurant", "Stuttgart", "BW", "Björn Becker", "bjoern.becker@pizzeria.shop.test", "+49 735 3816534", "Kasse_Stgt16", "en", "ja", "Di-So 11:00-22:00"],
    ];

    private static readonly (string Customer, string Type, string? Notes)[] Bookings =
    [
        ("K10001", "fault", "Bondrucker druckt keine Belege mehr."),
        ("K10004", "pricelist", "Neue Preisliste ab 1. des Monats."),
        ("K10006", "training", "Einweisung Warenwirtschaft für zwei neue Mitarbeiterinnen."),
        ("K10007", "fault", "Kasse startet nach Update nicht."),
        ("K10016", "third-party-hardware", "Connect the new kitchen printer."),
    ];

    /// <summary>The demo technicians' addresses: their staff accounts' logins.</summary>
    public static IEnumerable<(string Name, string Email)> TechnicianLogins => Technicians.Select(t => (t.Name, t.Email));

    public async Task<DemoSummary> EnsureAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetCurrentInstant();
        await using (var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false))
        {
            await using var writing = await Database.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
            var transaction = writing.Transaction;
            foreach (var t in Technicians)
            {
                if (await connection.TechnicianByEmailAsync(t.Email, transaction).ConfigureAwait(false) is null)
                {
                    var typeKeys = t.Types.Length == 0 ? types.All.Select(x => x.Key).ToArray() : t.Types.Split(',');
                    await connection.InsertTechnicianAsync(
                        new NewTechnician(t.Name, t.Email, availability.Options.Zone, t.State, WeeklyHours.Parse(t.Hours).Value, typeKeys, t.Cap), now, transaction).ConfigureAwait(false);
                }
            }

            foreach (var s in Shops)
            {
                var customer = CustomerInput.Create(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8], s[9], s[10], s[11]).Value;
                await connection.UpsertCustomerAsync(customer, now, transaction).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        var bookedNow = 0;
        string firstDay;
        await using (var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false))
        {
            var existing = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM appointments WHERE booked_by = @DemoActor AND status = 'booked'", new { DemoActor }).ConfigureAwait(false);
            if (existing == 0)
            {
                var zone = availability.Options.Zone;
                var tomorrow = now.InZone(zone).Date.PlusDays(1);
                var range = new Interval(zone.AtStartOfDay(tomorrow).ToInstant(), zone.AtStartOfDay(tomorrow.PlusDays(14)).ToInstant());
                foreach (var (customer, type, notes) in Bookings)
                {
                    var slots = await availability.FindSlotsAsync(type, null, range, null, SlotsPerStart.All, cancellationToken).ConfigureAwait(false);
                    foreach (var slot in slots.Value.Where(s => s.Start.InZone(zone).Minute == 0).Take(5))
                    {
                        var outcome = await booking.BookAsync(
                            new BookingRequest(customer, type, slot.TechnicianId.ToString(CultureInfo.InvariantCulture), slot.Start, notes, AcknowledgeCost: true, DemoActor),
                            cancellationToken).ConfigureAwait(false);
                        if (outcome.Succeeded)
                        {
                            bookedNow++;
                            break;
                        }
                    }

                }
            }

            var first = await connection.QuerySingleOrDefaultAsync<(long StartsAt, long TechnicianId)?>(
                "SELECT starts_at, technician_id FROM appointments WHERE booked_by = @DemoActor AND status = 'booked' ORDER BY starts_at LIMIT 1", new { DemoActor }).ConfigureAwait(false);
            firstDay = (first is { } f ? Instant.FromUnixTimeMilliseconds(f.StartsAt) : now).InZone(availability.Options.Zone).Date.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture);
            var counts = await connection.QuerySingleAsync<(long Technicians, long Customers, long Appointments)>(
                "SELECT (SELECT count(*) FROM technicians), (SELECT count(*) FROM customers), (SELECT count(*) FROM appointments WHERE status = 'booked')").ConfigureAwait(false);
            return new DemoSummary((int)counts.Technicians, (int)counts.Customers, (int)counts.Appointments, bookedNow, firstDay, first?.TechnicianId);
        }
    }
}
