using System.Globalization;
using JoeCash.Scheduler.Booking;
using JoeCash.Scheduler.Configuration;
using JoeCash.Scheduler.Customers;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Domain.Availability;
using JoeCash.Scheduler.Technicians;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using NodaTime.Text;

namespace JoeCash.Scheduler.Web.Pages.Dispatch;

/// <summary>
/// Find a free slot and book it while the shop is on the phone: type, shop, technician or any, a date range; the
/// slots come back as buttons that book at once (notes and, for billable work, the shop's acknowledgment of the cost
/// notice travel with them). A refusal is shown beside the form, a taken slot with its nearest alternatives.
/// </summary>
[Authorize(Policy = StaffAuthentication.DispatcherPolicy)]
public sealed class BookModel(
    ShopSlotRanking ranking, BookingService booking, CustomerService customers, TechnicianService technicians, AppointmentTypeCatalog types, IClock clock)
    : DispatchPageModel
{
    private const int MaxStarts = 60;

    [BindProperty(SupportsGet = true)]
    public string? Type { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Customer { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Technician { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public int Days { get; set; } = 7;

    /// <summary>Only times when the shop is closed (its opening hours say when).</summary>
    [BindProperty(SupportsGet = true)]
    public bool ClosedOnly { get; set; }

    [BindProperty]
    public string? Notes { get; set; }

    [BindProperty]
    public bool AcknowledgeCost { get; set; }

    public IReadOnlyList<AppointmentType> Types => types.All;

    public IReadOnlyList<TechnicianRecord> Technicians { get; private set; } = [];

    public IReadOnlyList<Domain.Customer> Shops { get; private set; } = [];

    public Domain.Customer? Shop { get; private set; }

    public AppointmentType? ChosenType { get; private set; }

    /// <summary>The notice the shop must accept on the phone, in the dispatcher's language; null when the work is covered.</summary>
    public string? CostNotice { get; private set; }

    /// <summary>The free starts, the time that disturbs the shop least first (<see cref="ShopSlotRanking"/>).</summary>
    public IReadOnlyList<RankedSlot> Slots { get; private set; } = [];

    /// <summary>False when the shop's opening hours are not on file: the slots are then in order of start.</summary>
    public bool HoursKnown { get; private set; }

    public bool Searched { get; private set; }

    /// <summary>Problems with the search, by field ("type", "customer", "technician", "from").</summary>
    public Dictionary<string, string> FieldErrors { get; } = new(StringComparer.Ordinal);

    public Refusal? Refusal { get; private set; }

    public string TechnicianName(long id) => Technicians.FirstOrDefault(t => t.Id == id)?.Name ?? id.ToString(CultureInfo.InvariantCulture);

    /// <summary>"10:00–11:30", and for any technician who would take it: "10:00–11:30 · Anna Berger".</summary>
    public string SlotLabel(Slot slot)
    {
        var time = LocalTimeRange.In(slot.Start, slot.End, Zone).Compact(Words);
        return Availability.IsAny(string.IsNullOrWhiteSpace(Technician) ? null : Technician) ? $"{time} · {TechnicianName(slot.TechnicianId)}" : time;
    }

    /// <summary>The value a slot button posts: the start (UTC) and the technician.</summary>
    public static string SlotValue(Slot slot) => $"{InstantPattern.General.Format(slot.Start)}|{slot.TechnicianId}";

    public async Task OnGetAsync()
    {
        From ??= clock.GetCurrentInstant().InZone(Zone).Date.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture);
        await SearchAsync(search: Type is not null && Customer is not null).ConfigureAwait(false);
    }

    public async Task<IActionResult> OnPostAsync(string? slot)
    {
        var (start, technician) = ParseSlot(slot);
        if (start is null)
        {
            FieldErrors["slot"] = T("book.slot.missing");
            await SearchAsync(search: true).ConfigureAwait(false);
            Response.StatusCode = 400;
            return Page();
        }

        var outcome = await booking.BookAsync(
            new BookingRequest(Customer?.Trim() ?? "", Type ?? "", technician, start.Value, Notes, AcknowledgeCost, Actor), HttpContext.RequestAborted).ConfigureAwait(false);
        if (outcome.Appointment is { } booked)
        {
            return Redirect($"/dispatch/appointments/{booked.Id}?booked=true");
        }

        Refusal = outcome.Refusal;
        await SearchAsync(search: true).ConfigureAwait(false);
        Response.StatusCode = StatusOf(Refusal!);
        return Page();
    }

    private async Task SearchAsync(bool search)
    {
        Technicians = await technicians.ListAsync(HttpContext.RequestAborted).ConfigureAwait(false);
        Shops = (await customers.ListAsync(null, null, 500, HttpContext.RequestAborted).ConfigureAwait(false)).Customers;
        if (!search)
        {
            return;
        }

        Searched = true;
        var type = types.Find(Type);
        ChosenType = type.IsSuccess ? type.Value : null;
        if (!type.IsSuccess)
        {
            FieldErrors["type"] = T("book.type.unknown");
        }

        var shop = string.IsNullOrWhiteSpace(Customer) ? Result.Fail<Domain.Customer>("") : await customers.FindAsync(Customer.Trim(), HttpContext.RequestAborted).ConfigureAwait(false);
        Shop = shop.IsSuccess ? shop.Value : null;
        if (!shop.IsSuccess)
        {
            FieldErrors["customer"] = string.IsNullOrWhiteSpace(Customer) ? T("book.customer.missing") : Format("book.customer.unknown", Customer);
        }

        var from = WallClock.ParseDate(From, "from");
        if (!from.IsSuccess)
        {
            FieldErrors["from"] = T("book.from.bad");
        }

        Days = Math.Clamp(Days, 1, 31);
        if (ChosenType is null || Shop is null || !from.IsSuccess)
        {
            return;
        }

        CostNotice = Billing.CostNotice(ChosenType, Shop, Words, Scheduler.NoContractNotice);
        var latest = Scheduler.Horizon.LatestStart(clock.GetCurrentInstant());
        var startOfRange = Zone.AtStartOfDay(from.Value).ToInstant();
        var end = Instant.Min(Zone.AtStartOfDay(from.Value.PlusDays(Days)).ToInstant(), latest);
        if (end <= startOfRange)
        {
            FieldErrors["from"] = T("book.from.beyond");
            return;
        }

        var technician = string.IsNullOrWhiteSpace(Technician) ? "any" : Technician;
        var query = new SlotSearch(ChosenType.Key, technician, new Interval(startOfRange, end), Shop.Number);
        var found = await ranking.SearchAsync(query, ClosedOnly, Words, HttpContext.RequestAborted).ConfigureAwait(false);
        if (!found.IsSuccess)
        {
            FieldErrors["technician"] = found.Error!;
            return;
        }

        Slots = [.. found.Value.Slots.Take(MaxStarts)];
        HoursKnown = found.Value.HoursKnown;
    }

    private static (Instant? Start, string? Technician) ParseSlot(string? slot)
    {
        var parts = slot?.Split('|');
        if (parts is not { Length: 2 } || !InstantPattern.General.Parse(parts[0]).TryGetValue(default, out var start)
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            return (null, null);
        }

        return (start, parts[1]);
    }
}
