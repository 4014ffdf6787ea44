using NodaTime;

namespace JoeCash.Scheduler.Staff;

/// <summary>What a staff account may do. A technician sees their own day; a dispatcher books for everyone; an admin also manages accounts.</summary>
public enum StaffRole
{
    Technician,
    Dispatcher,
    Admin,
}

/// <summary>A staff account as the pages, the API and the command line see it: never its password or keys.</summary>
public sealed record StaffAccount(
    long Id,
    string Login,
    string Name,
    StaffRole Role,
    long? TechnicianId,
    string? Language,
    string SecurityStamp,
    Instant CreatedAt)
{
    /// <summary>Dispatchers and admins book, move and cancel for every technician.</summary>
    public bool Dispatches => Role is StaffRole.Dispatcher or StaffRole.Admin;
}

/// <summary>The words a face uses for the fields of <see cref="StaffForm"/> in its refusals (option names, field labels).</summary>
public sealed record StaffLabels(string Login, string Name, string Role, string Technician, string Password)
{
    public static readonly StaffLabels Plain = new("email address", "name", "role", "technician", "password");
}

/// <summary>A new account as typed: the login (an email address), the name, the role, the technician it belongs to (technicians only).</summary>
public sealed record StaffForm(string? Login, string? Name, string? Role, string? Technician, string? Password = null);

/// <summary>An account just created or reset, with the password when the service chose it (shown once).</summary>
public sealed record StaffCredentials(StaffAccount Account, string? GeneratedPassword);

/// <summary>How a sign-in ended.</summary>
public enum SignInOutcome
{
    SignedIn,
    WrongCredentials,
    LockedOut,
}

/// <summary>A sign-in's outcome; the account only when signed in, the end of a lockout when locked out.</summary>
public sealed record SignInResult(SignInOutcome Outcome, StaffAccount? Account = null, Instant? LockedUntil = null);

/// <summary>An API key as listed: never the key itself.</summary>
public sealed record ApiKeyRecord(long Id, string Name, Instant CreatedAt, Instant? LastUsedAt, Instant? RevokedAt);

/// <summary>A new API key: the secret, shown once, and its record.</summary>
public sealed record ApiKeyCreated(ApiKeyRecord Key, string Secret);
