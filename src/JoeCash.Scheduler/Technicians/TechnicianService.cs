using System.Data.Common;
using JoeCash.Scheduler.Configuration;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Storage;
using Microsoft.Extensions.Options;
using NodaTime;

namespace JoeCash.Scheduler.Technicians;

/// <summary>The technicians: list, find, add; each action its own connection (and, to write, its own transaction).</summary>
public sealed class TechnicianService(Database database, AppointmentTypeCatalog types, IOptions<SchedulerOptions> options, IClock clock)
{
    /// <summary>All technicians in id order.</summary>
    public async Task<IReadOnlyList<TechnicianRecord>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await Open(cancellationToken).ConfigureAwait(false);
        var technicians = await connection.ListTechniciansAsync().ConfigureAwait(false);
        return [.. technicians.Select(TechnicianRecord.From)];
    }

    /// <summary>The technician with this id; refused if there is none.</summary>
    public async Task<Result<Technician>> FindAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await Open(cancellationToken).ConfigureAwait(false);
        return await connection.FindTechnicianAsync(id).ConfigureAwait(false);
    }

    /// <summary>The technician a person named: digits are an id, anything else an email address; refused if there is none.</summary>
    public async Task<Result<Technician>> FindAsync(string reference, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        await using var connection = await Open(cancellationToken).ConfigureAwait(false);
        return await connection.FindTechnicianAsync(reference).ConfigureAwait(false);
    }

    /// <summary>The technician with this email address; refused if there is none.</summary>
    public async Task<Result<Technician>> FindByEmailAsync(string email, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(email);
        await using var connection = await Open(cancellationToken).ConfigureAwait(false);
        return await connection.FindTechnicianAsync(email).ConfigureAwait(false);
    }

    /// <summary>
    /// Checks <paramref name="form"/> and adds the technician; refused (worded with <paramref name="labels"/>, plain
    /// words by default) if a field is wrong or the email address is taken.
    /// </summary>
    public async Task<Result<Technician>> AddAsync(TechnicianForm form, TechnicianLabels? labels = null, CancellationToken cancellationToken = default)
    {
        labels ??= TechnicianLabels.Plain;
        var input = TechnicianInput.Check(form, labels, types, options.Value.TimeZone);
        if (!input.IsSuccess)
        {
            return Result.Fail<Technician>(input.Error!);
        }

        var technician = input.Value;
        await using var connection = await Open(cancellationToken).ConfigureAwait(false);
        await using var writing = await Database.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        var transaction = writing.Transaction;
        if (await connection.TechnicianByEmailAsync(technician.Email, transaction).ConfigureAwait(false) is not null)
        {
            return Result.Fail<Technician>($"{labels.Email}: a technician with {technician.Email} already exists.");
        }

        var id = await connection.InsertTechnicianAsync(technician, clock.GetCurrentInstant(), transaction).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new Technician(id, technician.Name, technician.Email, technician.Zone, technician.State, technician.Hours,
            technician.AppointmentTypes.ToHashSet(StringComparer.OrdinalIgnoreCase), technician.DailyCap, Active: true);
    }

    private async Task<DbConnection> Open(CancellationToken cancellationToken) => await database.OpenAsync(cancellationToken).ConfigureAwait(false);
}
