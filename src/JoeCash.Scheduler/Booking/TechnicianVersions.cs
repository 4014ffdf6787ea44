using System.Data.Common;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Storage;

namespace JoeCash.Scheduler.Booking;

/// <summary>
/// A booking reads its candidate technicians before it takes their turns (the turns are named after them). On
/// PostgreSQL, at READ COMMITTED, an edit (<see cref="TechnicianEditService"/>, in the technician's turn) may commit
/// between the two: once the turns are held, the versions read then are compared with the stored ones, and a booking
/// that read an older technician runs again (<see cref="ChangedMeanwhileException"/>). On SQLite the whole booking
/// holds the only writer from its first read, so nothing can change in between and nothing is read.
/// </summary>
internal sealed class TechnicianVersions
{
    private const string Sql = "SELECT id, version FROM technicians WHERE id = ANY(@ids)";

    private readonly IReadOnlyList<Technician> _candidates;
    private readonly Dictionary<long, int> _stored = [];

    private TechnicianVersions(IReadOnlyList<Technician> candidates) => _candidates = candidates;

    /// <summary>Queues the read of the stored versions in <paramref name="batch"/> (after its turns); null on SQLite.</summary>
    public static TechnicianVersions? ReadIn(StatementBatch batch, DbConnection connection, IReadOnlyList<Technician> candidates)
    {
        if (!connection.IsPostgres())
        {
            return null;
        }

        var versions = new TechnicianVersions(candidates);
        batch.Query(Sql, r => versions._stored[r.GetInt64(0)] = r.GetInt32(1), ("ids", candidates.Select(t => t.Id).ToArray()));
        return versions;
    }

    /// <summary>Reads and compares at once (the caller holds the turns already); nothing on SQLite.</summary>
    public static async Task CheckAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<Technician> candidates)
    {
        var batch = Database.Batch(connection, transaction);
        if (ReadIn(batch, connection, candidates) is { } versions)
        {
            await batch.ExecuteAsync().ConfigureAwait(false);
            versions.ThrowIfChanged();
        }
    }

    /// <summary>Throws <see cref="ChangedMeanwhileException"/> if a candidate was edited (or removed) since it was read.</summary>
    public void ThrowIfChanged()
    {
        foreach (var technician in _candidates)
        {
            if (!_stored.TryGetValue(technician.Id, out var stored) || stored != technician.Version)
            {
                throw new ChangedMeanwhileException($"technician {technician.Id} was changed while this booking waited for its turn");
            }
        }
    }
}
