using System.ComponentModel;
using JoeCash.Scheduler.Staff;
using Spectre.Console;
using Spectre.Console.Cli;

namespace JoeCash.Scheduler.Cli;

/// <summary>Settings of <c>staff add</c>.</summary>
public sealed class StaffAddSettings : CommonSettings
{
    [CommandOption("--email <EMAIL>")]
    [Description("The sign-in name: the person's email address.")]
    public string? Email { get; init; }

    [CommandOption("--name <NAME>")]
    public string? Name { get; init; }

    [CommandOption("--role <ROLE>")]
    [Description("technician, dispatcher or admin.")]
    public string? Role { get; init; }

    [CommandOption("--technician <ID|EMAIL>")]
    [Description("For a technician's account: the technician it belongs to.")]
    public string? Technician { get; init; }

    [CommandOption("--password-stdin")]
    [Description("Read the password from the first line of standard input instead of generating one (never pass it as an argument: ps shows arguments).")]
    public bool PasswordStdin { get; init; }
}

/// <summary><c>staff add</c>: a new account; the generated password is printed once.</summary>
public sealed class StaffAddCommand(StaffService staff, Output output) : SchedulerCommand<StaffAddSettings>
{
    private static readonly StaffLabels Options = new("--email", "--name", "--role", "--technician", "password");

    protected override async Task<int> RunAsync(StaffAddSettings s, CancellationToken cancellationToken)
    {
        var password = s.PasswordStdin ? await StaffInput.ReadPasswordAsync().ConfigureAwait(false) : null;
        var created = Require(await staff.AddAsync(new StaffForm(s.Email, s.Name, s.Role, s.Technician, password), "cli", Options, cancellationToken).ConfigureAwait(false));
        StaffInput.Print(output, s.Json, created, $"Added {created.Account.Role.ToString().ToLowerInvariant()} account {created.Account.Id}: {created.Account.Name} <{created.Account.Login}>.");
        return ExitCodes.Ok;
    }
}

/// <summary>Settings of <c>staff reset-password</c>.</summary>
public sealed class StaffResetSettings : CommonSettings
{
    [CommandArgument(0, "<EMAIL>")]
    public string Email { get; init; } = "";

    [CommandOption("--password-stdin")]
    [Description("Read the new password from the first line of standard input instead of generating one.")]
    public bool PasswordStdin { get; init; }
}

/// <summary><c>staff reset-password</c>: a new password, the lockout lifted, every session of the account ended.</summary>
public sealed class StaffResetCommand(StaffService staff, Output output) : SchedulerCommand<StaffResetSettings>
{
    protected override async Task<int> RunAsync(StaffResetSettings s, CancellationToken cancellationToken)
    {
        var password = s.PasswordStdin ? await StaffInput.ReadPasswordAsync().ConfigureAwait(false) : null;
        var reset = Require(await staff.ResetPasswordAsync(s.Email, password, "cli", cancellationToken: cancellationToken).ConfigureAwait(false));
        StaffInput.Print(output, s.Json, reset, $"New password set for {reset.Account.Login}; every session of the account has ended.");
        return ExitCodes.Ok;
    }
}

/// <summary><c>staff list</c>.</summary>
public sealed class StaffListCommand(StaffService staff, Output output) : SchedulerCommand<CommonSettings>
{
    protected override async Task<int> RunAsync(CommonSettings settings, CancellationToken cancellationToken)
    {
        var accounts = await staff.ListAsync(cancellationToken).ConfigureAwait(false);
        if (settings.Json)
        {
            output.Json(accounts.Select(a => new { a.Id, a.Login, a.Name, Role = a.Role.ToString().ToLowerInvariant(), a.TechnicianId, a.Language }));
            return ExitCodes.Ok;
        }

        var table = new Table().AddColumns("Id", "Email", "Name", "Role", "Technician", "Language");
        foreach (var a in accounts)
        {
            table.AddRow($"{a.Id}", Markup.Escape(a.Login), Markup.Escape(a.Name), a.Role.ToString().ToLowerInvariant(), a.TechnicianId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "–", a.Language ?? "browser");
        }

        output.Table(table);
        return ExitCodes.Ok;
    }
}

/// <summary>Settings of <c>staff sign-out</c>.</summary>
public sealed class StaffSignOutSettings : CommonSettings
{
    [CommandArgument(0, "<EMAIL>")]
    public string Email { get; init; } = "";
}

/// <summary><c>staff sign-out</c>: ends every session of an account (a lost phone); its password and keys stay.</summary>
public sealed class StaffSignOutCommand(StaffService staff, Output output) : SchedulerCommand<StaffSignOutSettings>
{
    protected override async Task<int> RunAsync(StaffSignOutSettings s, CancellationToken cancellationToken)
    {
        var account = await staff.FindByLoginAsync(s.Email, cancellationToken).ConfigureAwait(false);
        if (account is null)
        {
            throw new InputException($"<EMAIL>: no account for '{s.Email}'.");
        }

        await staff.SignOutEverywhereAsync(account.Id, "cli", cancellationToken).ConfigureAwait(false);
        output.Line($"Every session of {account.Login} has ended.");
        return ExitCodes.Ok;
    }
}

/// <summary>Reading a password and printing what was created.</summary>
internal static class StaffInput
{
    public static async Task<string> ReadPasswordAsync() =>
        (await Console.In.ReadLineAsync().ConfigureAwait(false))?.TrimEnd('\r', '\n') ?? "";

    public static void Print(Output output, bool json, StaffCredentials credentials, string line)
    {
        if (json)
        {
            output.Json(new { credentials.Account.Id, credentials.Account.Login, Role = credentials.Account.Role.ToString().ToLowerInvariant(), Password = credentials.GeneratedPassword });
            return;
        }

        output.Line(line);
        if (credentials.GeneratedPassword is { } password)
        {
            output.Line($"Password (shown only now; hand it over in person, not by email): {password}");
        }
    }
}
