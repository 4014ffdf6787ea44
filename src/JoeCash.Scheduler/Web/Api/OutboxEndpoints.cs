using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Mail;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace JoeCash.Scheduler.Web.Api;

/// <summary><c>GET /api/v1/outbox</c>: the outbox newest first, as <c>mail list --json</c> shows it (dispatchers).</summary>
public static class OutboxEndpoints
{
    public static void MapOutbox(this RouteGroupBuilder api) =>
        api.MapGet("/outbox", ListAsync)
            .RequireAuthorization(StaffAuthentication.DispatcherPolicy)
            .WithSummary("The count per status and the newest messages, optionally of one status (pending, sending, sent, failed).")
            .Problems(StatusCodes.Status400BadRequest, StatusCodes.Status403Forbidden);

    private static async Task<Ok<OutboxRecord>> ListAsync(string? status, string? limit, Outbox outbox, CancellationToken cancellationToken)
    {
        if (status is not null && !Outbox.Statuses.Contains(status))
        {
            throw new ApiInputException($"status: '{UserText.Shown(status, 40)}' is not one of {string.Join(", ", Outbox.Statuses)}.");
        }

        var most = ApiProblems.Require(WholeNumber.Parse(limit, "limit", 1, 10_000, 50));
        var (counts, entries) = await outbox.ListAsync(status, most, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new OutboxRecord(counts, [.. entries.Select(e => new OutboxMessageRecord(
            e.Id, e.MessageId, e.AppointmentId, e.Kind, e.Recipient, e.Subject, e.Status, e.Attempts,
            e.Status is "pending" ? IsoTime.Utc(e.NextAttemptAt) : null, e.LastError, IsoTime.Utc(e.CreatedAt), e.SentAt is { } sent ? IsoTime.Utc(sent) : null))]));
    }
}

/// <summary>The outbox: the count per status, and the messages listed.</summary>
public sealed record OutboxRecord(IReadOnlyDictionary<string, long> Counts, IReadOnlyList<OutboxMessageRecord> Messages);

/// <summary>One message, as <c>mail list --json</c> shows it.</summary>
public sealed record OutboxMessageRecord(
    long Id, string MessageId, long? Appointment, string Kind, string Recipient, string Subject, string Status, int Attempts,
    string? NextAttempt, string? LastError, string Created, string? Sent);
