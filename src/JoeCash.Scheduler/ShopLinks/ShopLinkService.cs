using System.Buffers.Text;
using System.Data;
using System.Security.Cryptography;
using JoeCash.Scheduler.Configuration;
using JoeCash.Scheduler.Staff;
using JoeCash.Scheduler.Storage;
using Microsoft.Extensions.Options;
using NodaTime;

namespace JoeCash.Scheduler.ShopLinks;

/// <summary>
/// The shops' personal links, <c>{Web:PublicBaseUrl}/s/{token}</c>: one per appointment and recipient. A link is
/// issued inside the transaction that queues the email carrying it; the email's stored model holds only the
/// link's seed, and the token (HMAC of the seed under <see cref="ShopLinkKey"/>) is made when the email is
/// rendered. The token carries no personal data and is never logged; requests find the link by its hash.
/// </summary>
public sealed class ShopLinkService(Database database, ShopLinkKey key, IOptions<PublicAddressOptions> publicAddress)
{
    private const int SeedBytes = 16;
    private const int TokenBytes = 32;

    /// <summary>
    /// The seed of each recipient's link, issuing links for those who have none; <paramref name="renew"/> replaces
    /// existing ones (the old links stop working).
    /// </summary>
    /// <param name="connection">The caller's connection.</param>
    /// <param name="transaction">The caller's write transaction: the links commit with the email that carries them.</param>
    /// <param name="appointmentId">The appointment.</param>
    /// <param name="recipients">The addresses the email goes to.</param>
    /// <param name="now">When.</param>
    /// <param name="renew">Issue new links even where one is active.</param>
    public async Task<IReadOnlyDictionary<string, string>> SeedsAsync(
        IDbConnection connection, IDbTransaction transaction, long appointmentId, IEnumerable<string> recipients, Instant now, bool renew = false)
    {
        ArgumentNullException.ThrowIfNull(recipients);
        var active = await connection.ActiveShopLinksAsync(appointmentId, transaction).ConfigureAwait(false);
        return await IssueAsync(connection, transaction, appointmentId, recipients, active, now, renew).ConfigureAwait(false);
    }

    /// <summary>
    /// The seeds of many appointments' recipients at once (the reminder sweep's batch): one query for the links they
    /// have, a new link only for a recipient without one.
    /// </summary>
    public async Task<IReadOnlyDictionary<long, IReadOnlyDictionary<string, string>>> SeedsAsync(
        IDbConnection connection, IDbTransaction transaction, IReadOnlyDictionary<long, IReadOnlyList<string>> recipientsByAppointment, Instant now)
    {
        ArgumentNullException.ThrowIfNull(recipientsByAppointment);
        var active = (await connection.ActiveShopLinksAsync(recipientsByAppointment.Keys, transaction).ConfigureAwait(false)).ToLookup(l => l.AppointmentId);
        var seeds = new Dictionary<long, IReadOnlyDictionary<string, string>>();
        foreach (var (appointmentId, recipients) in recipientsByAppointment)
        {
            seeds[appointmentId] = await IssueAsync(connection, transaction, appointmentId, recipients, active[appointmentId], now, renew: false).ConfigureAwait(false);
        }

        return seeds;
    }

    /// <summary>
    /// The seeds of new links for the recipients of a new appointment, which has none yet: the inserts are queued in
    /// <paramref name="batch"/>, to commit with the email that carries them (no read, no round trip of its own).
    /// </summary>
    public IReadOnlyDictionary<string, string> IssueNew(StatementBatch batch, long appointmentId, IEnumerable<string> recipients, Instant now)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(recipients);
        var seeds = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var recipient in recipients)
        {
            if (seeds.ContainsKey(recipient))
            {
                continue;
            }

            var seed = RandomNumberGenerator.GetBytes(SeedBytes);
            seeds[recipient] = Base64Url.EncodeToString(seed);
            batch.InsertShopLink(appointmentId, recipient.ToLowerInvariant(), seed, SHA256.HashData(key.Sign(seed)), now);
        }

        return seeds;
    }

    private async Task<IReadOnlyDictionary<string, string>> IssueAsync(
        IDbConnection connection, IDbTransaction transaction, long appointmentId, IEnumerable<string> recipients, IEnumerable<ShopLinkRow> activeLinks, Instant now, bool renew)
    {
        var active = activeLinks.ToDictionary(l => l.Recipient, StringComparer.Ordinal);
        var seeds = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var recipient in recipients)
        {
            var address = recipient.ToLowerInvariant();
            if (!renew && active.TryGetValue(address, out var link))
            {
                seeds[recipient] = Base64Url.EncodeToString(link.Seed);
                continue;
            }

            if (active.ContainsKey(address))
            {
                await connection.RevokeShopLinksAsync(appointmentId, address, "replaced", now, transaction).ConfigureAwait(false);
            }

            var seed = RandomNumberGenerator.GetBytes(SeedBytes);
            seeds[recipient] = Base64Url.EncodeToString(seed);
            await connection.InsertShopLinkAsync(appointmentId, address, seed, SHA256.HashData(key.Sign(seed)), now, transaction).ConfigureAwait(false);
        }

        return seeds;
    }

    /// <summary>The page's address for a link with <paramref name="seed"/> (as stored in an email's model).</summary>
    public string Url(string seed) => publicAddress.Value.Url("/s/" + Token(Base64Url.DecodeFromChars(seed)));

    /// <summary>The link <paramref name="token"/> opens — active, revoked or expired alike — or null for anything unknown or malformed.</summary>
    public async Task<ShopLinkRow?> FindAsync(string? token, CancellationToken cancellationToken = default)
    {
        if (Secrets.TokenHash(token, TokenBytes) is not { } hash)
        {
            return null;
        }

        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.ShopLinkByHashAsync(hash).ConfigureAwait(false);
        return row is not null && CryptographicOperations.FixedTimeEquals(row.TokenHash, hash) ? row : null;
    }

    private string Token(byte[] seed) => Base64Url.EncodeToString(key.Sign(seed));
}
