using System.Collections.Concurrent;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Storage;
using NodaTime;

namespace JoeCash.Scheduler.Staff;

/// <summary>
/// API keys for scripts: <c>jck_</c> and 256 random bits, shown once, stored as a SHA-256 hash, revocable.
/// A key acts as its account (same role, same technician).
/// </summary>
/// <remarks>
/// A script sends its key with every request, so a key that authenticated is remembered with its account for
/// <see cref="CacheFor"/>: a revocation (or a change of the account) made by another process — the command line, another
/// node — takes effect within that time; one made through this instance at once. Every request is still checked
/// against the remembered hash in constant time; unknown keys are never remembered. When the remembered answer runs
/// out, one request asks the database and the others at that moment wait for its answer.
/// </remarks>
public sealed class ApiKeyService(Database database, IClock clock)
{
    public const string Prefix = "jck_";

    /// <summary>How long a key's account is taken from memory before the database is asked again.</summary>
    public static readonly Duration CacheFor = Duration.FromSeconds(5);

    private readonly ConcurrentDictionary<string, Remembered> _remembered = new(StringComparer.Ordinal);

    /// <summary>The database lookups under way, by key hash: at most one per key (<see cref="LookUpOnceAsync"/>).</summary>
    private readonly ConcurrentDictionary<string, Task<Remembered?>> _lookingUp = new(StringComparer.Ordinal);

    public async Task<Result<ApiKeyCreated>> CreateAsync(string login, string name, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(login);
        var label = UserText.Required(name, "name", 100);
        if (!label.IsSuccess)
        {
            return Result.Fail<ApiKeyCreated>(label.Error!);
        }

        var secret = Secrets.New(Prefix);
        var now = clock.GetCurrentInstant();
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var writing = await Database.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        var transaction = writing.Transaction;
        var account = await connection.AccountByLoginAsync(login.Trim().ToLowerInvariant(), transaction).ConfigureAwait(false);
        if (account is null)
        {
            return Result.Fail<ApiKeyCreated>($"email address: no account for '{UserText.Shown(login, 100)}'.");
        }

        var id = await connection.InsertApiKeyAsync(account.Id, label.Value, Secrets.Hash(secret), now, transaction).ConfigureAwait(false);
        await connection.AuditAsync(account.Id, now, "api-key-created", actor, $"key {id} ({label.Value})", transaction).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new ApiKeyCreated(new ApiKeyRecord(id, label.Value, now, null, null), secret);
    }

    public async Task<Result<IReadOnlyList<ApiKeyRecord>>> ListAsync(string login, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(login);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var account = await connection.AccountByLoginAsync(login.Trim().ToLowerInvariant()).ConfigureAwait(false);
        return account is null
            ? Result.Fail<IReadOnlyList<ApiKeyRecord>>($"email address: no account for '{UserText.Shown(login, 100)}'.")
            : Result.Ok(await connection.ApiKeysAsync(account.Id).ConfigureAwait(false));
    }

    /// <summary>Revokes one key of the account; refused if it has no such unrevoked key.</summary>
    public async Task<Result<long>> RevokeAsync(string login, long keyId, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(login);
        var now = clock.GetCurrentInstant();
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var writing = await Database.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        var transaction = writing.Transaction;
        var account = await connection.AccountByLoginAsync(login.Trim().ToLowerInvariant(), transaction).ConfigureAwait(false);
        if (account is null)
        {
            return Result.Fail<long>($"email address: no account for '{UserText.Shown(login, 100)}'.");
        }

        if (await connection.RevokeApiKeyAsync(account.Id, keyId, now, transaction).ConfigureAwait(false) == 0)
        {
            return Result.Fail<long>($"key: {account.Login} has no active key {keyId}.");
        }

        await connection.AuditAsync(account.Id, now, "api-key-revoked", actor, $"key {keyId}", transaction).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        Forget(keyId);
        return keyId;
    }

    /// <summary>The account <paramref name="secret"/> belongs to, or null (unknown, revoked or malformed).</summary>
    public async Task<StaffAccount?> AuthenticateAsync(string secret, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (!secret.StartsWith(Prefix, StringComparison.Ordinal) || secret.Length > 100)
        {
            return null;
        }

        var hash = Secrets.Hash(secret);
        var index = Convert.ToBase64String(hash);
        if (!_remembered.TryGetValue(index, out var remembered) || clock.GetCurrentInstant() >= remembered.Until)
        {
            remembered = await LookUpOnceAsync(index, hash, cancellationToken).ConfigureAwait(false);
        }

        return remembered is not null && Secrets.Matches(hash, remembered.KeyHash) ? remembered.Account : null;
    }

    /// <summary>
    /// The key's row and account from the database, asked once however many requests want them: a script's requests
    /// arrive together, and their remembered answer runs out for all of them at the same moment. The first asks; the
    /// others wait for its answer, not for the "last used" stamp it writes after answering (which waits for the writer).
    /// </summary>
    private async Task<Remembered?> LookUpOnceAsync(string index, byte[] hash, CancellationToken cancellationToken)
    {
        var mine = new TaskCompletionSource<Remembered?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var asked = _lookingUp.GetOrAdd(index, mine.Task);
        if (asked != mine.Task)
        {
            return await asked.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        var answered = false;
        try
        {
            await using var connection = await database.OpenAsync(CancellationToken.None).ConfigureAwait(false);
            var now = clock.GetCurrentInstant();
            var key = await connection.ApiKeyByHashAsync(hash).ConfigureAwait(false);
            var account = key is null || !Secrets.Matches(hash, key.KeyHash) ? null : (await connection.AccountByIdAsync(key.AccountId).ConfigureAwait(false))?.Account;
            var remembered = account is null ? null : new Remembered(key!.Id, key.KeyHash, account, now + CacheFor);
            if (remembered is null)
            {
                // Unknown keys are never remembered.
                _remembered.TryRemove(index, out _);
            }
            else
            {
                _remembered[index] = remembered;
            }

            // Remembered first, then no longer asked: a request in between finds the fresh answer either way.
            _lookingUp.TryRemove(index, out _);
            mine.SetResult(remembered);
            answered = true;

            // "Last used" to the minute is enough to spot an unused key, without a write per request.
            if (remembered is not null && (key!.LastUsedAt is not { } used || now - used > Duration.FromMinutes(1)))
            {
                // Many requests of one script arrive at once: the stamp must never fail (or serialize) them.
                await Database.WriteRowsAsync(connection, t => connection.TouchApiKeyAsync(key.Id, now, t), cancellationToken).ConfigureAwait(false);
            }

            return remembered;
        }
        catch (Exception e) when (!answered)
        {
            _lookingUp.TryRemove(index, out _);
            mine.SetException(e);
            // This caller throws it; the waiters, if any, get it from the task (never an unobserved task exception).
            _ = mine.Task.Exception;
            throw;
        }
    }

    /// <summary>Forgets the key <paramref name="keyId"/> if it is remembered: its next request reads the database.</summary>
    private void Forget(long keyId)
    {
        foreach (var (index, remembered) in _remembered)
        {
            if (remembered.KeyId == keyId)
            {
                _remembered.TryRemove(index, out _);
            }
        }
    }

    /// <summary>A key that authenticated, its account, and until when that answer is used without asking the database.</summary>
    private sealed record Remembered(long KeyId, byte[] KeyHash, StaffAccount Account, Instant Until);
}
