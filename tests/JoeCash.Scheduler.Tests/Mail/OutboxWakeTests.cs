using System.Net;
using JoeCash.Scheduler.Tests.Infrastructure;
using JoeCash.Scheduler.Tests.Web.Api;

namespace JoeCash.Scheduler.Tests.Mail;

/// <summary>
/// A booking made inside <c>serve</c> goes out at once: its commit wakes the dispatcher, which would otherwise find
/// it only at its next poll. The poll is set to ten minutes here, so only the wake-up can deliver it in time.
/// </summary>
public sealed class OutboxWakeTests
{
    [Fact]
    public async Task A_booking_over_the_api_is_sent_at_once_not_at_the_next_poll()
    {
        await using var server = await WebServer.StartAsync(settings: new Dictionary<string, string> { ["Mail:PollInterval"] = "00:10:00" });
        var created = await server.Cli.RunAsync("staff", "api-key", "add", WebServer.Dispatcher, "--name", "tests", "--json");
        Assert.True(created.ExitCode == 0, created.ToString());
        using var client = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", created.Json.GetProperty("key").GetString());
        // Whatever the start-up pass sends (the demo's own messages) is out before the count is taken.
        var before = await StableCountAsync(server.PickupDirectory);

        using var booked = await Api.BookAsync(client, "K10001", Api.At(10, weeksAhead: 5));
        Assert.Equal(HttpStatusCode.Created, booked.StatusCode);

        var sent = await WaitForCountAsync(server.PickupDirectory, before + 1, TimeSpan.FromSeconds(15));
        Assert.True(sent > before, $"no new message in the pickup folder 15 s after the booking (before: {before}, after: {sent}):\n{server.Log}");
    }

    [Theory]
    [InlineData(null, 1000, 1000)] // nothing waits: the poll
    [InlineData(5000, 1000, 1000)] // due after the next poll: the poll
    [InlineData(300, 1000, 301)] // due before it: a millisecond past its instant (stored in whole milliseconds)
    [InlineData(-5, 1000, 20)] // due already (another node is claiming it): not a busy loop
    public void The_dispatcher_waits_until_the_next_message_is_due_or_the_next_poll(int? untilNextMs, int pollMs, int expectedMs)
    {
        var untilNext = untilNextMs is { } ms ? NodaTime.Duration.FromMilliseconds(ms) : (NodaTime.Duration?)null;

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), Scheduling.OutboxDispatcherService.Wait(untilNext, TimeSpan.FromMilliseconds(pollMs)));
    }

    private static int Count(string folder) => Directory.Exists(folder) ? Directory.GetFiles(folder, "*.eml").Length : 0;

    private static async Task<int> StableCountAsync(string folder)
    {
        var count = Count(folder);
        for (var stable = 0; stable < 10; stable++)
        {
            await Task.Delay(200);
            var now = Count(folder);
            if (now != count)
            {
                (count, stable) = (now, -1);
            }
        }

        return count;
    }

    private static async Task<int> WaitForCountAsync(string folder, int atLeast, TimeSpan timeout)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (Count(folder) < atLeast && waited.Elapsed < timeout)
        {
            await Task.Delay(100);
        }

        return Count(folder);
    }
}
