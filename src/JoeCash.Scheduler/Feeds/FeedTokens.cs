using System.Buffers.Text;
using System.Security.Cryptography;
using JoeCash.Scheduler.Staff;
using JoeCash.Scheduler.Storage;
using NodaTime;

namespace JoeCash.Scheduler.Feeds;

/// <summary>
/// The secret in a technician's feed URL: 256 random bits, base64url, shown once when made. Only its
/// SHA-256 hash is stored; rotating replaces it, so the old URL finds nothing from then on. A token is
/// never logged.
/// </summary>
public sealed class FeedTokens(Database database, IClock clock)
{
    /// <summary>Random bytes per token (256 bits).</summary>
    public const int TokenBytes = 32;

    /// <summary>The length of a token as text: base64url of <see cref="TokenBytes"/>, unpadded.</summary>
    public static readonly int TokenLength = Base64Url.GetEncodedLength(TokenBytes);

    /// <summary>Makes a new token for the technician, replacing the old one; returns it (the only time it is seen).</summary>
    /// <param name="technicianId">An existing technician.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public async Task<string> RotateAsync(long technicianId, CancellationToken cancellationToken = default)
    {
        var bytes = RandomNumberGenerator.GetBytes(TokenBytes);
        var token = Base64Url.EncodeToString(bytes);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ReplaceFeedTokenAsync(technicianId, SHA256.HashData(bytes), clock.GetCurrentInstant()).ConfigureAwait(false);
        return token;
    }

    /// <summary>When the technician's current token was made, or null if they have none.</summary>
    /// <param name="technicianId">The technician.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public async Task<Instant?> CreatedAsync(long technicianId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.FeedTokenCreatedAsync(technicianId).ConfigureAwait(false);
    }

    /// <summary>The technician whose feed <paramref name="token"/> opens, or null: wrong, replaced and malformed tokens alike.</summary>
    /// <param name="token">The token from the URL, as typed.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public async Task<long?> FindTechnicianAsync(string? token, CancellationToken cancellationToken = default)
    {
        if (Secrets.TokenHash(token, TokenBytes) is not { } hash)
        {
            return null;
        }

        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.FeedTokenByHashAsync(hash).ConfigureAwait(false);
        return row is not null && CryptographicOperations.FixedTimeEquals(row.TokenHash, hash) ? row.TechnicianId : null;
    }
}
