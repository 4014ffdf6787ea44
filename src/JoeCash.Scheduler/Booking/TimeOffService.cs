using System.Globalization;
using JoeCash.Scheduler.Configuration;
using JoeCash.Scheduler.Customers;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Storage;
using JoeCash.Scheduler.Technicians;
using Microsoft.Extensions.Logging;
using NodaTime;

namespace JoeCash.Scheduler.Booking;

/// <summary>What to do with booked appointments that fall into a technician's new time off.</summary>
public enum TimeOffCollisions
{
    /// <summary>Refuse and list them: nobody should lose an appointment by accident.</summary>
    Refuse,

    /// <summary>Give each to another technician at the same time, or record nothing.</summary>
    Reassign,

    /// <summary>Record the time off and leave them where they are.</summary>
    Keep,
}

/// <summary>One booked appointment inside the time off, as the technician sees it.</summary>
public sealed record TimeOffCollision(Appointment Appointment, Customer Customer, DateTimeZone Zone)
{
    /// <summary>"7 Tue 2027-02-02 10:00–11:00 Europe/Berlin, Bäckerei Müller (K1)".</summary>
    public override string ToString() =>
        $"{Appointment.Id} {Appointment.Start.InZone(Zone).ToString("ddd uuuu-MM-dd HH:mm", CultureInfo.InvariantCulture)}–{Appointment.End.InZone(Zone).ToString("HH:mm", CultureInfo.InvariantCulture)} {Zone.Id}, {Customer.DisplayName} ({Customer.Number})";
}

/// <summary>The recorded time off and what happened to the appointments in it, or why nothing was recorded.</summary>
public sealed record TimeOffOutcome(
    long? TimeOffId,
    IReadOnlyList<TimeOffCollision> Collisions,
    IReadOnlyList<(TimeOffCollision Collision, Technician To)> Reassigned,
    string? Refusal,
    bool NeedsChoice)
{
    public bool Succeeded => TimeOffId is not null;
}

/// <summary>
/// Records a technician's time off in one transaction together with what it does to their booked
/// appointments: refused while any collide (unless told to keep them), or each moved to another
/// technician through the normal booking rules, with the shop's invitation updated.
/// </summary>
public sealed class TimeOffService(Database database, BookingService booking, AppointmentTypeCatalog types, IClock clock, ILogger<TimeOffService> logger)
{
    public async Task<TimeOffOutcome> RecordAsync(long technicianId, Interval span, string? reason, TimeOffCollisions onCollision, string actor, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var writing = await Database.BeginWriteInTurnsAsync(connection, cancellationToken).ConfigureAwait(false);
        var transaction = writing.Transaction;
        var found = await Availability.TechnicianByIdAsync(connection, transaction, technicianId).ConfigureAwait(false);
        if (!found.IsSuccess)
        {
            return new TimeOffOutcome(null, [], [], found.Error, NeedsChoice: false);
        }

        var technician = found.Value[0];
        // Bookings of this technician wait until the time off (and what it does to them) is decided.
        await Database.TakeTurnsAsync(connection, transaction, BookingTurns.OfTechnicians([technicianId])).ConfigureAwait(false);
        var now = clock.GetCurrentInstant();
        var booked = await connection.BookedOfTechnicianDuringAsync(technicianId, span, now, transaction).ConfigureAwait(false);
        var customers = await connection.CustomersByIdAsync(booked.Select(a => a.CustomerId), transaction).ConfigureAwait(false);
        var collisions = booked.Select(a => new TimeOffCollision(a, customers[a.CustomerId], technician.Zone)).ToArray();
        if (collisions.Length > 0 && onCollision == TimeOffCollisions.Refuse)
        {
            return new TimeOffOutcome(null, collisions, [],
                $"the time off collides with {collisions.Length} booked appointment(s) of {technician.Name}: {string.Join("; ", collisions)}. Nothing was recorded.",
                NeedsChoice: true);
        }

        var id = await connection.InsertTimeOffAsync(technicianId, span, reason, transaction).ConfigureAwait(false);
        var reassigned = new List<(TimeOffCollision, Technician)>();
        if (onCollision == TimeOffCollisions.Reassign)
        {
            var failures = new List<string>();
            foreach (var collision in collisions)
            {
                var type = types.ForStored(collision.Appointment.TypeKey);
                var others = (await Availability.TechniciansForAsync(connection, transaction, type, technician: null).ConfigureAwait(false)) is { IsSuccess: true } all
                    ? [.. all.Value.Where(t => t.Id != technicianId)]
                    : Array.Empty<Technician>();
                if (others.Length == 0)
                {
                    failures.Add($"appointment {collision}: no other active technician takes '{type.Key}' appointments");
                    continue;
                }

                var moved = await booking.MoveAsync(connection, transaction, collision.Appointment, collision.Appointment.Version, collision.Appointment.Start, others, actor, "reassigned").ConfigureAwait(false);
                if (moved.Refusal is { } refusal)
                {
                    failures.Add($"appointment {collision}: {refusal.Message.TrimEnd('.')}");
                    continue;
                }

                reassigned.Add((collision, others.Single(t => t.Id == moved.Appointment!.TechnicianId)));
            }

            if (failures.Count > 0)
            {
                // Rolled back on dispose: the time off and every move made above.
                return new TimeOffOutcome(null, collisions, [],
                    $"nothing was recorded: {failures.Count} of {collisions.Length} appointment(s) cannot be reassigned: {string.Join("; ", failures)}.",
                    NeedsChoice: false);
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        logger.LogInformation(
            "Recorded time off {TimeOffId} for technician {TechnicianId}: {Collisions} booked appointment(s) in it, {Reassigned} reassigned",
            id, technicianId, collisions.Length, reassigned.Count);
        return new TimeOffOutcome(id, collisions, reassigned, null, NeedsChoice: false);
    }
}
