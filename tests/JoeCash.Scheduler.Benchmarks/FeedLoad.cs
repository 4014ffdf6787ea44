using System.Diagnostics;
using System.Globalization;
using JoeCash.Scheduler.Booking;
using JoeCash.Scheduler.Configuration;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Domain.Availability;
using JoeCash.Scheduler.Feeds;
using JoeCash.Scheduler.Technicians;
using NodaTime;

namespace JoeCash.Scheduler.Benchmarks;

/// <summary>
/// A technician's calendar feed with <c>count</c> booked appointments in its window (today to 90 days ahead), each
/// booked through <see cref="BookingService"/> for one of many shops: the median time to render it (the query, the
/// iCalendar text, the ETag) and its size, as a calendar app would fetch it.
/// </summary>
public static class FeedLoad
{
    public static async Task<int> RunAsync(int count, int renders)
    {
        await using var scheduler = await TempScheduler.CreateAsync();
        var zone = scheduler.Get<Availability>().Options.Zone;
        var allTypes = scheduler.Get<AppointmentTypeCatalog>().All.Select(t => t.Key).ToArray();
        var (technicians, _) = await scheduler.SeedAsync(
            [new NewTechnician("Anna Berger", "anna@joecash.test", zone, FederalState.BE, WeeklyHours.Parse("Mon-Sun 00:00-24:00").Value, allTypes, DailyCap: null)],
            count);
        var technician = technicians[0].Id;
        var booking = scheduler.Get<BookingService>();

        // Eight a day from tomorrow 06:00 local, 75 minutes apart ("fault" is 60 min + 15 min buffer): 500 fill ~63 days.
        var holidays = scheduler.Get<IHolidayCalendar>();
        var days = Days(scheduler.Get<IClock>().GetCurrentInstant().InZone(zone).Date.PlusDays(1), d => !holidays.IsHoliday(FederalState.BE, d)).Take((count + 7) / 8).ToArray();
        for (var i = 0; i < count; i++)
        {
            var local = days[i / 8].At(new LocalTime(6, 0)).PlusMinutes(75 * (i % 8));
            var start = local.InZoneLeniently(zone).ToInstant();
            var outcome = await booking.BookAsync(new BookingRequest(
                TempScheduler.CustomerNumber(i), "fault", technician.ToString(CultureInfo.InvariantCulture), start, $"Kasse {i}: Bondrucker; Notiz mit Umlauten äöü", false, "bench"));
            if (!outcome.Succeeded)
            {
                throw new InvalidOperationException($"booking {i} at {local} was refused: {outcome.Refusal?.Message}");
            }
        }

        var feed = scheduler.Get<TechnicianFeed>();
        var document = await feed.RenderAsync(technician) ?? throw new InvalidOperationException("no feed");
        var times = new List<double>(renders);
        for (var i = 0; i < renders + 20; i++)
        {
            var started = Stopwatch.GetTimestamp();
            document = await feed.RenderAsync(technician) ?? throw new InvalidOperationException("no feed");
            if (i >= 20)
            {
                times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }

        times.Sort();
        var median = Stats.Median(times);
        Console.WriteLine($"Feed: one technician, {document.Events} events in the window ({count} booked), {renders} renders after 20 warm-up, load average {Machine.LoadAverage()}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  render median {median:0.00} ms, p90 {times[(int)(times.Count * 0.9)]:0.00} ms, min {times[0]:0.00} ms; {document.Content.Length:N0} bytes ({document.Content.Length / 1024.0:0.0} KiB, {document.Content.Length / Math.Max(1, document.Events)} bytes per event)"));
        // The issue asks for the figures, not a limit: a calendar app fetches a feed once an hour or less.
        return 0;
    }

    private static IEnumerable<LocalDate> Days(LocalDate from, Func<LocalDate, bool> bookable)
    {
        for (var day = from; ; day = day.PlusDays(1))
        {
            if (bookable(day))
            {
                yield return day;
            }
        }
    }
}
