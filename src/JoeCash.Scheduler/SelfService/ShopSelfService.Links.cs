using System.Text.Json;
using JoeCash.Scheduler.Booking;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Storage;
using Microsoft.Extensions.Logging;

namespace JoeCash.Scheduler.SelfService;

/// <summary>What the support team does about a shop's links.</summary>
public sealed partial class ShopSelfService
{
    /// <summary>
    /// Sends <paramref name="email"/> (one of the shop's addresses) a new personal link to the appointment's page, in a
    /// re-sent invitation; the link that address had stops working. For a forwarded email, or a link that leaked.
    /// </summary>
    /// <returns>The appointment, or what is wrong (no such appointment, cancelled, not the shop's address).</returns>
    public async Task<Result<Appointment>> RenewLinkAsync(long appointmentId, string email, string actor, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var writing = await Database.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        var transaction = writing.Transaction;
        var appointment = await connection.GetAppointmentAsync(appointmentId, transaction).ConfigureAwait(false);
        if (appointment is null)
        {
            return Result.Fail<Appointment>($"appointment: there is no appointment {appointmentId}.");
        }

        if (appointment.Status == AppointmentStatus.Cancelled)
        {
            return Result.Fail<Appointment>($"appointment {appointmentId} is cancelled; its links stay closed.");
        }

        var context = await contexts.ContextAsync(connection, transaction, appointment).ConfigureAwait(false);
        var recipient = context.Customer.Emails.FirstOrDefault(e => string.Equals(e, email.Trim(), StringComparison.OrdinalIgnoreCase));
        if (recipient is null)
        {
            return Result.Fail<Appointment>($"email: '{email.Trim()}' is not an address of customer {context.Customer.Number} (it has: {string.Join(", ", context.Customer.Emails)}).");
        }

        var now = clock.GetCurrentInstant();
        await contexts.EnqueueNewLinkAsync(connection, transaction, appointment, recipient, now).ConfigureAwait(false);
        await connection.InsertAuditAsync(appointmentId, now, actor, "link-renewed", JsonSerializer.Serialize(new { recipient }), transaction).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        logger.LogInformation("New self-service link for appointment {AppointmentId} queued", appointmentId);
        return appointment;
    }
}
