using JoeCash.Scheduler.Booking;
using JoeCash.Scheduler.Customers;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Storage;
using NodaTime;

namespace JoeCash.Scheduler.Outcomes;

/// <summary>An appointment with its shop and its outcome (none yet: null).</summary>
public sealed record OutcomeItem(Appointment Appointment, Customer Customer, AppointmentOutcome? Outcome)
{
    /// <summary>For a follow-up: the appointment booked to continue.</summary>
    public Appointment? FollowUp { get; init; }
}

/// <summary>A shop and its no-shows over the window.</summary>
public sealed record ShopNoShows(Customer Customer, long NoShows, Instant LastStart);

/// <summary>What the dispatcher's overview shows after the sessions.</summary>
public sealed record AfterSessions(IReadOnlyList<OutcomeItem> WithoutOutcome, IReadOnlyList<ShopNoShows> NoShows, IReadOnlyList<OutcomeItem> FollowUps);

/// <summary>Reads outcomes for the faces: the overview, a technician's day, a shop's history.</summary>
public sealed class OutcomeQueries(Database database, IClock clock)
{
    /// <summary>No-shows and follow-ups are counted over this window.</summary>
    public static readonly Duration Window = Duration.FromDays(90);

    /// <summary>Appointments past their end without an outcome; no-shows per shop and follow-ups over the last 90 days.</summary>
    public async Task<AfterSessions> AfterSessionsAsync(int limit, CancellationToken cancellationToken = default)
    {
        var now = clock.GetCurrentInstant();
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var open = await connection.EndedWithoutOutcomeAsync(now, limit).ConfigureAwait(false);
        var noShows = await connection.NoShowsPerShopAsync(now - Window, now, limit).ConfigureAwait(false);
        var followUps = await connection.FollowUpsSinceAsync(now - Window, limit).ConfigureAwait(false);
        var outcomes = await connection.OutcomesOfAsync(followUps).ConfigureAwait(false);
        var appointments = await connection.AppointmentsByIdAsync([.. open, .. followUps, .. outcomes.Values.Select(o => o.FollowUpId).OfType<long>()]).ConfigureAwait(false);
        var customers = await connection.CustomersByIdAsync([.. appointments.Values.Select(a => a.CustomerId), .. noShows.Select(n => n.CustomerId)]).ConfigureAwait(false);
        OutcomeItem Item(long id)
        {
            var a = appointments[id];
            var outcome = outcomes.GetValueOrDefault(id);
            return new OutcomeItem(a, customers[a.CustomerId], outcome)
            {
                FollowUp = outcome?.FollowUpId is { } next ? appointments.GetValueOrDefault(next) : null,
            };
        }

        return new AfterSessions(
            [.. open.Select(Item)],
            [.. noShows.Select(n => new ShopNoShows(customers[n.CustomerId], n.NoShows, n.LastStart))],
            [.. followUps.Select(Item)]);
    }

    /// <summary>The outcomes of these appointments, by appointment (for the day page and a shop's history).</summary>
    public async Task<IReadOnlyDictionary<long, AppointmentOutcome>> OutcomesAsync(IEnumerable<long> appointmentIds, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.OutcomesOfAsync(appointmentIds).ConfigureAwait(false);
    }

    /// <summary>A shop's sessions that took place (done), the latest first.</summary>
    public async Task<IReadOnlyList<OutcomeItem>> DoneSessionsAsync(long customerId, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var ids = await connection.DoneSessionsOfShopAsync(customerId, limit).ConfigureAwait(false);
        var appointments = await connection.AppointmentsByIdAsync(ids).ConfigureAwait(false);
        var outcomes = await connection.OutcomesOfAsync(ids).ConfigureAwait(false);
        var customers = await connection.CustomersByIdAsync([customerId]).ConfigureAwait(false);
        return [.. ids.Select(id => new OutcomeItem(appointments[id], customers[customerId], outcomes[id]))];
    }
}
