using System.Security.Cryptography;
using JoeCash.Scheduler.Storage;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace JoeCash.Scheduler.Idempotency;

/// <summary>What a key says about a request: go ahead (first use), replay a stored answer, or refuse.</summary>
public enum IdempotencyVerdict
{
    /// <summary>First use of the key: answer the request, then <see cref="IdempotencyStore.CompleteAsync"/> (or release on failure).</summary>
    Proceed,

    /// <summary>The key was answered before with the same body: send <see cref="IdempotencyClaim.Status"/> and <see cref="IdempotencyClaim.Response"/> again.</summary>
    Replay,

    /// <summary>The key was used with another body.</summary>
    BodyMismatch,

    /// <summary>The first request with this key is still being answered.</summary>
    InProgress,
}

/// <summary>The verdict on a key, and for a replay the stored answer.</summary>
public sealed record IdempotencyClaim(IdempotencyVerdict Verdict, int Status = 0, string? Response = null);

/// <summary>
/// Idempotency keys for requests that create something: per account, for <see cref="Lifetime"/>. The first request
/// with a key claims it (in a write transaction, so two at once cannot both proceed), its answer is stored, and a
/// repeat with the same body gets that answer again without doing the work twice.
/// </summary>
public sealed class IdempotencyStore(Database database, IClock clock)
{
    /// <summary>How long an answer is kept for replay.</summary>
    public static readonly Duration Lifetime = Duration.FromHours(24);

    /// <summary>Keys: 1 to 200 visible ASCII characters.</summary>
    public static bool IsValidKey(string key) =>
        !string.IsNullOrEmpty(key) && key.Length <= 200 && key.All(c => c is > ' ' and <= '~');

    public async Task<IdempotencyClaim> ClaimAsync(long accountId, string key, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default)
    {
        var hash = SHA256.HashData(body.Span);
        var now = clock.GetCurrentInstant();
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var writing = await Database.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        var transaction = writing.Transaction;
        await connection.ForgetIdempotencyKeysAsync(now - Lifetime, transaction).ConfigureAwait(false);
        var row = await connection.IdempotencyKeyAsync(accountId, key, transaction).ConfigureAwait(false);
        if (row is null)
        {
            await connection.ClaimIdempotencyKeyAsync(accountId, key, hash, now, transaction).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return new IdempotencyClaim(IdempotencyVerdict.Proceed);
        }

        return !CryptographicOperations.FixedTimeEquals(row.BodyHash, hash) ? new IdempotencyClaim(IdempotencyVerdict.BodyMismatch)
            : row.Status is { } status ? new IdempotencyClaim(IdempotencyVerdict.Replay, (int)status, row.Response)
            : new IdempotencyClaim(IdempotencyVerdict.InProgress);
    }

    /// <summary>Stores the answer to a claimed key.</summary>
    public async Task CompleteAsync(long accountId, string key, int status, string response, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.CompleteIdempotencyKeyAsync(accountId, key, status, response).ConfigureAwait(false);
    }

    /// <summary>Gives a claimed key up (the request failed before it changed anything): a retry may proceed.</summary>
    public async Task ReleaseAsync(long accountId, string key)
    {
        await using var connection = await database.OpenAsync(CancellationToken.None).ConfigureAwait(false);
        await connection.ReleaseIdempotencyKeyAsync(accountId, key).ConfigureAwait(false);
    }
}

/// <summary>Registration.</summary>
public static class IdempotencyServices
{
    public static IServiceCollection AddIdempotency(this IServiceCollection services) => services.AddSingleton<IdempotencyStore>();
}
