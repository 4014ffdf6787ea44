using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Domain.Availability;
using NodaTime;

namespace JoeCash.Scheduler.Booking;

/// <summary>A free start as the shop should weigh it: how it fits the opening hours, and that in words.</summary>
/// <param name="Slot">The start, and the technician a booking for "any" would get.</param>
/// <param name="Fit">Closed, partly or entirely during opening hours, or unknown.</param>
/// <param name="MinutesDuringOpening">How long the open shop goes without its till.</param>
/// <param name="Label">The fit in the language asked for, e.g. "vor Öffnung".</param>
public sealed record RankedSlot(Slot Slot, ShopHoursFit Fit, int MinutesDuringOpening, string Label);

/// <summary>Ranked starts, the names of their technicians, and whether the shop's opening hours were known.</summary>
public sealed record RankedSlots(IReadOnlyList<RankedSlot> Slots, IReadOnlyDictionary<long, string> TechnicianNames, bool HoursKnown);

/// <summary>
/// Free starts for a shop, ranked by its opening hours (<see cref="ShopHours"/>): one line per start, the time that
/// disturbs its business least first. The same engine and rules as every booking; the shop's page, the dispatcher's
/// search and <c>slots --customer</c> all ask here, so all three show the same order and the same words.
/// </summary>
public sealed class ShopSlotRanking(Availability availability)
{
    /// <summary>Any technician who takes <paramref name="typeKey"/>, for the shop <paramref name="customerNumber"/>.</summary>
    public async Task<Result<IReadOnlyList<RankedSlot>>> RankAsync(
        string customerNumber, string typeKey, Interval range, bool onlyWhileClosed, Language language, CancellationToken cancellationToken = default)
    {
        var found = await SearchAsync(new SlotSearch(typeKey, "any", range, customerNumber), onlyWhileClosed, language, cancellationToken).ConfigureAwait(false);
        return found.IsSuccess ? Result.Ok(found.Value.Slots) : Result.Fail<IReadOnlyList<RankedSlot>>(found.Error!);
    }

    /// <summary>A search that names the shop (<see cref="SlotSearch.Customer"/> is required), ranked.</summary>
    public async Task<Result<RankedSlots>> SearchAsync(SlotSearch search, bool onlyWhileClosed, Language language, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(search);
        if (search.Customer is null)
        {
            throw new ArgumentException("A ranking needs the shop.", nameof(search));
        }

        var found = await availability.SearchAsync(search with { PerStart = SlotsPerStart.FirstRanked }, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
        {
            return Result.Fail<RankedSlots>(found.Error!);
        }

        var hours = OpeningHoursOf(found.Value.Shop!);
        // For "any technician" one start, with the technician a booking for "any" would get (the engine keeps only that one).
        var ranked = ShopHours.Rank(found.Value.Slots, s => new Interval(s.Start, s.End), hours, availability.Options.Zone, onlyWhileClosed);
        return new RankedSlots(
            [.. ranked.Select(r => new RankedSlot(r.Item, r.Match.Fit, r.Match.MinutesDuringOpening, ShopHours.Label(r.Match, language)))],
            found.Value.TechnicianNames,
            hours is not null);
    }

    /// <summary>
    /// The ranked starts thinned for a shop to choose from: in rank order, at most <paramref name="perDay"/> of each local
    /// day, none overlapping one already taken that day. Rank order is kept, so the best of every day still comes first.
    /// </summary>
    public static IReadOnlyList<RankedSlot> Spread(IReadOnlyList<RankedSlot> ranked, DateTimeZone zone, int perDay)
    {
        ArgumentNullException.ThrowIfNull(ranked);
        ArgumentOutOfRangeException.ThrowIfLessThan(perDay, 1);
        var taken = new Dictionary<LocalDate, List<Interval>>();
        var spread = new List<RankedSlot>();
        foreach (var slot in ranked)
        {
            var day = slot.Slot.Start.InZone(zone).Date;
            if (!taken.TryGetValue(day, out var ofDay))
            {
                taken[day] = ofDay = [];
            }

            if (ofDay.Count < perDay && !ofDay.Exists(t => t.Start < slot.Slot.End && slot.Slot.Start < t.End))
            {
                ofDay.Add(new Interval(slot.Slot.Start, slot.Slot.End));
                spread.Add(slot);
            }
        }

        return spread;
    }

    /// <summary>The shop's opening hours, or null when none are on file (or a row stored before they were checked cannot be read).</summary>
    public static WeeklyHours? OpeningHoursOf(Customer shop)
    {
        ArgumentNullException.ThrowIfNull(shop);
        return shop.OpeningHours is { } text && ShopHours.Parse(text) is { IsSuccess: true } parsed ? parsed.Value : null;
    }
}
