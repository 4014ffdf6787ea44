using System.Data;
using Dapper;
using NodaTime;

namespace JoeCash.Scheduler.Feeds;

/// <summary>Dapper access to the feed tokens: only their SHA-256 hashes are ever stored or compared.</summary>
public static class FeedSql
{
    /// <summary>Stores <paramref name="hash"/> as the technician's only token, replacing any earlier one.</summary>
    public static Task ReplaceFeedTokenAsync(this IDbConnection connection, long technicianId, byte[] hash, Instant now, IDbTransaction? transaction = null) =>
        connection.ExecuteAsync("""
            INSERT INTO feed_tokens (technician_id, token_hash, created_at) VALUES (@technicianId, @hash, @now)
            ON CONFLICT (technician_id) DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at
            """,
            new { technicianId, hash, now },
            transaction);

    /// <summary>The technician whose token has this hash (with the stored hash, to compare in constant time), or null.</summary>
    public static Task<FeedTokenRow?> FeedTokenByHashAsync(this IDbConnection connection, byte[] hash, IDbTransaction? transaction = null) =>
        connection.QuerySingleOrDefaultAsync<FeedTokenRow?>(
            "SELECT technician_id, token_hash, created_at FROM feed_tokens WHERE token_hash = @hash", new { hash }, transaction);

    /// <summary>When the technician's current token was made, or null if they have none.</summary>
    public static async Task<Instant?> FeedTokenCreatedAsync(this IDbConnection connection, long technicianId, IDbTransaction? transaction = null)
    {
        var row = await connection.QuerySingleOrDefaultAsync<FeedTokenRow?>(
            "SELECT technician_id, token_hash, created_at FROM feed_tokens WHERE technician_id = @technicianId", new { technicianId }, transaction).ConfigureAwait(false);
        return row?.CreatedAt;
    }
}

/// <summary>One row of <c>feed_tokens</c>.</summary>
public sealed record FeedTokenRow
{
    public long TechnicianId { get; init; }

    public byte[] TokenHash { get; init; } = [];

    public Instant CreatedAt { get; init; }
}
