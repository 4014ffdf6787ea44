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

    /// <summary>A shop's appointments, booked and cancelled, newest first: what the shop has had done.</summary>
    public async Task<IReadOnlyList<Appointment>> ShopHistoryAsync(long customerId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.AppointmentsOfCustomerAsync(customerId).ConfigureAwait(false);
    }
}
