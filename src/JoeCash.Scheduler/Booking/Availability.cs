using System.Data;
using System.Data.Common;
using JoeCash.Scheduler.Configuration;
using JoeCash.Scheduler.Customers;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Domain.Availability;
using JoeCash.Scheduler.Storage;
using JoeCash.Scheduler.Technicians;
using Microsoft.Extensions.Options;
using NodaTime;

namespace JoeCash.Scheduler.Booking;

/// <summary>
/// A search for free starts: the type, a technician (id, email, "any" or none for any), the range, the shop whose till must
/// be free, if any, and whether each start comes with its first-ranked technician only (what the faces show) or with all.
/// </summary>
public sealed record SlotSearch(string Type, string? Technician, Interval Range, string? Customer = null, SlotsPerStart PerStart = SlotsPerStart.FirstRanked);

/// <summary>
/// Free starts, ordered by start (at equal starts the technician a booking for "any" would get first), the names of the
/// technicians who could take them, and the shop searched for, if any.
/// </summary>
public sealed record FoundSlots(IReadOnlyList<Slot> Slots, IReadOnlyDictionary<long, string> TechnicianNames, Customer? Shop = null);

/// <summary>
/// Reads what the slot engine needs from the database in a few set-based queries, then lets the pure
/// engine do the work in memory (one query per technician set, never one per candidate slot).
/// </summary>
public sealed class Availability(Database database, AppointmentTypeCatalog types, IHolidayCalendar holidays, IClock clock, IOptions<SchedulerOptions> options)
{
    /// <summary>
    /// How far around a window the schedules are read: a local day containing an instant lies within a day
    /// of it in any zone, so daily caps count whole days; and each start's load window must be covered.
    /// </summary>
    private static readonly Duration Margin = Duration.Max(Duration.FromDays(1), SlotEngine.LoadReach);

    public SchedulerOptions Options => options.Value;

    /// <summary>
    /// Free slots for a type, for one technician (by id or email) or any technician who takes it: by default each start with
    /// the technician a booking for "any" would get, with <see cref="SlotsPerStart.All"/> every free technician of each start.
    /// </summary>
    public async Task<Result<IReadOnlyList<Slot>>> FindSlotsAsync(
        string typeKey, string? technician, Interval range, long? customerId = null, SlotsPerStart perStart = SlotsPerStart.FirstRanked,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var found = await FindAsync(connection, typeKey, technician, range, customerId, perStart).ConfigureAwait(false);
        return found.IsSuccess ? Result.Ok(found.Value.Slots) : Result.Fail<IReadOnlyList<Slot>>(found.Error!);
    }

    /// <summary>
    /// Free slots as a face asks for them: the shop by its number, and the names of the technicians the
    /// slots belong to. At equal starts the technician a booking for "any" would get comes first.
    /// </summary>
    public async Task<Result<FoundSlots>> SearchAsync(SlotSearch search, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(search);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        Customer? shop = null;
        if (search.Customer is not null)
        {
            var customer = await connection.FindCustomerAsync(search.Customer).ConfigureAwait(false);
            if (!customer.IsSuccess)
            {
                return Result.Fail<FoundSlots>(customer.Error!);
            }

            shop = customer.Value;
        }

        var found = await FindAsync(connection, search.Type, search.Technician, search.Range, shop?.Id, search.PerStart).ConfigureAwait(false);
        return found.IsSuccess ? found.Value with { Shop = shop } : found;
    }

    private async Task<Result<FoundSlots>> FindAsync(
        DbConnection connection, string typeKey, string? technician, Interval range, long? customerId, SlotsPerStart perStart)
    {
        var type = types.Find(typeKey);
        if (!type.IsSuccess)
        {
            return Result.Fail<FoundSlots>(type.Error!);
        }

        var candidates = await TechniciansForAsync(connection, null, type.Value, technician).ConfigureAwait(false);
        if (!candidates.IsSuccess)
        {
            return Result.Fail<FoundSlots>(candidates.Error!);
        }

        var schedules = await LoadSchedulesAsync(connection, null, candidates.Value, range, excludeAppointmentId: null).ConfigureAwait(false);
        var shopBusy = customerId is { } id
            ? (await connection.BookedForCustomerAsync(id, range).ConfigureAwait(false)).Select(a => a.Time).ToArray()
            : null;
        var query = Query(type.Value, range, shopBusy);
        return new FoundSlots(SlotEngine.FindSlots(query, schedules, perStart), candidates.Value.ToDictionary(t => t.Id, t => t.Name));
    }

    public SlotQuery Query(AppointmentType type, Interval range, IReadOnlyList<Interval>? shopBusy = null) =>
        new(type, range, clock.GetCurrentInstant(), Duration.FromTimeSpan(options.Value.MinimumNotice), options.Value.SlotGridMinutes, shopBusy);

    /// <summary>The technicians a request may use: the named one, or every active one who takes the type.</summary>
    internal static async Task<Result<IReadOnlyList<Technician>>> TechniciansForAsync(
        IDbConnection connection, IDbTransaction? transaction, AppointmentType type, string? technician)
    {
        if (technician is not null && string.IsNullOrWhiteSpace(technician))
        {
            // An empty value is a slip (an unset shell variable), not a choice: only the word "any" means any.
            return Result.Fail<IReadOnlyList<Technician>>("technician: the value is empty; give a technician's id or email, or 'any'.");
        }

        if (!IsAny(technician))
        {
            var found = await connection.FindTechnicianAsync(technician!, transaction).ConfigureAwait(false);
            return found.IsSuccess ? Result.Ok<IReadOnlyList<Technician>>([found.Value]) : Result.Fail<IReadOnlyList<Technician>>(found.Error!);
        }

        var all = await connection.ListTechniciansAsync(transaction).ConfigureAwait(false);
        var takers = all.Where(t => t.Active && t.Takes(type.Key)).ToArray();
        return takers.Length > 0
            ? Result.Ok<IReadOnlyList<Technician>>(takers)
            : Result.Fail<IReadOnlyList<Technician>>($"type: no active technician takes '{type.Key}' appointments.");
    }

    /// <summary>The technician with this id (active or not: the slot engine says what that means), as the one candidate.</summary>
    internal static async Task<Result<IReadOnlyList<Technician>>> TechnicianByIdAsync(IDbConnection connection, IDbTransaction? transaction, long id)
    {
        var all = await connection.ListTechniciansAsync(transaction).ConfigureAwait(false);
        return all.FirstOrDefault(t => t.Id == id) is { } technician
            ? Result.Ok<IReadOnlyList<Technician>>([technician])
            : Result.Fail<IReadOnlyList<Technician>>($"technician: no technician '{id}'.");
    }

    /// <summary>Not given, or the word "any".</summary>
    internal static bool IsAny(string? technician) =>
        technician is null || technician.Trim().Equals("any", StringComparison.OrdinalIgnoreCase);

    internal async Task<IReadOnlyList<TechnicianSchedule>> LoadSchedulesAsync(
        DbConnection connection, DbTransaction? transaction, IReadOnlyList<Technician> technicians, Interval range, long? excludeAppointmentId)
    {
        var ids = technicians.Select(t => t.Id).ToArray();
        var widened = new Interval(range.Start - Margin, range.End + Margin);
        var booked = await connection.BookedTimesAsync(ids, widened, transaction).ConfigureAwait(false);
        var timeOff = await connection.TimeOffOfAsync(ids, widened, transaction).ConfigureAwait(false);
        var byTechnician = booked.Where(a => a.Id != excludeAppointmentId).ToLookup(a => a.TechnicianId);
        return [.. technicians.Select(t => new TechnicianSchedule(t, holidays, byTechnician[t.Id], timeOff[t.Id]))];
    }
}
