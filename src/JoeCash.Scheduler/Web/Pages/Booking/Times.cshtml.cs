using JoeCash.Scheduler.Configuration;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Invitations;
using JoeCash.Scheduler.ShopBooking;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using NodaTime;

namespace JoeCash.Scheduler.Web.Pages.Booking;

/// <summary>
/// Choosing the time, then the RustDesk step: the free times for the topic's type in the order that suits the shop
/// (closed first, then quiet hours, each labelled), optionally only while it is closed; then its RustDesk ID confirmed
/// or entered, the cost notice acknowledged where it applies, and the booking.
/// </summary>
public sealed class TimesModel(ShopBookingService bookings, IOptions<ShopBookingOptions> options, IOptions<SchedulerOptions> scheduler) : ShopBookingPageModel
{
    public ShopTopic Topic { get; private set; } = null!;

    public ShopTimes Times { get; private set; } = null!;

    public bool OnlyWhileClosed { get; private set; }

    /// <summary>The time chosen: the RustDesk step is shown for it.</summary>
    public ShopTime? Chosen { get; private set; }

    public string? Notes { get; private set; }

    public string? RustDeskInput { get; private set; }

    public string? RustDeskError { get; private set; }

    public string? CostError { get; private set; }

    /// <summary>Why the times are shown again: missing, taken, toosoon, refused.</summary>
    public string? Problem { get; private set; }

    public int SearchDays => options.Value.SearchDays;

    public Task<IActionResult> OnGetAsync(string? thema, bool geschlossen = false) =>
        ShowAsync(thema, geschlossen, () => Task.FromResult<IActionResult>(Page()));

    public Task<IActionResult> OnPostReviewAsync(string? thema, bool geschlossen, long? start, string? notes) =>
        ShowAsync(thema, geschlossen, () =>
        {
            Notes = notes;
            Chosen = start is { } ms ? Times.Times.FirstOrDefault(t => t.Start == Instant.FromUnixTimeMilliseconds(ms)) : null;
            if (Chosen is null)
            {
                Problem = start is null ? "missing" : "taken";
                Response.StatusCode = start is null ? StatusCodes.Status400BadRequest : StatusCodes.Status409Conflict;
            }

            RustDeskInput = Session!.Customer.RustDeskId?.Display;
            return Task.FromResult<IActionResult>(Page());
        });

    public Task<IActionResult> OnPostBookAsync(string? thema, bool geschlossen, long? start, string? notes, string? rustdesk, bool acknowledge) =>
        ShowAsync(thema, geschlossen, async () =>
        {
            Notes = notes;
            RustDeskInput = rustdesk;
            if (start is not { } ms)
            {
                Problem = "missing";
                Response.StatusCode = StatusCodes.Status400BadRequest;
                return Page();
            }

            var when = Instant.FromUnixTimeMilliseconds(ms);
            var outcome = await bookings.BookAsync(Session!, thema, when, notes, rustdesk, acknowledge, HttpContext.RequestAborted).ConfigureAwait(false);
            switch (outcome.Status)
            {
                case ShopBookingStatus.Booked:
                    return Redirect($"{SignInPath}/gebucht/{outcome.Appointment!.Id}");
                case ShopBookingStatus.LimitReached:
                case ShopBookingStatus.NotBookable:
                    return Redirect(IntakePath);
                case ShopBookingStatus.BadRustDeskId:
                case ShopBookingStatus.CostNotAcknowledged:
                    Chosen = Times.Times.FirstOrDefault(t => t.Start == when) ?? Describe(when);
                    RustDeskError = outcome.Status == ShopBookingStatus.BadRustDeskId ? T("booking.rustdesk.invalid") : null;
                    CostError = outcome.Status == ShopBookingStatus.CostNotAcknowledged ? T("booking.cost.missing") : null;
                    Response.StatusCode = StatusCodes.Status400BadRequest;
                    return Page();
                default:
                    Problem = outcome.Status switch
                    {
                        ShopBookingStatus.SlotTaken => "taken",
                        ShopBookingStatus.TooSoon => "toosoon",
                        _ => "refused",
                    };
                    Response.StatusCode = StatusCodes.Status409Conflict;
                    return Page();
            }
        });

    private async Task<IActionResult> ShowAsync(string? thema, bool geschlossen, Func<Task<IActionResult>> then)
    {
        if (!await SignedInAsync().ConfigureAwait(false))
        {
            return ToSignIn();
        }

        if (bookings.Topic(thema) is not { Type: not null } topic)
        {
            return Redirect(IntakePath);
        }

        if ((await bookings.OpenBookingsAsync(Session!, HttpContext.RequestAborted).ConfigureAwait(false)).Count >= bookings.MaxOpenBookings)
        {
            // The intake says why, and lists them.
            return Redirect(IntakePath);
        }

        Topic = topic;
        OnlyWhileClosed = geschlossen;
        Times = (await bookings.TimesAsync(Session!, topic, geschlossen, HttpContext.RequestAborted).ConfigureAwait(false))!;
        return await then().ConfigureAwait(false);
    }

    /// <summary>A chosen time no longer in the list (the list moved on): shown as it is, for the RustDesk step's summary.</summary>
    private ShopTime Describe(Instant start)
    {
        var time = LocalTimeRange.In(start, start + Times.Type.Duration, scheduler.Value.Zone);
        return new ShopTime(start, GermanDates.Date(time.Start.Date, ShopLanguage), time.Sentence(ShopLanguage), null);
    }
}
