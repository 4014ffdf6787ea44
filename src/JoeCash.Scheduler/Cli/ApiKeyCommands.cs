using System.ComponentModel;
using JoeCash.Scheduler.Staff;
using Spectre.Console;
using Spectre.Console.Cli;

namespace JoeCash.Scheduler.Cli;

/// <summary>Settings of <c>staff api-key add</c>.</summary>
public sealed class ApiKeyAddSettings : CommonSettings
{
    [CommandArgument(0, "<EMAIL>")]
    [Description("The account the key acts as.")]
    public string Email { get; init; } = "";

    [CommandOption("--name <NAME>")]
    [Description("What the key is for, e.g. \"ERP import\".")]
    public string? Name { get; init; }
}

/// <summary><c>staff api-key add</c>: a key for scripts, printed once (<c>Authorization: Bearer …</c>).</summary>
public sealed class ApiKeyAddCommand(ApiKeyService keys, Output output) : SchedulerCommand<ApiKeyAddSettings>
{
    protected override async Task<int> RunAsync(ApiKeyAddSettings s, CancellationToken cancellationToken)
    {
        var created = Require(await keys.CreateAsync(s.Email, s.Name ?? "", "cli", cancellationToken).ConfigureAwait(false));
        if (s.Json)
        {
            output.Json(new { created.Key.Id, created.Key.Name, Key = created.Secret });
        }
        else
        {
            output.Line($"API key {created.Key.Id} ({created.Key.Name}) for {s.Email}; send it as 'Authorization: Bearer <key>'. Shown only now:");
            output.Line(created.Secret);
        }

        return ExitCodes.Ok;
    }
}

/// <summary>Settings of <c>staff api-key list</c>.</summary>
public sealed class ApiKeyListSettings : CommonSettings
{
    [CommandArgument(0, "<EMAIL>")]
    public string Email { get; init; } = "";
}

/// <summary><c>staff api-key list</c>: an account's keys, never the keys themselves.</summary>
public sealed class ApiKeyListCommand(ApiKeyService keys, Output output) : SchedulerCommand<ApiKeyListSettings>
{
    protected override async Task<int> RunAsync(ApiKeyListSettings s, CancellationToken cancellationToken)
    {
        var list = Require(await keys.ListAsync(s.Email, cancellationToken).ConfigureAwait(false));
        if (s.Json)
        {
            output.Json(list.Select(k => new { k.Id, k.Name, CreatedAt = Output.Iso(k.CreatedAt), LastUsedAt = k.LastUsedAt is { } u ? Output.Iso(u) : null, RevokedAt = k.RevokedAt is { } r ? Output.Iso(r) : null }));
            return ExitCodes.Ok;
        }

        var table = new Table().AddColumns("Id", "Name", "Created", "Last used", "Revoked");
        foreach (var k in list)
        {
            table.AddRow($"{k.Id}", Markup.Escape(k.Name), Output.Iso(k.CreatedAt), k.LastUsedAt is { } u ? Output.Iso(u) : "–", k.RevokedAt is { } r ? Output.Iso(r) : "–");
        }

        output.Table(table);
        return ExitCodes.Ok;
    }
}

/// <summary>Settings of <c>staff api-key revoke</c>.</summary>
public sealed class ApiKeyRevokeSettings : CommonSettings
{
    [CommandArgument(0, "<EMAIL>")]
    public string Email { get; init; } = "";

    [CommandArgument(1, "<KEY-ID>")]
    public string KeyId { get; init; } = "";
}

/// <summary><c>staff api-key revoke</c>: the key stops working at once.</summary>
public sealed class ApiKeyRevokeCommand(ApiKeyService keys, Output output) : SchedulerCommand<ApiKeyRevokeSettings>
{
    protected override async Task<int> RunAsync(ApiKeyRevokeSettings s, CancellationToken cancellationToken)
    {
        var id = Require(await keys.RevokeAsync(s.Email, IdOf(s.KeyId, "<KEY-ID>"), "cli", cancellationToken).ConfigureAwait(false));
        output.Line($"API key {id} of {s.Email} revoked.");
        return ExitCodes.Ok;
    }
}
