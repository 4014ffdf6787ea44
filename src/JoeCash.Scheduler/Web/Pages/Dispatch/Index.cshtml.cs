using JoeCash.Scheduler.Booking;
using JoeCash.Scheduler.Mail;
using JoeCash.Scheduler.Outcomes;
using JoeCash.Scheduler.Replies;
using JoeCash.Scheduler.Technicians;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace JoeCash.Scheduler.Web.Pages.Dispatch;

/// <summary>
/// What needs a person today, each with its action: counter-proposals to accept or decline, appointments close to
/// their start without an answer, declined ones, shops without a RustDesk ID, emails that failed, answers kept for review.
/// </summary>
[Authorize(Policy = StaffAuthentication.DispatcherPolicy)]
public sealed class IndexModel(AppointmentQueries appointments, ProposalService proposals, Outbox outbox, ReplyImport replies, TechnicianService technicians, OutcomeQueries outcomes, IClock clock)
    : DispatchPageModel
{
    /// <summary>Unanswered appointments are listed this close to their start.</summary>
    public static readonly Duration Soon = Duration.FromHours(48);

    private static readonly Duration Ahead = Duration.FromDays(14);

    public IReadOnlyList<AttentionItem> Attention { get; private set; } = [];

    public IReadOnlyList<RescheduleRequest> Proposals { get; private set; } = [];

    public IReadOnlyList<OutboxEntry> FailedMail { get; private set; } = [];

    public IReadOnlyList<InboundRecord> Review { get; private set; } = [];

    public IReadOnlyList<TechnicianRecord> Technicians { get; private set; } = [];

    /// <summary>After the sessions: those past their end without an outcome, no-shows per shop, follow-ups (90 days).</summary>
    public AfterSessions After { get; private set; } = new([], [], []);

    public string? Notice { get; private set; }

    public Refusal? Refusal { get; private set; }

    public string? Error { get; private set; }

    public string TechnicianName(long id) => Technicians.FirstOrDefault(t => t.Id == id)?.Name ?? id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Unanswered and starting within <see cref="Soon"/>.</summary>
    public bool UnansweredSoon(AttentionItem item) => item is { Unanswered: true } && item.Appointment.Start < clock.GetCurrentInstant() + Soon;

    public async Task OnGetAsync(string? done)
    {
        Notice = done is "accepted" or "declined" or "retried" ? T("overview.done." + done) : null;
        await LoadAsync().ConfigureAwait(false);
    }

    public Task<IActionResult> OnPostAcceptAsync(long id) => DecideAsync(proposals.AcceptAsync(id, Actor, HttpContext.RequestAborted), "accepted");

    public Task<IActionResult> OnPostDeclineAsync(long id) => DecideAsync(proposals.DeclineAsync(id, Actor, HttpContext.RequestAborted), "declined");

    public async Task<IActionResult> OnPostRetryAsync(long id)
    {
        if (await outbox.RetryAsync(id, null, HttpContext.RequestAborted).ConfigureAwait(false))
        {
            return Redirect("/dispatch?done=retried");
        }

        Error = T("overview.retry.gone");
        await LoadAsync().ConfigureAwait(false);
        Response.StatusCode = 409;
        return Page();
    }

    private async Task<IActionResult> DecideAsync(Task<BookingOutcome> decision, string done)
    {
        var outcome = await decision.ConfigureAwait(false);
        if (outcome.Succeeded)
        {
            return Redirect("/dispatch?done=" + done);
        }

        Refusal = outcome.Refusal;
        await LoadAsync().ConfigureAwait(false);
        Response.StatusCode = StatusOf(Refusal!);
        return Page();
    }

    private async Task LoadAsync()
    {
        var cancel = HttpContext.RequestAborted;
        Attention = await appointments.NeedingAttentionAsync(Soon, Ahead, 200, cancel).ConfigureAwait(false);
        Proposals = await proposals.ListAsync(openOnly: true, 100, cancel).ConfigureAwait(false);
        FailedMail = (await outbox.ListAsync("failed", 100, cancel).ConfigureAwait(false)).Messages;
        Review = await replies.ListAsync(reviewOnly: true, 20, cancel).ConfigureAwait(false);
        Technicians = await technicians.ListAsync(cancel).ConfigureAwait(false);
        After = await outcomes.AfterSessionsAsync(100, cancel).ConfigureAwait(false);
    }
}
