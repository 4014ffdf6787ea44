using System.Text;
using Dapper;
using JoeCash.Scheduler.Feeds;
using NodaTime;
using NodaTime.Testing;
using static JoeCash.Scheduler.Tests.Feeds.FeedFixture;

namespace JoeCash.Scheduler.Tests.Feeds;

public sealed class TechnicianFeedTests
{
    private static async Task<string> FeedTextAsync(Tests.Infrastructure.SchedulerHost host) =>
        Encoding.UTF8.GetString((await host.Get<TechnicianFeed>().RenderAsync(1))!.Content);

    private static string[] Uids(string ics) =>
        [.. ics.Replace("\r\n ", "", StringComparison.Ordinal).Split("\r\n").Where(l => l.StartsWith("UID:", StringComparison.Ordinal)).Select(l => l[4..])];

    [Fact]
    public async Task Window_ReachesThirtyDaysBackAndNinetyAhead_ByOverlap_Exactly()
    {
        var clock = new FakeClock(Utc(2026, 11, 2, 6));
        await using var host = await StartAsync(clock);
        var early = await BookAsync(host, Utc(2026, 11, 3, 9));   // 09:00–10:00Z
        var late = await BookAsync(host, Utc(2026, 11, 20, 9));
        var feed = host.Get<TechnicianFeed>();

        // The early one ended exactly 30 days ago: gone; a millisecond later it still overlaps the window.
        clock.Reset(early.End + Duration.FromDays(30));
        Assert.DoesNotContain(early.Uid, Uids(await FeedTextAsync(host)));
        clock.Reset(early.End + Duration.FromDays(30) - Duration.FromMilliseconds(1));
        Assert.Contains(early.Uid, Uids(await FeedTextAsync(host)));

        // The late one starts exactly 90 days ahead: not yet; a millisecond later it is in.
        clock.Reset(late.Start - Duration.FromDays(90));
        Assert.DoesNotContain(late.Uid, Uids(await FeedTextAsync(host)));
        clock.Reset(late.Start - Duration.FromDays(90) + Duration.FromMilliseconds(1));
        Assert.Contains(late.Uid, Uids(await FeedTextAsync(host)));

        var document = (await feed.RenderAsync(1))!;
        Assert.Equal("text/calendar; charset=utf-8", FeedDocument.ContentType);
        Assert.Null(await feed.RenderAsync(99));
        Assert.Equal(2, document.Events);
    }

    [Fact]
    public async Task CancelledAppointments_AreGone_OthersOfOtherTechniciansNeverThere()
    {
        var clock = new FakeClock(Utc(2026, 12, 1, 6));
        await using var host = await StartAsync(clock);
        await host.AddTechnicianAsync("Ben Other", hours: "Mon-Sun 00:00-24:00");
        await host.AddCustomerAsync("K2");
        var kept = await BookAsync(host, Utc(2026, 12, 2, 9));
        var cancelled = await BookAsync(host, Utc(2026, 12, 3, 9));
        var others = await host.Booking.BookAsync(new JoeCash.Scheduler.Booking.BookingRequest("K2", "fault", "2", Utc(2026, 12, 2, 9), null, false, "test"));
        Assert.True(others.Succeeded);
        Assert.True((await host.Booking.CancelAsync(cancelled.Id, cancelled.Version, "weg", "test")).Succeeded);

        var ics = await FeedTextAsync(host);

        Assert.Equal([kept.Uid], Uids(ics));
        Assert.Contains("SEQUENCE:0", ics, StringComparison.Ordinal);
        Assert.Contains("METHOD:PUBLISH", ics, StringComparison.Ordinal);
        Assert.Contains("X-WR-CALNAME:JoeCash Fernwartungen – Anna Berger", ics, StringComparison.Ordinal);
        Assert.Contains("REFRESH-INTERVAL;VALUE=DURATION:PT1H", ics, StringComparison.Ordinal);
        Assert.Contains("X-PUBLISHED-TTL:PT1H", ics, StringComparison.Ordinal);
        Assert.DoesNotContain("ATTENDEE", ics, StringComparison.Ordinal);
        Assert.DoesNotContain("\n\n", ics.Replace("\r\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("DTSTART;TZID=Europe/Berlin:20261202T100000", ics, StringComparison.Ordinal);
        Assert.Contains("BEGIN:VTIMEZONE", ics, StringComparison.Ordinal);
        var report = await IcalJsAsync("feed-cancelled", ics);
        var evt = Assert.Single(report.GetProperty("events").EnumerateArray());
        var description = evt.GetProperty("description").GetString()!;
        foreach (var expected in new[] { "Kunde: Shop K1 (K1)", "Filiale: Filiale", "Kontakt: Erika Muster", "Telefon: +49 89 123456", "RustDesk-ID: 732 901 938", "Thema: Störungsbehebung" })
        {
            Assert.Contains(expected, description, StringComparison.Ordinal);
        }

        Assert.Equal("Fernwartung: Shop K1 – Filiale (K1)", evt.GetProperty("summary").GetString());
    }

    [Fact]
    public async Task ETag_ChangesWhenAnAppointmentChanges_AndNotOtherwise()
    {
        var clock = new FakeClock(Utc(2026, 12, 1, 6));
        await using var host = await StartAsync(clock);
        var appointment = await BookAsync(host, Utc(2026, 12, 2, 9));
        await BookAsync(host, Utc(2026, 12, 4, 9));
        var feed = host.Get<TechnicianFeed>();
        var first = (await feed.RenderAsync(1))!;

        clock.AdvanceMinutes(90); // time passes, nothing changes: same bytes (no DTSTAMP = now)
        var again = (await feed.RenderAsync(1))!;
        Assert.Equal(first.ETag, again.ETag);
        Assert.Equal(first.Content, again.Content);
        Assert.StartsWith("\"", first.ETag, StringComparison.Ordinal);
        Assert.Equal(TechnicianFeed.ETagOf(first.Content), first.ETag);

        Assert.True((await host.Booking.RescheduleAsync(appointment.Id, appointment.Version, Utc(2026, 12, 2, 12), null, "test")).Succeeded);
        var moved = (await feed.RenderAsync(1))!;
        Assert.NotEqual(first.ETag, moved.ETag);
        Assert.Contains("SEQUENCE:1", Encoding.UTF8.GetString(moved.Content), StringComparison.Ordinal);

        // The shop's phone changes: the description shows it, so the ETag changes too.
        await using (var connection = await host.Database.OpenAsync())
        {
            await connection.ExecuteAsync("UPDATE customers SET phone = '+49 89 999999' WHERE number = 'K1'");
        }

        var phoned = (await feed.RenderAsync(1))!;
        Assert.NotEqual(moved.ETag, phoned.ETag);
        Assert.Equal(phoned.ETag, (await feed.RenderAsync(1))!.ETag);
    }

    [Fact]
    public async Task UserText_WithCrLfSemicolonsAndCommas_CannotAddALine()
    {
        var clock = new FakeClock(Utc(2026, 12, 1, 6));
        await using var host = await StartAsync(clock);
        var appointment = await BookAsync(host, Utc(2026, 12, 2, 9), "harmlos");
        const string Evil = "Drucker; kaputt, sofort\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:evil\nSUMMARY:owned\rATTENDEE:mailto:x@example.test";
        await using (var connection = await host.Database.OpenAsync())
        {
            // Straight into the rows, past the input rules: the writer must be safe on its own.
            await connection.ExecuteAsync("UPDATE appointments SET notes = @Evil WHERE id = @Id", new { Evil, appointment.Id });
            await connection.ExecuteAsync(
                "UPDATE customers SET company = @Company, branch = @Branch, contact_name = @Contact, phone = @Phone WHERE number = 'K1'",
                new { Company = "Café \"Zur Kasse\"; Süd, GmbH\r\nX-EVIL:1", Branch = "Filiale;\nUID:evil2", Contact = "Jörg, \"Kassen-Jörg\"; Müller", Phone = "+49 1\r\nDTSTART:19700101T000000Z" });
        }

        var ics = await FeedTextAsync(host);

        var lines = ics.Replace("\r\n ", "", StringComparison.Ordinal).Split("\r\n");
        Assert.Equal(1, lines.Count(l => l == "BEGIN:VEVENT"));
        Assert.Equal([appointment.Uid], Uids(ics));
        Assert.DoesNotContain(lines, l => l.StartsWith("SUMMARY:owned", StringComparison.Ordinal) || l.StartsWith("ATTENDEE", StringComparison.Ordinal)
            || l.StartsWith("X-EVIL", StringComparison.Ordinal) || l.StartsWith("DTSTART:1970", StringComparison.Ordinal));
        Assert.DoesNotContain('\r', ics.Replace("\r\n", "", StringComparison.Ordinal));
        Assert.DoesNotContain('\n', ics.Replace("\r\n", "", StringComparison.Ordinal));
        var report = await IcalJsAsync("feed-evil", ics);
        var evt = Assert.Single(report.GetProperty("events").EnumerateArray());
        Assert.Equal(appointment.Uid, evt.GetProperty("uid").GetString());
        Assert.Contains("Drucker; kaputt, sofort", evt.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Contains("Café \"Zur Kasse\"; Süd, GmbH", evt.GetProperty("summary").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_UsesTheTechnicianIndex_BoundedByTheWindow()
    {
        await using var host = await StartAsync(new FakeClock(Utc(2026, 12, 1, 6)));
        await using var connection = await host.Database.OpenAsync();
        var plan = string.Join("\n", (await connection.QueryAsync<(long, long, long, string)>("""
            EXPLAIN QUERY PLAN SELECT id FROM appointments
            WHERE status = 'booked' AND technician_id = 1
              AND blocked_from >= 0 AND blocked_from < 10 AND starts_at < 10 AND ends_at > 5
            ORDER BY starts_at, id
            """)).Select(r => r.Item4));
        Assert.Contains("appointments_technician_blocked (technician_id=? AND blocked_from>? AND blocked_from<?)", plan.Replace(">=", ">", StringComparison.Ordinal), StringComparison.Ordinal);
    }
}
