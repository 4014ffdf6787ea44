using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Storage;
using JoeCash.Scheduler.Technicians;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using NodaTime;

namespace JoeCash.Scheduler.Staff;

/// <summary>
/// Staff accounts: create, reset, sign in (with lockout), sign out everywhere. Every change leaves a line in
/// <c>staff_audit</c> naming who did it (<c>actor</c>: "cli", an account's login).
/// </summary>
public sealed class StaffService(Database database, TechnicianService technicians, IOptions<StaffOptions> options, IClock clock)
{
    private static readonly PasswordHasher<StaffAccount> Hasher = new();

    // Verified against when the login is unknown, so that a wrong login costs the same time as a wrong password.
    private static readonly Lazy<string> DecoyHash = new(() => Hasher.HashPassword(null!, Secrets.NewPassword()));

    public async Task<long> CountAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.CountAccountsAsync().ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<StaffAccount>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return [.. (await connection.ListAccountsAsync().ConfigureAwait(false)).Select(row => row.Account)];
    }

    public async Task<StaffAccount?> FindAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.AccountByIdAsync(id).ConfigureAwait(false))?.Account;
    }

    public async Task<StaffAccount?> FindByLoginAsync(string login, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(login);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.AccountByLoginAsync(login.Trim().ToLowerInvariant()).ConfigureAwait(false))?.Account;
    }

    /// <summary>The account's current security stamp (null if the account is gone): a session with another stamp is over.</summary>
    public async Task<string?> SecurityStampAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.SecurityStampAsync(id).ConfigureAwait(false);
    }

    /// <summary>Checks <paramref name="form"/> and creates the account; without a password in the form, one is generated and returned once.</summary>
    public async Task<Result<StaffCredentials>> AddAsync(StaffForm form, string actor, StaffLabels? labels = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(form);
        labels ??= StaffLabels.Plain;
        var login = UserText.Email(form.Login, labels.Login);
        if (!login.IsSuccess)
        {
            return Result.Fail<StaffCredentials>(login.Error!);
        }

        var name = UserText.Required(form.Name, labels.Name, 200);
        if (!name.IsSuccess)
        {
            return Result.Fail<StaffCredentials>(name.Error!);
        }

        if (!Enum.TryParse<StaffRole>(form.Role, ignoreCase: true, out var role) || int.TryParse(form.Role, out _))
        {
            return Result.Fail<StaffCredentials>($"{labels.Role}: '{UserText.Shown(form.Role ?? "", 40)}' is not a role; use technician, dispatcher or admin.");
        }

        long? technicianId = null;
        if (role == StaffRole.Technician)
        {
            var technician = await FindTechnicianAsync(form.Technician, labels, cancellationToken).ConfigureAwait(false);
            if (!technician.IsSuccess)
            {
                return Result.Fail<StaffCredentials>(technician.Error!);
            }

            technicianId = technician.Value.Id;
        }
        else if (!string.IsNullOrWhiteSpace(form.Technician))
        {
            return Result.Fail<StaffCredentials>($"{labels.Technician}: only a technician's account belongs to a technician; a {role.ToString().ToLowerInvariant()} sees everyone.");
        }

        var password = CheckPassword(form.Password, labels);
        if (!password.IsSuccess)
        {
            return Result.Fail<StaffCredentials>(password.Error!);
        }

        var account = new StaffAccount(0, login.Value.ToLowerInvariant(), name.Value, role, technicianId, null, NewStamp(), clock.GetCurrentInstant());
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var writing = await Database.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        var transaction = writing.Transaction;
        if (await connection.AccountByLoginAsync(account.Login, transaction).ConfigureAwait(false) is not null)
        {
            return Result.Fail<StaffCredentials>($"{labels.Login}: an account for {account.Login} already exists (reset its password instead).");
        }

        if (technicianId is { } tid && await connection.AccountByTechnicianAsync(tid, transaction).ConfigureAwait(false) is { } other)
        {
            return Result.Fail<StaffCredentials>($"{labels.Technician}: technician {tid} already has an account ({other.Login}).");
        }

        var id = await connection.InsertAccountAsync(account, Hasher.HashPassword(account, password.Value.Password), transaction).ConfigureAwait(false);
        await connection.AuditAsync(id, account.CreatedAt, "created", actor, $"role {role.ToString().ToLowerInvariant()}", transaction).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new StaffCredentials(account with { Id = id }, password.Value.Generated ? password.Value.Password : null);
    }

    /// <summary>Sets a new password (generated if none is given), lifts a lockout and ends every session of the account.</summary>
    public async Task<Result<StaffCredentials>> ResetPasswordAsync(string login, string? newPassword, string actor, StaffLabels? labels = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(login);
        labels ??= StaffLabels.Plain;
        var password = CheckPassword(newPassword, labels);
        if (!password.IsSuccess)
        {
            return Result.Fail<StaffCredentials>(password.Error!);
        }

        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var writing = await Database.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        var transaction = writing.Transaction;
        var row = await connection.AccountByLoginAsync(login.Trim().ToLowerInvariant(), transaction).ConfigureAwait(false);
        if (row is null)
        {
            return Result.Fail<StaffCredentials>($"{labels.Login}: no account for '{UserText.Shown(login, 100)}'.");
        }

        var stamp = NewStamp();
        await connection.SetPasswordAsync(row.Id, Hasher.HashPassword(row.Account, password.Value.Password), stamp, transaction).ConfigureAwait(false);
        await connection.AuditAsync(row.Id, clock.GetCurrentInstant(), "password-reset", actor, null, transaction).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new StaffCredentials(row.Account with { SecurityStamp = stamp }, password.Value.Generated ? password.Value.Password : null);
    }

    /// <summary>
    /// Checks a login and password. <see cref="StaffOptions.LockoutThreshold"/> wrong passwords in a row lock the
    /// account for <see cref="StaffOptions.LockoutDuration"/>; while locked, even the right password is refused.
    /// </summary>
    public async Task<SignInResult> SignInAsync(string? login, string? password, CancellationToken cancellationToken = default)
    {
        var now = clock.GetCurrentInstant();
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = string.IsNullOrWhiteSpace(login) ? null : await connection.AccountByLoginAsync(login.Trim().ToLowerInvariant()).ConfigureAwait(false);
        if (row is null || string.IsNullOrEmpty(password))
        {
            Hasher.VerifyHashedPassword(null!, DecoyHash.Value, password ?? "");
            return new SignInResult(SignInOutcome.WrongCredentials);
        }

        if (row.LockedUntil is { } until && until > now)
        {
            return new SignInResult(SignInOutcome.LockedOut, LockedUntil: until);
        }

        var verdict = Hasher.VerifyHashedPassword(row.Account, row.PasswordHash, password);
        if (verdict == PasswordVerificationResult.Success && row.FailedSignIns == 0 && row.LockedUntil is null)
        {
            // The usual sign-in writes nothing: no need to take SQLite's only writer lock.
            return new SignInResult(SignInOutcome.SignedIn, row.Account);
        }

        await using var writing = await Database.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);

        var transaction = writing.Transaction;
        if (verdict == PasswordVerificationResult.Failed)
        {
            var failures = await connection.CountFailureAsync(row.Id, transaction).ConfigureAwait(false);
            if (failures < options.Value.LockoutThreshold)
            {
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return new SignInResult(SignInOutcome.WrongCredentials);
            }

            var lockedUntil = now + Duration.FromTimeSpan(options.Value.LockoutDuration);
            await connection.LockAsync(row.Id, lockedUntil, transaction).ConfigureAwait(false);
            await connection.AuditAsync(row.Id, now, "locked-out", "sign-in", $"{failures} wrong passwords in a row", transaction).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return new SignInResult(SignInOutcome.LockedOut, LockedUntil: lockedUntil);
        }

        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            await connection.SetPasswordAsync(row.Id, Hasher.HashPassword(row.Account, password), row.SecurityStamp, transaction).ConfigureAwait(false);
        }
        else if (row.FailedSignIns > 0 || row.LockedUntil is not null)
        {
            await connection.ClearFailuresAsync(row.Id, transaction).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new SignInResult(SignInOutcome.SignedIn, row.Account);
    }

    /// <summary>Ends every session of the account (cookies carry the old stamp); API keys stay until revoked.</summary>
    public async Task SignOutEverywhereAsync(long id, string actor, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var writing = await Database.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        var transaction = writing.Transaction;
        await connection.SetStampAsync(id, NewStamp(), transaction).ConfigureAwait(false);
        await connection.AuditAsync(id, clock.GetCurrentInstant(), "signed-out-everywhere", actor, null, transaction).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The account's language for pages ("de", "en"), or null for the browser's.</summary>
    public async Task SetLanguageAsync(long id, string? language, CancellationToken cancellationToken = default)
    {
        var chosen = language is "de" or "en" ? language : null;
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var writing = await Database.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        var transaction = writing.Transaction;
        await connection.SetLanguageAsync(id, chosen, transaction).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<Result<Technician>> FindTechnicianAsync(string? reference, StaffLabels labels, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(reference))
        {
            return Result.Fail<Technician>($"{labels.Technician}: a technician's account needs the technician it belongs to (id or email).");
        }

        var found = long.TryParse(reference, out var id)
            ? await technicians.FindAsync(id, cancellationToken).ConfigureAwait(false)
            : await technicians.FindByEmailAsync(reference.Trim(), cancellationToken).ConfigureAwait(false);
        return found.IsSuccess ? found : Result.Fail<Technician>($"{labels.Technician}: no technician '{UserText.Shown(reference, 100)}'.");
    }

    private Result<(string Password, bool Generated)> CheckPassword(string? password, StaffLabels labels)
    {
        if (password is null)
        {
            return (Secrets.NewPassword(), true);
        }

        var minimum = options.Value.MinimumPasswordLength;
        return password.Length < minimum
            ? Result.Fail<(string, bool)>($"{labels.Password}: at least {minimum} characters, please (a passphrase of a few words is easiest).")
            : password.Length > 256
                ? Result.Fail<(string, bool)>($"{labels.Password}: at most 256 characters.")
                : (password, false);
    }

    private static string NewStamp() => Secrets.New();
}
