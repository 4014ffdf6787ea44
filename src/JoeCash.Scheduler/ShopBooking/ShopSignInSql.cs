using System.Data;
using Dapper;
using NodaTime;

namespace JoeCash.Scheduler.ShopBooking;

/// <summary>Dapper access to <c>shop_sign_ins</c>: a sign-in link is found by its token's hash and used at most once.</summary>
public static class ShopSignInSql
{
    public static Task InsertShopSignInAsync(this IDbConnection connection, long? customerId, string email, byte[] hash, Instant now, Instant expires, IDbTransaction transaction) =>
        connection.ExecuteAsync("""
            INSERT INTO shop_sign_ins (customer_id, email, token_hash, issued_at, expires_at) VALUES (@customerId, @email, @hash, @now, @expires)
            """, new { customerId, email, hash, now, expires }, transaction);

    /// <summary>Deletes the sign-ins that expired before <paramref name="before"/>, used or not; returns how many.</summary>
    public static Task<int> ForgetShopSignInsAsync(this IDbConnection connection, Instant before, IDbTransaction transaction) =>
        connection.ExecuteAsync("DELETE FROM shop_sign_ins WHERE expires_at < @before", new { before }, transaction);

    /// <summary>The sign-in whose token hashes to <paramref name="hash"/>, used or not, or null.</summary>
    public static Task<ShopSignInRow?> ShopSignInByHashAsync(this IDbConnection connection, byte[] hash, IDbTransaction? transaction = null) =>
        connection.QuerySingleOrDefaultAsync<ShopSignInRow?>(
            "SELECT id, customer_id, email, token_hash, issued_at, expires_at, used_at FROM shop_sign_ins WHERE token_hash = @hash", new { hash }, transaction);

    /// <summary>Marks the sign-in used if it still may be: 1 for the one confirmation that wins, 0 for any other (used, late).</summary>
    public static Task<int> UseShopSignInAsync(this IDbConnection connection, long id, Instant now, IDbTransaction transaction) =>
        connection.ExecuteAsync("UPDATE shop_sign_ins SET used_at = @now WHERE id = @id AND used_at IS NULL AND expires_at > @now", new { id, now }, transaction);
}

/// <summary>One row of <c>shop_sign_ins</c>.</summary>
public sealed record ShopSignInRow
{
    public long Id { get; init; }

    public long? CustomerId { get; init; }

    public string Email { get; init; } = "";

    public byte[] TokenHash { get; init; } = [];

    public Instant IssuedAt { get; init; }

    public Instant ExpiresAt { get; init; }

    public Instant? UsedAt { get; init; }
}
