using System.Data;
using Dapper;
using JoeCash.Scheduler.Storage;
using NodaTime;

namespace JoeCash.Scheduler.ShopLinks;

/// <summary>Dapper access to <c>shop_links</c>: a link is found by its token's hash, never by the token.</summary>
public static class ShopLinkSql
{
    private const string Columns = "id, appointment_id, recipient, seed, token_hash, issued_at, revoked_at, revoked_why";

    /// <summary>The active links of one appointment, per recipient.</summary>
    public static Task<IEnumerable<ShopLinkRow>> ActiveShopLinksAsync(this IDbConnection connection, long appointmentId, IDbTransaction? transaction = null) =>
        connection.QueryAsync<ShopLinkRow>($"SELECT {Columns} FROM shop_links WHERE appointment_id = @appointmentId AND revoked_at IS NULL", new { appointmentId }, transaction);

    /// <summary>The active links of these appointments.</summary>
    public static Task<IEnumerable<ShopLinkRow>> ActiveShopLinksAsync(this IDbConnection connection, IEnumerable<long> appointmentIds, IDbTransaction? transaction = null) =>
        connection.QueryAsync<ShopLinkRow>(
            $"SELECT {Columns} FROM shop_links WHERE appointment_id {connection.In("ids")} AND revoked_at IS NULL", new { ids = connection.List(appointmentIds.Distinct()) }, transaction);

    /// <summary>The link whose token hashes to <paramref name="hash"/>, revoked or not, or null.</summary>
    public static Task<ShopLinkRow?> ShopLinkByHashAsync(this IDbConnection connection, byte[] hash, IDbTransaction? transaction = null) =>
        connection.QuerySingleOrDefaultAsync<ShopLinkRow?>($"SELECT {Columns} FROM shop_links WHERE token_hash = @hash", new { hash }, transaction);

    /// <summary>Revokes the active link of one recipient (or of all recipients when null) of an appointment.</summary>
    public static Task<int> RevokeShopLinksAsync(this IDbConnection connection, long appointmentId, string? recipient, string why, Instant now, IDbTransaction? transaction = null) =>
        connection.ExecuteAsync("""
            UPDATE shop_links SET revoked_at = @now, revoked_why = @why
            WHERE appointment_id = @appointmentId AND revoked_at IS NULL AND (@recipient IS NULL OR recipient = @recipient)
            """, new { appointmentId, recipient, why, now }, transaction);

    public static Task<long> InsertShopLinkAsync(this IDbConnection connection, long appointmentId, string recipient, byte[] seed, byte[] hash, Instant now, IDbTransaction? transaction = null) =>
        connection.ExecuteScalarAsync<long>(InsertShopLinkSql + " RETURNING id", new { appointmentId, recipient, seed, hash, now }, transaction);

    /// <summary>The same as <see cref="InsertShopLinkAsync"/> without the id, queued in the caller's batch.</summary>
    public static void InsertShopLink(this StatementBatch batch, long appointmentId, string recipient, byte[] seed, byte[] hash, Instant now)
    {
        ArgumentNullException.ThrowIfNull(batch);
        batch.Execute(InsertShopLinkSql, ("appointmentId", appointmentId), ("recipient", recipient), ("seed", seed), ("hash", hash), ("now", now));
    }

    private const string InsertShopLinkSql =
        "INSERT INTO shop_links (appointment_id, recipient, seed, token_hash, issued_at) VALUES (@appointmentId, @recipient, @seed, @hash, @now)";
}

/// <summary>One row of <c>shop_links</c>.</summary>
public sealed record ShopLinkRow
{
    public long Id { get; init; }

    public long AppointmentId { get; init; }

    public string Recipient { get; init; } = "";

    public byte[] Seed { get; init; } = [];

    public byte[] TokenHash { get; init; } = [];

    public Instant IssuedAt { get; init; }

    public Instant? RevokedAt { get; init; }

    public string? RevokedWhy { get; init; }
}
