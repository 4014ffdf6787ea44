using System.Data.Common;
using Dapper;
using NodaTime;

namespace JoeCash.Scheduler.Idempotency;

/// <summary>The SQL of idempotency keys.</summary>
internal static class IdempotencySql
{
    internal sealed record KeyRow(byte[] BodyHash, Instant CreatedAt, long? Status, string? Response);

    public static Task<KeyRow?> IdempotencyKeyAsync(this DbConnection connection, long accountId, string key, DbTransaction transaction) =>
        connection.QuerySingleOrDefaultAsync<KeyRow>(
            "SELECT body_hash AS BodyHash, created_at AS CreatedAt, status AS Status, response AS Response FROM idempotency_keys WHERE account_id = @accountId AND key = @key",
            new { accountId, key }, transaction);

    /// <summary>Forgets keys older than <paramref name="before"/> (and the one given, if it is that old).</summary>
    public static Task ForgetIdempotencyKeysAsync(this DbConnection connection, Instant before, DbTransaction transaction) =>
        connection.ExecuteAsync("DELETE FROM idempotency_keys WHERE created_at < @before", new { before }, transaction);

    public static Task ClaimIdempotencyKeyAsync(this DbConnection connection, long accountId, string key, byte[] bodyHash, Instant now, DbTransaction transaction) =>
        connection.ExecuteAsync(
            "INSERT INTO idempotency_keys (account_id, key, body_hash, created_at) VALUES (@accountId, @key, @bodyHash, @now)",
            new { accountId, key, bodyHash, now }, transaction);

    public static Task CompleteIdempotencyKeyAsync(this DbConnection connection, long accountId, string key, int status, string response) =>
        connection.ExecuteAsync(
            "UPDATE idempotency_keys SET status = @status, response = @response WHERE account_id = @accountId AND key = @key",
            new { accountId, key, status, response });

    public static Task ReleaseIdempotencyKeyAsync(this DbConnection connection, long accountId, string key) =>
        connection.ExecuteAsync("DELETE FROM idempotency_keys WHERE account_id = @accountId AND key = @key AND status IS NULL", new { accountId, key });
}
