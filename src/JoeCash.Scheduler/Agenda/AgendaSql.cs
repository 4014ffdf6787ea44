using JoeCash.Scheduler.Storage;
using System.Data;
using Dapper;
using NodaTime;

namespace JoeCash.Scheduler.Agenda;

/// <summary>A shop's open counter-proposal for an appointment, as the technician's day shows it.</summary>
public sealed record OpenProposal
{
    public long AppointmentId { get; init; }

    public Instant ProposedStart { get; init; }

    public Instant ProposedEnd { get; init; }

    public Instant CreatedAt { get; init; }
}

/// <summary>Dapper access for the technician's day: what the agenda reads beyond appointments and shops.</summary>
public static class AgendaSql
{
    /// <summary>The newest open proposal of each of <paramref name="appointmentIds"/> (a newer one supersedes older ones, so at most one is open).</summary>
    public static async Task<IReadOnlyDictionary<long, OpenProposal>> OpenProposalsAsync(this IDbConnection connection, IReadOnlyCollection<long> appointmentIds)
    {
        if (appointmentIds.Count == 0)
        {
            return new Dictionary<long, OpenProposal>();
        }

        var rows = await connection.QueryAsync<OpenProposal>(
            $"SELECT appointment_id AS AppointmentId, proposed_start AS ProposedStart, proposed_end AS ProposedEnd, created_at AS CreatedAt FROM reschedule_requests WHERE status = 'open' AND appointment_id {connection.In("appointmentIds")} ORDER BY id",
            new { appointmentIds = connection.List(appointmentIds) }).ConfigureAwait(false);
        var byAppointment = new Dictionary<long, OpenProposal>();
        foreach (var row in rows)
        {
            byAppointment[row.AppointmentId] = row;
        }

        return byAppointment;
    }
}
