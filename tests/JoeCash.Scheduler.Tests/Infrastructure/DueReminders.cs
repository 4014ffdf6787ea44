using Dapper;
using JoeCash.Scheduler.Booking;
using NodaTime;
using NodaTime.Testing;

namespace JoeCash.Scheduler.Tests.Infrastructure;

/// <summary>Many appointments with a reminder each that falls due at a chosen moment, for the tests of real <c>serve</c> processes.</summary>
public static class DueReminders
{
    private static readonly Duration QuarterHour = Duration.FromMinutes(15);

    // The service processes run on the real clock, so the bookings read the same one, through IClock as everywhere.
#pragma warning disable CA1859 // SystemClock's own GetCurrentInstant is banned; the interface is the point.
    private static readonly IClock Clock = SystemClock.Instance;
#pragma warning restore CA1859

    /// <summary>
    /// Books <paramref name="count"/> appointments (one technician and one shop each, all mailing
    /// <paramref name="recipient"/>) at the first free quarter hour after <paramref name="notBefore"/>,
    /// with one reminder due within a minute after <paramref name="dueAfter"/> from now; returns when they are due.
    /// </summary>
    public static async Task<Instant> BookAsync(IReadOnlyDictionary<string, string> settings, int count, string recipient, Duration notBefore, Duration dueAfter, bool invitationsAlreadySent)
    {
        var realNow = Clock.GetCurrentInstant();
        // The next quarter hour after realNow + notBefore (Berlin's offsets are whole hours, so the UTC grid is the local one).
        var quarter = (long)QuarterHour.TotalMilliseconds;
        var start = Instant.FromUnixTimeMilliseconds(((realNow + notBefore).ToUnixTimeMilliseconds() + quarter - 1) / quarter * quarter);
        var offset = (int)Math.Floor((start - realNow - dueAfter).TotalMinutes);
        var host = await SchedulerHost.StartAsync(
            new Dictionary<string, string?>(settings.Select(kv => KeyValuePair.Create(kv.Key, (string?)kv.Value)))
            {
                ["Reminders:Offsets:0"] = TimeSpan.FromMinutes(offset).ToString(),
                ["AppointmentTypes:0:Duration"] = "00:15:00",
                ["AppointmentTypes:0:BufferAfter"] = "00:00:00",
            },
            new FakeClock(realNow - Duration.FromHours(3))); // booked "three hours ago": every reminder is planned
        await using (host)
        {
            for (var i = 0; i < count; i++)
            {
                await host.AddTechnicianAsync($"Tech {i}", hours: "Mon-Sun 00:00-23:45");
                await host.AddCustomerAsync($"K{i:0000}", email: recipient);
            }

            var booked = 0;
            while (booked < count)
            {
                var outcome = await host.Booking.BookAsync(new BookingRequest($"K{booked:0000}", "fault", (booked + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), start, null, false, "test"));
                if (outcome.Succeeded)
                {
                    booked++;
                }
                else
                {
                    Assert.Equal(0, booked); // only the very first try may hit the end of the working day
                    start += QuarterHour;
                    offset += 15;
                }
            }

            if (invitationsAlreadySent)
            {
                // The invitations are not what these tests are about; keep the mailbox to the reminders.
                await using var connection = await host.Database.OpenAsync();
                await connection.ExecuteAsync("UPDATE outbox SET status = 'sent' WHERE kind IN ('invitation', 'technician-invitation')");
            }
        }

        return start - Duration.FromMinutes(offset);
    }
}
