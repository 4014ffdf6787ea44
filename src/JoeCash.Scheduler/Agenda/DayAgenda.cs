using JoeCash.Scheduler.Booking;
using JoeCash.Scheduler.Configuration;
using JoeCash.Scheduler.Customers;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Storage;
using JoeCash.Scheduler.Technicians;
using NodaTime;

namespace JoeCash.Scheduler.Agenda;

/// <summary>
/// One line of a technician's day: everything needed for the call. <see cref="Time"/> is in the
/// technician's zone; <see cref="ShopTime"/> is the same span on the shop's clock (Scheduler:TimeZone)
/// when that is another zone, else null.
/// </summary>
public sealed record AgendaEntry(
    Appointment Appointment,
    LocalTimeRange Time,
    LocalTimeRange? ShopTime,
    Customer Customer,
    AppointmentType Type)
{
    /// <summary>The ID to connect to: the shop's as on file now (it may have sent it after booking), else the one booked with.</summary>
    public RustDeskId? RustDesk => Customer.RustDeskId ?? Appointment.RustDesk;

    /// <summary>Whether the technician can connect: no ID, an ID on file, or one the shop confirmed.</summary>
    public RustDeskReadiness Readiness => RustDesk is null ? RustDeskReadiness.NoId
        : Appointment.RustDeskConfirmedAt is null ? RustDeskReadiness.OnFile
        : RustDeskReadiness.Confirmed;

    /// <summary>The shop's answer with when and from whom, in the technician's zone: "accepted 30.11. 10:14 by erika@…".</summary>
    public string? AnsweredAt(DateTimeZone zone) =>
        Appointment.RespondedAt is { } at ? at.InZone(zone).ToString("dd.MM.yyyy HH:mm", System.Globalization.CultureInfo.InvariantCulture) : null;
}

/// <summary>A technician's appointments on one local day, in order.</summary>
public sealed record DayAgenda(Technician Technician, LocalDate Day, IReadOnlyList<AgendaEntry> Entries);

/// <summary>Builds a technician's day — the same content for the <c>agenda</c> verb and the morning email.</summary>
public sealed class AgendaBuilder(Database database, AppointmentTypeCatalog types, Microsoft.Extensions.Options.IOptions<SchedulerOptions> scheduler)
{
    /// <summary>The technician whose day to build, by id or email.</summary>
    public async Task<Result<Technician>> FindTechnicianAsync(string reference, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.FindTechnicianAsync(reference).ConfigureAwait(false);
    }

    public async Task<DayAgenda> BuildAsync(Technician technician, LocalDate day, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(technician);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await BuildAsync(connection, technician, day).ConfigureAwait(false);
    }

    /// <summary>
    /// Finds the technician (id or email) and builds the day <paramref name="dayOf"/> chooses for them, on one connection:
    /// what a request for a day costs. <paramref name="dayOf"/> may say null (the caller may not see that technician's
    /// day): then nothing is read beyond the technician.
    /// </summary>
    public async Task<Result<(Technician Technician, DayAgenda? Agenda)>> BuildAsync(
        string reference, Func<Technician, LocalDate?> dayOf, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dayOf);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var found = await connection.FindTechnicianAsync(reference).ConfigureAwait(false);
        if (!found.IsSuccess)
        {
            return Result.Fail<(Technician, DayAgenda?)>(found.Error!);
        }

        var technician = found.Value;
        var agenda = dayOf(technician) is { } day ? await BuildAsync(connection, technician, day).ConfigureAwait(false) : null;
        return Result.Ok<(Technician, DayAgenda?)>((technician, agenda));
    }

    private async Task<DayAgenda> BuildAsync(System.Data.Common.DbConnection connection, Technician technician, LocalDate day)
    {
        var zone = technician.Zone;
        var shopZone = scheduler.Value.Zone;
        var span = new Interval(zone.AtStartOfDay(day).ToInstant(), zone.AtStartOfDay(day.PlusDays(1)).ToInstant());
        var appointments = await connection.BookedOfTechnicianStartingAsync(technician.Id, span).ConfigureAwait(false);
        var customers = await connection.CustomersByIdAsync(appointments.Select(a => a.CustomerId)).ConfigureAwait(false);
        var entries = appointments
            .Select(a => new AgendaEntry(
                a,
                LocalTimeRange.In(a.Time, zone),
                shopZone.Id == zone.Id ? null : LocalTimeRange.In(a.Time, shopZone),
                customers[a.CustomerId],
                types.ForStored(a.TypeKey)))
            .ToArray();
        return new DayAgenda(technician, day, entries);
    }
}
