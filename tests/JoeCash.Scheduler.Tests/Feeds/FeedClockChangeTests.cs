using System.Text;
using System.Text.Json;
using JoeCash.Scheduler.Feeds;
using NodaTime.Testing;
using static JoeCash.Scheduler.Tests.Feeds.FeedFixture;

namespace JoeCash.Scheduler.Tests.Feeds;

/// <summary>The feed on the days the clocks change in Berlin (last Sundays of March and October), read back by ical.js.</summary>
public sealed class FeedClockChangeTests
{
    private static JsonElement Event(JsonElement report, string uid) =>
        report.GetProperty("events").EnumerateArray().Single(e => e.GetProperty("uid").GetString() == uid);

    [Fact]
    public async Task AutumnOverlap_BothOccurrencesOf0200And0230_AreTheRightInstants()
    {
        var clock = new FakeClock(Utc(2026, 10, 1, 8));
        await using var host = await StartAsync(clock);
        var first = await BookAsync(host, Utc(2026, 10, 25, 0));        // 02:00 CEST – 02:00 CET
        var second = await BookAsync(host, Utc(2026, 10, 25, 1, 30));   // 02:30 CET – 03:30 CET
        var monday = await BookAsync(host, Local(2026, 10, 26, 10));    // an ordinary day after

        var ics = Encoding.UTF8.GetString((await host.Get<TechnicianFeed>().RenderAsync(1))!.Content);
        var report = await IcalJsAsync("feed-autumn-2026", ics);

        var a = Event(report, first.Uid);
        Assert.Equal("2026-10-25T00:00:00Z", a.GetProperty("dtstart").GetProperty("utc").GetString());
        Assert.Equal("2026-10-25T02:00:00", a.GetProperty("dtstart").GetProperty("berlin").GetString());
        Assert.Equal("2026-10-25T01:00:00Z", a.GetProperty("dtend").GetProperty("utc").GetString());
        Assert.Equal("2026-10-25T02:00:00", a.GetProperty("dtend").GetProperty("berlin").GetString());
        var b = Event(report, second.Uid);
        Assert.Equal("2026-10-25T01:30:00Z", b.GetProperty("dtstart").GetProperty("utc").GetString());
        Assert.Equal("2026-10-25T02:30:00", b.GetProperty("dtstart").GetProperty("berlin").GetString());
        Assert.Equal("2026-10-25T03:30:00", b.GetProperty("dtend").GetProperty("berlin").GetString());
        var c = Event(report, monday.Uid);
        Assert.Equal("Europe/Berlin", c.GetProperty("dtstart").GetProperty("tzid").GetString());
        Assert.Equal("2026-10-26T10:00:00", c.GetProperty("dtstart").GetProperty("berlin").GetString());
        Assert.Equal("2026-10-26T09:00:00Z", c.GetProperty("dtstart").GetProperty("utc").GetString());
        // The description says it as people read it on such a day.
        Assert.Contains("02:00 MESZ – 02:00 MEZ", a.GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SpringGap_AcrossAndAfterTheGap_AreTheRightInstants()
    {
        var clock = new FakeClock(Utc(2026, 3, 1, 8));
        await using var host = await StartAsync(clock);
        var across = await BookAsync(host, Utc(2026, 3, 29, 0, 30));    // 01:30 CET – 03:30 CEST
        var after = await BookAsync(host, Local(2026, 3, 29, 4));       // 04:00 CEST
        var summer = await BookAsync(host, Local(2026, 4, 1, 10));

        var ics = Encoding.UTF8.GetString((await host.Get<TechnicianFeed>().RenderAsync(1))!.Content);
        var report = await IcalJsAsync("feed-spring-2026", ics);

        var a = Event(report, across.Uid);
        Assert.Equal("2026-03-29T01:30:00", a.GetProperty("dtstart").GetProperty("berlin").GetString());
        Assert.Equal("2026-03-29T00:30:00Z", a.GetProperty("dtstart").GetProperty("utc").GetString());
        Assert.Equal("2026-03-29T03:30:00", a.GetProperty("dtend").GetProperty("berlin").GetString());
        Assert.Equal("2026-03-29T01:30:00Z", a.GetProperty("dtend").GetProperty("utc").GetString());
        var b = Event(report, after.Uid);
        Assert.Equal("2026-03-29T04:00:00", b.GetProperty("dtstart").GetProperty("berlin").GetString());
        Assert.Equal("2026-03-29T02:00:00Z", b.GetProperty("dtstart").GetProperty("utc").GetString());
        Assert.Equal("2026-04-01T08:00:00Z", Event(report, summer.Uid).GetProperty("dtstart").GetProperty("utc").GetString());
        Assert.Contains("DTSTART;TZID=Europe/Berlin:20260329T013000", ics, StringComparison.Ordinal);
    }
}
