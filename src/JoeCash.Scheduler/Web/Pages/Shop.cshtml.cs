using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.SelfService;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;

namespace JoeCash.Scheduler.Web.Pages;

/// <summary>
/// The shop's page for one appointment, opened from the personal link in its emails. A GET only shows (mail
/// scanners open every link); each change is a POST from a form with an antiforgery token, answered with a
/// redirect back to the page (so a reload does not post again). Words in the shop's language.
/// </summary>
[AllowAnonymous]
public sealed class ShopModel(ShopSelfService shops, ShopLinkThrottle throttle, WebText text) : PageModel
{
    public ShopVisit Visit { get; private set; } = new(ShopLinkState.Unknown, Language.De, "");

    public ShopPage? Shop => Visit.Page;

    /// <summary>The other times, when the shop asked for them.</summary>
    public IReadOnlyList<ShopSlot>? Slots { get; private set; }

    /// <summary>What the last action did (from the redirect's query): confirmed, rustdesk, cost, moved, cancelled, same, changed, late, taken.</summary>
    public string? Done { get; private set; }

    public string? RustDeskError { get; private set; }

    /// <summary>True when the shop clicked "cancel" and is asked to confirm it (one more form, no script needed).</summary>
    public bool AskCancel { get; private set; }

    public string? RustDeskInput { get; private set; }

    public string Lang => Visit.Language == Language.En ? "en" : "de";

    public string T(string key) => text.Get(Lang, key);

    /// <summary>The support phone as a tel: link target.</summary>
    public string Tel => "tel:" + new string([.. Visit.SupportPhone.Where(c => char.IsDigit(c) || c == '+')]);

    public async Task<IActionResult> OnGetAsync(string token, bool times = false, bool cancel = false, string? done = null)
    {
        if (!Allowed(token))
        {
            return TooMany();
        }

        Visit = await shops.OpenAsync(token, HttpContext.RequestAborted).ConfigureAwait(false);
        Done = done is "confirmed" or "rustdesk" or "cost" or "moved" or "same" or "changed" or "late" ? done : null;
        AskCancel = cancel;
        if (Shop is { Begun: false } page && times)
        {
            Slots = await shops.SlotsAsync(page, HttpContext.RequestAborted).ConfigureAwait(false);
        }

        return Show();
    }

    public Task<IActionResult> OnPostConfirmAsync(string token, long appointment, int version) =>
        ActAsync(token, appointment, () => shops.ConfirmAsync(token, version, HttpContext.RequestAborted), "confirmed");

    public Task<IActionResult> OnPostAcknowledgeAsync(string token, long appointment, int version) =>
        ActAsync(token, appointment, () => shops.AcknowledgeCostAsync(token, version, HttpContext.RequestAborted), "cost");

    public Task<IActionResult> OnPostCancelAsync(string token, long appointment, int version) =>
        ActAsync(token, appointment, () => shops.CancelAsync(token, version, HttpContext.RequestAborted), "cancelled");

    public Task<IActionResult> OnPostMoveAsync(string token, long appointment, int version, long? start) =>
        ActAsync(token, appointment, () => start is { } ms
            ? shops.RescheduleAsync(token, version, Instant.FromUnixTimeMilliseconds(ms), HttpContext.RequestAborted)
            : Task.FromResult(new ShopActionOutcome(ShopActionStatus.SlotTaken)), "moved");

    public Task<IActionResult> OnPostRustDeskAsync(string token, long appointment, int version, string? rustdesk)
    {
        // Shown again in the field when it is refused, so the shop corrects what it typed.
        RustDeskInput = rustdesk;
        return ActAsync(token, appointment, () => shops.ConfirmRustDeskAsync(token, version, rustdesk, HttpContext.RequestAborted), "rustdesk");
    }

    private async Task<IActionResult> ActAsync(string token, long appointment, Func<Task<ShopActionOutcome>> act, string done)
    {
        if (!Allowed(token))
        {
            return TooMany();
        }

        Visit = await shops.OpenAsync(token, HttpContext.RequestAborted).ConfigureAwait(false);
        if (Shop is null || Shop.Appointment.Id != appointment)
        {
            // A working link posted with another appointment's id is treated like an unknown link.
            Visit = Shop is null ? Visit : Visit with { State = ShopLinkState.Unknown, Page = null };
            return Show();
        }

        var outcome = await act().ConfigureAwait(false);
        switch (outcome.Status)
        {
            case ShopActionStatus.Invalid:
                RustDeskError = T("shop.rustdesk.invalid");
                Response.StatusCode = StatusCodes.Status400BadRequest;
                return Page();
            case ShopActionStatus.SlotTaken:
                Done = "taken";
                Slots = await shops.SlotsAsync(Shop, HttpContext.RequestAborted).ConfigureAwait(false);
                Response.StatusCode = StatusCodes.Status409Conflict;
                return Page();
            default:
                var note = outcome.Status switch
                {
                    ShopActionStatus.Done => done,
                    ShopActionStatus.AlreadyDone => "same",
                    ShopActionStatus.ChangedMeanwhile => "changed",
                    ShopActionStatus.TooLate => "late",
                    _ => null,
                };
                // Post/Redirect/Get: the page as it is now, and a reload shows it again instead of posting twice.
                return Redirect($"/s/{Uri.EscapeDataString(token)}" + (note is null ? "" : $"?done={note}"));
        }
    }

    private PageResult Show()
    {
        Response.Headers["X-Robots-Tag"] = "noindex, nofollow";
        Response.StatusCode = Visit.State switch
        {
            ShopLinkState.Unknown => StatusCodes.Status404NotFound,
            ShopLinkState.Active => StatusCodes.Status200OK,
            _ => StatusCodes.Status410Gone,
        };
        return Page();
    }

    private bool Allowed(string token) => throttle.TryRequest(token, HttpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown");

    private ObjectResult TooMany()
    {
        Response.Headers.RetryAfter = "60";
        return StatusCode(StatusCodes.Status429TooManyRequests, T("shop.throttled"));
    }
}
