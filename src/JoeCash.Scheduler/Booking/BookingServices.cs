using JoeCash.Scheduler.Domain.Availability;
using JoeCash.Scheduler.Holidays;
using Microsoft.Extensions.DependencyInjection;

namespace JoeCash.Scheduler.Booking;

/// <summary>Free slots and booking: the holidays they respect, the availability they read, the service that writes.</summary>
public static class BookingServices
{
    public static IServiceCollection AddBooking(this IServiceCollection services)
    {
        services.AddSingleton<IHolidayCalendar, GermanHolidayCalendar>();
        services.AddSingleton<Availability>();
        services.AddSingleton<ShopSlotRanking>();
        services.AddSingleton<TechnicianChoice>();
        services.AddSingleton<AppointmentQueries>();
        services.AddSingleton<BookingService>();
        services.AddSingleton<TimeOffService>();
        services.AddSingleton<TechnicianEditService>();
        return services;
    }
}
