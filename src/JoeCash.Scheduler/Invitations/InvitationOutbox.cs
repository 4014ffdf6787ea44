using System.Data;
using JoeCash.Scheduler.Configuration;
using JoeCash.Scheduler.Customers;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Mail;
using JoeCash.Scheduler.ShopLinks;
using JoeCash.Scheduler.Storage;
using JoeCash.Scheduler.Technicians;
using NodaTime;

namespace JoeCash.Scheduler.Invitations;

/// <summary>
/// Writes an appointment's invitation, update or cancellation into the outbox inside the caller's
/// transaction: a booking never exists without its invitation, and a rolled-back booking leaves no email.
/// The technician gets their own (unless <c>Scheduler:TechnicianInvitations</c> is off); a move to another
/// technician cancels the previous technician's copy and invites the new one.
/// </summary>
public sealed class InvitationOutbox(InvitationComposer composer, TechnicianInvitationComposer technicianInvitations, AppointmentTypeCatalog types, ShopLinkService links)
{
    /// <summary>Queues the shop's messages and the technician's own for one change of <paramref name="appointment"/>.</summary>
    /// <param name="connection">The caller's connection.</param>
    /// <param name="transaction">The caller's write transaction: the messages commit with the change.</param>
    /// <param name="kind">The first invitation, an update or the cancellation.</param>
    /// <param name="appointment">The appointment as it stands after the change.</param>
    /// <param name="now">When the change happened.</param>
    /// <param name="customer">The shop, if the caller has it.</param>
    /// <param name="technician">The appointment's technician, if the caller has it.</param>
    /// <param name="previous">The appointment before a move.</param>
    /// <param name="reason">A cancellation's reason, if one was given.</param>
    public async Task EnqueueAsync(
        IDbConnection connection,
        IDbTransaction transaction,
        InvitationKind kind,
        Appointment appointment,
        Instant now,
        Customer? customer = null,
        Technician? technician = null,
        Appointment? previous = null,
        string? reason = null)
    {
        ArgumentNullException.ThrowIfNull(appointment);
        var context = await ContextAsync(connection, transaction, appointment, customer, technician, previous).ConfigureAwait(false) with { Reason = reason };
        var seeds = await SeedsAsync(connection, transaction, kind, context, null, now).ConfigureAwait(false);
        foreach (var message in composer.Compose(kind, context, now, linkSeeds: seeds))
        {
            await connection.EnqueueAsync(message, now, transaction).ConfigureAwait(false);
        }

        if (!technicianInvitations.Enabled)
        {
            return;
        }

        if (previous is not null && previous.TechnicianId != appointment.TechnicianId)
        {
            // Reassigned: the previous technician's copy goes away, the new technician is invited afresh.
            var before = (await connection.FindTechnicianAsync(previous.TechnicianId, transaction).ConfigureAwait(false)).Value;
            await connection.EnqueueAsync(technicianInvitations.Compose(InvitationKind.Cancel, context, before, now), now, transaction).ConfigureAwait(false);
            kind = InvitationKind.Request;
        }

        await connection.EnqueueAsync(technicianInvitations.Compose(kind, context, context.Technician, now), now, transaction).ConfigureAwait(false);
    }

    /// <summary>
    /// The first invitation of a new appointment — the shop's messages with their new links, and the technician's
    /// own — queued in the booking's <paramref name="batch"/>: what <see cref="EnqueueAsync"/> writes for
    /// <see cref="InvitationKind.Request"/>, without its reads (a new appointment has no links yet).
    /// </summary>
    public void Invite(StatementBatch batch, Appointment appointment, Customer customer, Technician technician, Instant now)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(appointment);
        var context = new AppointmentContext(appointment, customer, technician, types.ForStored(appointment.TypeKey));
        var seeds = links.IssueNew(batch, appointment.Id, InvitationComposer.Recipients(context, null), now);
        foreach (var message in composer.Compose(InvitationKind.Request, context, now, linkSeeds: seeds))
        {
            batch.Enqueue(message, now);
        }

        if (technicianInvitations.Enabled)
        {
            batch.Enqueue(technicianInvitations.Compose(InvitationKind.Request, context, technician, now), now);
        }
    }

    /// <summary>
    /// Sends the invitation as it stands again, to the one attendee who asked (METHOD:REFRESH): same UID and
    /// SEQUENCE, a new Message-ID per request so a second refresh is a second email.
    /// </summary>
    public async Task EnqueueRefreshAsync(IDbConnection connection, IDbTransaction transaction, Appointment appointment, string attendee, long requestId, Instant now)
    {
        ArgumentNullException.ThrowIfNull(appointment);
        var context = await ContextAsync(connection, transaction, appointment).ConfigureAwait(false);
        var kind = appointment.Sequence == 0 ? InvitationKind.Request : InvitationKind.Update;
        var seeds = await SeedsAsync(connection, transaction, kind, context, attendee, now).ConfigureAwait(false);
        foreach (var message in composer.Compose(kind, context, now, only: attendee, messageIdKind: $"refresh-{requestId}", linkSeeds: seeds))
        {
            await connection.EnqueueAsync(message, now, transaction).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Replaces <paramref name="recipient"/>'s personal link to the appointment's page (the old one stops working) and
    /// sends the invitation as it stands to that address again, carrying the new link.
    /// </summary>
    public async Task EnqueueNewLinkAsync(IDbConnection connection, IDbTransaction transaction, Appointment appointment, string recipient, Instant now)
    {
        ArgumentNullException.ThrowIfNull(appointment);
        var context = await ContextAsync(connection, transaction, appointment).ConfigureAwait(false);
        var kind = appointment.Sequence == 0 ? InvitationKind.Request : InvitationKind.Update;
        var seeds = await links.SeedsAsync(connection, transaction, appointment.Id, [recipient], now, renew: true).ConfigureAwait(false);
        var messageIdKind = $"link-{now.ToUnixTimeMilliseconds()}";
        foreach (var message in composer.Compose(kind, context, now, only: recipient, messageIdKind: messageIdKind, linkSeeds: seeds))
        {
            await connection.EnqueueAsync(message, now, transaction).ConfigureAwait(false);
        }
    }

    /// <summary>The recipients' links for a message of <paramref name="kind"/>: kept for invitations and updates, revoked by a cancellation.</summary>
    private async Task<IReadOnlyDictionary<string, string>?> SeedsAsync(
        IDbConnection connection, IDbTransaction transaction, InvitationKind kind, AppointmentContext context, string? only, Instant now)
    {
        if (kind == InvitationKind.Cancel)
        {
            await connection.RevokeShopLinksAsync(context.Appointment.Id, null, "cancelled", now, transaction).ConfigureAwait(false);
            return null;
        }

        return await links.SeedsAsync(connection, transaction, context.Appointment.Id, InvitationComposer.Recipients(context, only), now).ConfigureAwait(false);
    }

    /// <summary>Loads what the messages mention, reusing what the caller already has.</summary>
    public async Task<AppointmentContext> ContextAsync(
        IDbConnection connection, IDbTransaction? transaction, Appointment appointment, Customer? customer = null, Technician? technician = null, Appointment? previous = null)
    {
        ArgumentNullException.ThrowIfNull(appointment);
        customer ??= (await connection.CustomersByIdAsync([appointment.CustomerId], transaction).ConfigureAwait(false))[appointment.CustomerId];
        technician ??= (await connection.FindTechnicianAsync(appointment.TechnicianId, transaction).ConfigureAwait(false)).Value;
        return new AppointmentContext(appointment, customer, technician, types.ForStored(appointment.TypeKey), previous);
    }
}
