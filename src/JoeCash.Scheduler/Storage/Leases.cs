using Dapper;
using NodaTime;

namespace JoeCash.Scheduler.Storage;

/// <summary>
/// Work that one node at a time may do (reading the support mailbox): a row per name in <c>leases</c>,
/// held by one <see cref="Claimant"/> until it expires, renewed while its holder lives. A holder that
/// dies loses it when the lease runs out; nobody takes a live holder's lease.
/// </summary>
public sealed class Leases(Database database, IClock clock)
{
    /// <summary>Takes or renews the lease; true if <paramref name="holder"/> holds it for <paramref name="duration"/> from now.</summary>
    public async Task<bool> TryHoldAsync(string name, Claimant holder, Duration duration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(holder);
        var now = clock.GetCurrentInstant();
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var writing = await Database.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        var transaction = writing.Transaction;
        var rows = await connection.ExecuteAsync("""
            INSERT INTO leases (name, holder, expires_at) VALUES (@name, @holder, @until)
            ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
            WHERE leases.holder = excluded.holder OR leases.expires_at <= @now
            """,
            new { name, holder = holder.Name, until = now + duration, now }, transaction).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return rows == 1;
    }

    /// <summary>Gives the lease up at once (a clean stop), so another node need not wait for it to expire.</summary>
    public async Task ReleaseAsync(string name, Claimant holder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(holder);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync("DELETE FROM leases WHERE name = @name AND holder = @holder", new { name, holder = holder.Name }).ConfigureAwait(false);
    }
}
