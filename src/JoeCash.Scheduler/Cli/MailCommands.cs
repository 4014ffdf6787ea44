using System.ComponentModel;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Mail;
using Microsoft.Extensions.Options;
using Spectre.Console;
using Spectre.Console.Cli;

namespace JoeCash.Scheduler.Cli;

/// <summary>Settings of <c>mail list</c>.</summary>
public sealed class MailListSettings : CommonSettings
{
    [CommandOption("--status <pending|sending|sent|failed>")]
    public string? Status { get; init; }

    [CommandOption("--limit <N>")]
    [Description("At most this many, 1–10000 (default 50).")]
    public string? Limit { get; init; }
}

/// <summary><c>mail list</c>: the outbox, newest first.</summary>
public sealed class MailListCommand(Outbox outbox, IOptions<Configuration.SchedulerOptions> options, Output output) : SchedulerCommand<MailListSettings>
{
    private static readonly IReadOnlyList<string> Statuses = Outbox.Statuses;

    protected override async Task<int> RunAsync(MailListSettings settings, CancellationToken cancellationToken)
    {
        if (settings.Status is not null && !Statuses.Contains(settings.Status))
        {
            throw new InputException($"--status: '{settings.Status}' is not one of {string.Join(", ", Statuses)}.");
        }

        var limit = Require(WholeNumber.Parse(settings.Limit, "--limit", 1, 10_000, 50));

        var (counts, entries) = await outbox.ListAsync(settings.Status, limit, cancellationToken).ConfigureAwait(false);
        var zone = options.Value.Zone;
        if (settings.Json)
        {
            output.Json(new
            {
                counts,
                messages = entries.Select(e => new
                {
                    id = e.Id,
                    messageId = e.MessageId,
                    appointment = e.AppointmentId,
                    kind = e.Kind,
                    recipient = e.Recipient,
                    subject = e.Subject,
                    status = e.Status,
                    attempts = e.Attempts,
                    nextAttempt = e.Status is "pending" ? Output.Iso(e.NextAttemptAt) : null,
                    lastError = e.LastError,
                    created = Output.Iso(e.CreatedAt),
                    sent = e.SentAt is { } sent ? Output.Iso(sent) : null,
                }),
            });
            return ExitCodes.Ok;
        }

        output.Line(string.Join(", ", Statuses.Select(s => $"{counts.GetValueOrDefault(s)} {s}")));
        var table = new Table().AddColumns("Id", "Kind", "To", "Subject", "Status", "Tries", "Next / sent", "Last error");
        foreach (var e in entries)
        {
            var when = e.Status == "sent" && e.SentAt is { } sent ? Output.Local(sent, zone) : e.Status == "pending" ? Output.Local(e.NextAttemptAt, zone) : "";
            table.AddRow($"{e.Id}", e.Kind, Markup.Escape(e.Recipient), Markup.Escape(e.Subject), e.Status == "failed" ? "[red]failed[/]" : e.Status,
                $"{e.Attempts}", when, Markup.Escape(e.LastError ?? ""));
        }

        output.Table(table);
        return ExitCodes.Ok;
    }
}

/// <summary>Settings of <c>mail retry</c>.</summary>
public sealed class MailRetrySettings : CommonSettings
{
    [CommandArgument(0, "<ID>")]
    public string Id { get; init; } = "";

    [CommandOption("--to <ADDRESS>")]
    [Description("Send it to this address instead (e.g. the shop's corrected address); the message is rendered anew for it.")]
    public string? To { get; init; }
}

/// <summary><c>mail retry ID</c>: puts a failed message back into the queue.</summary>
public sealed class MailRetryCommand(Outbox outbox, Output output) : SchedulerCommand<MailRetrySettings>
{
    protected override async Task<int> RunAsync(MailRetrySettings settings, CancellationToken cancellationToken)
    {
        var to = settings.To is null ? null : Require(Domain.UserText.Email(settings.To, "--to"));
        var id = IdOf(settings.Id);
        if (!await outbox.RetryAsync(id, to, cancellationToken).ConfigureAwait(false))
        {
            throw new InputException($"there is no failed message {id} ('mail list --status failed' shows them).");
        }

        output.Line($"Message {id} is queued again{(to is null ? "" : $" for {to}")}; the service sends it within a second, or run 'mail send'.");
        return ExitCodes.Ok;
    }
}

/// <summary><c>mail send</c>: delivers what is due now, once, and says what happened.</summary>
public sealed class MailSendCommand(OutboxDispatcher dispatcher, Output output) : SchedulerCommand<CommonSettings>
{
    protected override async Task<int> RunAsync(CommonSettings settings, CancellationToken cancellationToken)
    {
        var result = await dispatcher.DispatchDueAsync(cancellationToken).ConfigureAwait(false);
        if (settings.Json)
        {
            output.Json(result);
        }
        else
        {
            output.Line($"{result.Sent} sent, {result.Retrying} to retry later, {result.Failed} failed.");
        }

        return result.Failed > 0 ? ExitCodes.Failure : ExitCodes.Ok;
    }
}
