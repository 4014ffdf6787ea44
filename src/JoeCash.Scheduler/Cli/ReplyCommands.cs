using System.ComponentModel;
using JoeCash.Scheduler.Configuration;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Replies;
using Microsoft.Extensions.Options;
using Spectre.Console;
using Spectre.Console.Cli;

namespace JoeCash.Scheduler.Cli;

/// <summary>Settings of <c>replies import</c>.</summary>
public sealed class RepliesImportSettings : CommonSettings
{
    [CommandArgument(0, "<FILE>")]
    [Description("Saved emails (.eml) with a shop's calendar answer.")]
    public string[] Files { get; init; } = [];
}

/// <summary><c>replies import FILE…</c>: applies saved answers by hand, exactly as the service's reader would.</summary>
public sealed class RepliesImportCommand(ReplyImport import, Output output) : SchedulerCommand<RepliesImportSettings>
{
    protected override async Task<int> RunAsync(RepliesImportSettings settings, CancellationToken cancellationToken)
    {
        if (settings.Files.Length == 0)
        {
            throw new InputException("name at least one file.");
        }

        var results = Require(await import.ImportAsync(settings.Files, cancellationToken).ConfigureAwait(false));
        var rows = settings.Files.Zip(results, (file, r) => new
        {
            file,
            outcome = ReplyProcessor.OutcomeCode(r.Outcome),
            appointment = r.AppointmentId,
            alreadySeen = r.AlreadySeen,
            reason = r.Outcome == ReplyOutcome.NotAnAnswer ? "no calendar in it: an ordinary email for a person." : r.Reason,
        }).ToList();
        if (settings.Json)
        {
            output.Json(rows);
        }
        else
        {
            foreach (var row in rows)
            {
                var appointment = row.appointment is { } id ? $" (appointment {id})" : "";
                var seen = row.alreadySeen ? ", read before: nothing changed again" : "";
                output.Line($"{row.file}: {row.outcome}{appointment}{seen}{(row.reason is { } reason ? $": {reason}" : "")}");
            }
        }

        // Kept for review is not a failure of the command, but a script should notice it.
        return results.Any(r => r.Outcome == ReplyOutcome.Review) ? ExitCodes.Failure : ExitCodes.Ok;
    }
}

/// <summary>Settings of <c>replies list</c>.</summary>
public sealed class RepliesListSettings : CommonSettings
{
    [CommandOption("--review")]
    [Description("Only answers that were not applied and wait for a person.")]
    public bool Review { get; init; }

    [CommandOption("--limit <N>")]
    [Description("At most this many, 1–10000 (default 50).")]
    public string? Limit { get; init; }
}

/// <summary><c>replies list</c>: the answers read, newest first, with what became of each.</summary>
public sealed class RepliesListCommand(ReplyImport replies, IOptions<SchedulerOptions> options, Output output) : SchedulerCommand<RepliesListSettings>
{
    protected override async Task<int> RunAsync(RepliesListSettings settings, CancellationToken cancellationToken)
    {
        var limit = Require(WholeNumber.Parse(settings.Limit, "--limit", 1, 10_000, 50));

        var records = await replies.ListAsync(settings.Review, limit, cancellationToken).ConfigureAwait(false);
        if (settings.Json)
        {
            output.Json(records.Select(r => new
            {
                id = r.Id,
                received = Output.Iso(r.ReceivedAt),
                source = r.Source,
                messageId = r.MessageId,
                sender = r.Sender,
                method = r.Method,
                attendee = r.Attendee,
                answer = r.Answer,
                sequence = r.Sequence,
                appointment = r.AppointmentId,
                outcome = r.Outcome,
                reason = r.Reason,
            }));
            return ExitCodes.Ok;
        }

        var table = new Table().AddColumns("Id", "Received", "From", "What", "Appointment", "Outcome", "Reason");
        foreach (var r in records)
        {
            var what = r.Method is null ? "?" : r.Answer is { } answer ? $"{r.Method} {answer}" : r.Method;
            table.AddRow($"{r.Id}", Output.Local(r.ReceivedAt, options.Value.Zone), Markup.Escape(r.Sender), what, r.AppointmentId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "",
                r.Outcome == "review" ? "[red]review[/]" : r.Outcome, Markup.Escape(r.Reason ?? ""));
        }

        output.Table(table);
        return ExitCodes.Ok;
    }
}

/// <summary>Settings of <c>proposal list</c>.</summary>
public sealed class ProposalListSettings : CommonSettings
{
    [CommandOption("--all")]
    [Description("Decided proposals too, not only the open ones.")]
    public bool All { get; init; }
}

/// <summary><c>proposal list</c>: the shops' counter-proposals.</summary>
public sealed class ProposalListCommand(ProposalService proposals, IOptions<SchedulerOptions> options, Output output) : SchedulerCommand<ProposalListSettings>
{
    protected override async Task<int> RunAsync(ProposalListSettings settings, CancellationToken cancellationToken)
    {
        var zone = options.Value.Zone;
        var requests = await proposals.ListAsync(!settings.All, 200, cancellationToken).ConfigureAwait(false);
        if (settings.Json)
        {
            output.Json(requests.Select(r => new
            {
                id = r.Id,
                appointment = r.AppointmentId,
                proposedStart = Output.Iso(r.ProposedStart),
                proposedEnd = Output.Iso(r.ProposedEnd),
                proposedLocal = Output.IsoLocal(r.ProposedStart, zone),
                proposedBy = r.ProposedBy,
                comment = r.Comment,
                freeWhenReceived = r.FreeWhenReceived,
                status = r.Status,
                received = Output.Iso(r.CreatedAt),
            }));
            return ExitCodes.Ok;
        }

        var table = new Table().AddColumns("Id", "Appointment", "Proposed", "Free then", "By", "Comment", "Status");
        foreach (var r in requests)
        {
            table.AddRow($"{r.Id}", $"{r.AppointmentId}", Output.Local(new NodaTime.Interval(r.ProposedStart, r.ProposedEnd), zone), r.FreeWhenReceived ? "yes" : "no",
                Markup.Escape(r.ProposedBy), Markup.Escape(r.Comment ?? ""), r.Status);
        }

        output.Table(table);
        return ExitCodes.Ok;
    }
}

/// <summary>Settings of <c>proposal accept</c> and <c>proposal decline</c>.</summary>
public sealed class ProposalDecisionSettings : CommonSettings
{
    [CommandArgument(0, "<ID>")]
    public string Id { get; init; } = "";

    [CommandOption("--by <NAME>")]
    public string? By { get; init; }
}

/// <summary><c>proposal accept ID</c>: moves the appointment to the proposed time (the normal reschedule).</summary>
public sealed class ProposalAcceptCommand(ProposalService proposals, IOptions<SchedulerOptions> options, Output output) : SchedulerCommand<ProposalDecisionSettings>
{
    protected override async Task<int> RunAsync(ProposalDecisionSettings settings, CancellationToken cancellationToken)
    {
        var outcome = await proposals.AcceptAsync(IdOf(settings.Id), settings.By ?? Environment.UserName, cancellationToken).ConfigureAwait(false);
        return AppointmentView.Print(output, outcome, options.Value.Zone, settings.Json, "Rescheduled as proposed");
    }
}

/// <summary><c>proposal decline ID</c>: tells the shop the appointment stays as it is.</summary>
public sealed class ProposalDeclineCommand(ProposalService proposals, IOptions<SchedulerOptions> options, Output output) : SchedulerCommand<ProposalDecisionSettings>
{
    protected override async Task<int> RunAsync(ProposalDecisionSettings settings, CancellationToken cancellationToken)
    {
        var outcome = await proposals.DeclineAsync(IdOf(settings.Id), settings.By ?? Environment.UserName, cancellationToken).ConfigureAwait(false);
        return AppointmentView.Print(output, outcome, options.Value.Zone, settings.Json, "Proposal declined; the appointment stays");
    }
}
