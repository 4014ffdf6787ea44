using System.Data.Common;
using Dapper;
using NodaTime;

namespace JoeCash.Scheduler.Staff;

/// <summary>The SQL of staff accounts, API keys and their audit.</summary>
internal static class StaffSql
{
    private const string AccountColumns =
        "id, login, name, role, technician_id, language, security_stamp, created_at, password_hash, failed_sign_ins, locked_until";

    /// <summary>An account row with what only the service reads (hash, failures, lockout).</summary>
    internal sealed record AccountRow(
        long Id, string Login, string Name, string Role, long? TechnicianId, string? Language, string SecurityStamp,
        Instant CreatedAt, string PasswordHash, long FailedSignIns, Instant? LockedUntil)
    {
        public StaffAccount Account => new(Id, Login, Name, Enum.Parse<StaffRole>(Role, ignoreCase: true), TechnicianId, Language, SecurityStamp, CreatedAt);
    }

    public static Task<AccountRow?> AccountByLoginAsync(this DbConnection connection, string login, DbTransaction? transaction = null) =>
        connection.QuerySingleOrDefaultAsync<AccountRow>($"SELECT {AccountColumns} FROM staff_accounts WHERE login = @login", new { login }, transaction);

    public static Task<AccountRow?> AccountByIdAsync(this DbConnection connection, long id, DbTransaction? transaction = null) =>
        connection.QuerySingleOrDefaultAsync<AccountRow>($"SELECT {AccountColumns} FROM staff_accounts WHERE id = @id", new { id }, transaction);

    public static Task<AccountRow?> AccountByTechnicianAsync(this DbConnection connection, long technicianId, DbTransaction? transaction = null) =>
        connection.QuerySingleOrDefaultAsync<AccountRow>($"SELECT {AccountColumns} FROM staff_accounts WHERE technician_id = @technicianId", new { technicianId }, transaction);

    public static async Task<IReadOnlyList<AccountRow>> ListAccountsAsync(this DbConnection connection) =>
        [.. await connection.QueryAsync<AccountRow>($"SELECT {AccountColumns} FROM staff_accounts ORDER BY id").ConfigureAwait(false)];

    public static Task<long> CountAccountsAsync(this DbConnection connection) =>
        connection.ExecuteScalarAsync<long>("SELECT count(*) FROM staff_accounts");

    public static Task<string?> SecurityStampAsync(this DbConnection connection, long id) =>
        connection.ExecuteScalarAsync<string?>("SELECT security_stamp FROM staff_accounts WHERE id = @id", new { id });

    public static Task<long> InsertAccountAsync(this DbConnection connection, StaffAccount account, string passwordHash, DbTransaction transaction) =>
        connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO staff_accounts (login, name, role, technician_id, password_hash, security_stamp, language, created_at)
            VALUES (@Login, @Name, @role, @TechnicianId, @passwordHash, @SecurityStamp, @Language, @CreatedAt)
            RETURNING id
            """,
            new { account.Login, account.Name, role = account.Role.ToString().ToLowerInvariant(), account.TechnicianId, passwordHash, account.SecurityStamp, account.Language, account.CreatedAt },
            transaction);

    /// <summary>A new password and stamp; clears failures and lockout.</summary>
    public static Task SetPasswordAsync(this DbConnection connection, long id, string passwordHash, string stamp, DbTransaction transaction) =>
        connection.ExecuteAsync(
            "UPDATE staff_accounts SET password_hash = @passwordHash, security_stamp = @stamp, failed_sign_ins = 0, locked_until = NULL WHERE id = @id",
            new { id, passwordHash, stamp }, transaction);

    public static Task SetStampAsync(this DbConnection connection, long id, string stamp, DbTransaction transaction) =>
        connection.ExecuteAsync("UPDATE staff_accounts SET security_stamp = @stamp WHERE id = @id", new { id, stamp }, transaction);

    public static Task SetLanguageAsync(this DbConnection connection, long id, string? language, DbTransaction transaction) =>
        connection.ExecuteAsync("UPDATE staff_accounts SET language = @language WHERE id = @id", new { id, language }, transaction);

    /// <summary>One more wrong password, counted in the database (two at once both count); returns the count.</summary>
    public static Task<long> CountFailureAsync(this DbConnection connection, long id, DbTransaction transaction) =>
        connection.ExecuteScalarAsync<long>(
            "UPDATE staff_accounts SET failed_sign_ins = failed_sign_ins + 1 WHERE id = @id RETURNING failed_sign_ins", new { id }, transaction);

    /// <summary>Locks the account until <paramref name="lockedUntil"/> and starts counting afresh.</summary>
    public static Task LockAsync(this DbConnection connection, long id, Instant lockedUntil, DbTransaction transaction) =>
        connection.ExecuteAsync(
            "UPDATE staff_accounts SET failed_sign_ins = 0, locked_until = @lockedUntil WHERE id = @id", new { id, lockedUntil }, transaction);

    public static Task ClearFailuresAsync(this DbConnection connection, long id, DbTransaction transaction) =>
        connection.ExecuteAsync("UPDATE staff_accounts SET failed_sign_ins = 0, locked_until = NULL WHERE id = @id", new { id }, transaction);

    public static Task AuditAsync(this DbConnection connection, long accountId, Instant at, string action, string actor, string? detail, DbTransaction transaction) =>
        connection.ExecuteAsync(
            "INSERT INTO staff_audit (account_id, at, action, actor, detail) VALUES (@accountId, @at, @action, @actor, @detail)",
            new { accountId, at, action, actor, detail }, transaction);

    public static Task<long> InsertApiKeyAsync(this DbConnection connection, long accountId, string name, byte[] keyHash, Instant createdAt, DbTransaction transaction) =>
        connection.ExecuteScalarAsync<long>(
            "INSERT INTO api_keys (account_id, name, key_hash, created_at) VALUES (@accountId, @name, @keyHash, @createdAt) RETURNING id",
            new { accountId, name, keyHash, createdAt }, transaction);

    public static async Task<IReadOnlyList<ApiKeyRecord>> ApiKeysAsync(this DbConnection connection, long accountId) =>
        [.. await connection.QueryAsync<ApiKeyRecord>(
            "SELECT id, name, created_at, last_used_at, revoked_at FROM api_keys WHERE account_id = @accountId ORDER BY id",
            new { accountId }).ConfigureAwait(false)];

    public static Task<int> RevokeApiKeyAsync(this DbConnection connection, long accountId, long keyId, Instant at, DbTransaction transaction) =>
        connection.ExecuteAsync(
            "UPDATE api_keys SET revoked_at = @at WHERE id = @keyId AND account_id = @accountId AND revoked_at IS NULL",
            new { accountId, keyId, at }, transaction);

    /// <summary>The account an unrevoked key belongs to, found by the key's hash.</summary>
    public static Task<ApiKeyRow?> ApiKeyByHashAsync(this DbConnection connection, byte[] keyHash) =>
        connection.QuerySingleOrDefaultAsync<ApiKeyRow>(
            "SELECT id, account_id, key_hash, last_used_at FROM api_keys WHERE key_hash = @keyHash AND revoked_at IS NULL", new { keyHash });

    /// <summary>An unrevoked key's row.</summary>
    internal sealed record ApiKeyRow(long Id, long AccountId, byte[] KeyHash, Instant? LastUsedAt);

    public static Task TouchApiKeyAsync(this DbConnection connection, long keyId, Instant at, DbTransaction? transaction = null) =>
        connection.ExecuteAsync("UPDATE api_keys SET last_used_at = @at WHERE id = @keyId", new { keyId, at }, transaction);
}
