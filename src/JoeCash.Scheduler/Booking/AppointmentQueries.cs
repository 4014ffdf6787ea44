using JoeCash.Scheduler.Customers;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Storage;
using NodaTime;

namespace JoeCash.Scheduler.Booking;

/// <summary>An upcoming appointment that needs a person, with its shop, and why.</summary>
public sealed record AttentionItem(Appointment Appointment, Customer Customer)
{
    /// <summary>The shop has not answered and the start is close.</summary>
    public bool Unanswered => Appointment.Response == ResponseStatus.NeedsAction;

    public bool Declined => Appointment.Response == ResponseStatus.Declined;

    public bool NoRustDeskId => Appointment.Readiness == RustDeskReadiness.NoId;
}

/// <summary>One appointment as a dispatcher reads it: the appointment and its trail, its shop.</summary>
public sealed record AppointmentWithShop(AppointmentDetails Details, Customer Customer);

/// <summary>Reads appointments for people and scripts: what the faces show, without a transaction of theirs.</summary>
public sealed class AppointmentQueries(Database database, IClock clock)
{
    /// <summary>The appointment and its audit trail, or null if there is no appointment <paramref name="appointmentId"/>.</summary>
    public async Task<AppointmentDetails?> ShowAsync(long appointmentId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var appointment = await connection.GetAppointmentAsync(appointmentId).ConfigureAwait(false);
        return appointment is null ? null : new AppointmentDetails(appointment, await connection.AuditTrailAsync(appointmentId).ConfigureAwait(false));
    }

    /// <summary>As <see cref="ShowAsync"/>, with the shop the appointment is for.</summary>
    public async Task<AppointmentWithShop?> ViewAsync(long appointmentId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var appointment = await connection.GetAppointmentAsync(appointmentId).ConfigureAwait(false);
        if (appointment is null)
        {
            return null;
        }

        var audit = await connection.AuditTrailAsync(appointmentId).ConfigureAwait(false);
        var customers = await connection.CustomersByIdAsync([appointment.CustomerId]).ConfigureAwait(false);
        return new AppointmentWithShop(new AppointmentDetails(appointment, audit), customers[appointment.CustomerId]);
    }

    /// <summary>
    /// Upcoming appointments (within <paramref name="ahead"/>) that need a person: declined ones, those whose shop has
    /// no RustDesk ID on file, and those still unanswered that start within <paramref name="soon"/>; soonest first.
    /// </summary>
    public async Task<IReadOnlyList<AttentionItem>> NeedingAttentionAsync(Duration soon, Duration ahead, int limit, CancellationToken cancellationToken = default)
    {
        var now = clock.GetCurrentInstant();
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var appointments = await connection.NeedingAttentionAsync(now, now + soon, now + ahead, limit).ConfigureAwait(false);
        var customers = await connection.CustomersByIdAsync(appointments.Select(a => a.CustomerId)).ConfigureAwait(false);
        return [.. appointments.Select(a => new AttentionItem(a, customers[a.CustomerId]))];
    }

    /// <summary>
    /// A page of a shop's appointments, booked and cancelled, newest first: the <paramref name="limit"/> before the
    /// appointment <paramref name="beforeId"/> (the last of the previous page), or the newest; and whether there are older ones.
    /// A shop of a big vendor has dozens a year, so the history is read a page at a time, as a person reads it.
    /// </summary>
    public async Task<ShopHistoryPage> ShopHistoryAsync(long customerId, long? beforeId, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        (Instant, long)? before = null;
        if (beforeId is { } id)
        {
            var last = await connection.GetAppointmentAsync(id).ConfigureAwait(false);
            if (last is null || last.CustomerId != customerId)
            {
                return new ShopHistoryPage([], false);
            }

            before = (last.Start, last.Id);
        }

        // One row more than asked tells whether there is an older page.
        var rows = await connection.AppointmentsOfCustomerAsync(customerId, before, limit + 1).ConfigureAwait(false);
        return new ShopHistoryPage([.. rows.Take(limit)], rows.Count > limit);
    }
}

/// <summary>A page of a shop's appointments, newest first, and whether older ones follow (ask again with the last one's id).</summary>
public sealed record ShopHistoryPage(IReadOnlyList<Appointment> Appointments, bool HasMore);
