namespace JoeCash.Scheduler.Booking;

/// <summary>
/// What a booking decides about — its candidate technicians and the shop — as the keys of
/// <see cref="Storage.Database.TakeTurnsAsync"/>: bookings that could collide take turns, the others run side by side.
/// </summary>
internal static class BookingTurns
{
    private const long Technicians = 1L << 40;
    private const long Shops = 2L << 40;

    public static IEnumerable<long> Of(IEnumerable<long> technicianIds, long customerId) =>
        OfTechnicians(technicianIds).Append(Shops + customerId);

    public static IEnumerable<long> OfTechnicians(IEnumerable<long> technicianIds) => technicianIds.Select(id => Technicians + id);
}
