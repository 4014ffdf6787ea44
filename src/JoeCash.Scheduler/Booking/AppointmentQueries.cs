using JoeCash.Scheduler.Storage;

namespace JoeCash.Scheduler.Booking;

/// <summary>Reads appointments for people and scripts: what the faces show, without a transaction of theirs.</summary>
public sealed class AppointmentQueries(Database database)
{
    /// <summary>The appointment and its audit trail, or null if there is no appointment <paramref name="appointmentId"/>.</summary>
    public async Task<AppointmentDetails?> ShowAsync(long appointmentId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var appointment = await connection.GetAppointmentAsync(appointmentId).ConfigureAwait(false);
        return appointment is null ? null : new AppointmentDetails(appointment, await connection.AuditTrailAsync(appointmentId).ConfigureAwait(false));
    }
}
