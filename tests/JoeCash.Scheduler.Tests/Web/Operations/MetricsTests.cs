using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using JoeCash.Scheduler.Tests.Infrastructure;
using JoeCash.Scheduler.Tests.Replies;
using JoeCash.Scheduler.Tests.Web.Day;
using ApiCalls = JoeCash.Scheduler.Tests.Web.Api.Api;

namespace JoeCash.Scheduler.Tests.Web.Operations;

/// <summary>
/// The metrics a scraper on the same host reads from the real <c>serve</c> appear after the events they count: a
/// refusal by its code, the outbox's send duration once mail went out, the replies' apply duration once an answer came in;
/// beside them the runtime's own (thread pool, GC, memory, CPU).
/// </summary>
public sealed partial class MetricsTests
{
    [Fact]
    public async Task Refusals_by_code_send_and_reply_durations_appear_after_their_events_beside_the_runtimes_own()
    {
        await using var server = await WebServer.StartAsync();
        using var scraper = new HttpClient { BaseAddress = server.Address };
        var first = await ScrapeAsync(scraper);
        Assert.DoesNotContain("code=\"cost-not-acknowledged\"", first, StringComparison.Ordinal);

        // What an operator needs to tell a starved thread pool or a growing heap from a slow database.
        Assert.Matches(MetricLine("dotnet_thread_pool_queue_length"), first);
        Assert.Matches(MetricLine("dotnet_thread_pool_thread_count"), first);
        Assert.True(Count(first, "dotnet_process_memory_working_set_bytes") > 10 * 1024 * 1024, first);
        Assert.True(Count(first, "dotnet_process_cpu_time_seconds_total") > 0, first);
        Assert.True(Count(first, "dotnet_gc_heap_total_allocated_bytes_total") > 0, first);

        // A billable booking without the shop's acknowledgment is refused.
        var created = await server.Cli.RunAsync("staff", "api-key", "add", WebServer.Dispatcher, "--name", "metrics", "--json");
        Assert.True(created.ExitCode == 0, created.ToString());
        using var api = new HttpClient { BaseAddress = server.Address };
        api.DefaultRequestHeaders.Authorization = new("Bearer", created.Json.GetProperty("key").GetString());
        using var refused = await api.PostAsync(new Uri("/api/v1/appointments", UriKind.Relative),
            ApiCalls.Json(new { customer = "K10001", type = "training", start = ApiCalls.At(13, weeksAhead: 8) }));
        await ApiCalls.ProblemAsync(refused, 422, "cost-not-acknowledged");

        // An appointment whose invitation goes out, and the shop's answer to it.
        var anna = await DayServer.TechnicianIdAsync(server, WebServer.Anna);
        var booked = await DayServer.BookAsync(server, "K10001", "fault", anna, CliDates.WorkingTuesday(9).At(10));
        var repliesBefore = Count(await ScrapeAsync(scraper), "joecash_replies_apply_duration_seconds_count");
        const string shop = "mehmet.richter@baeckerei.shop.test";
        var reply = ReplyShapes.Build(ReplyClient.OutlookDe, new ReplySpec(booked.GetProperty("uid").GetString()!, 0, shop, "Mehmet Richter", "support@joecash.test"), shop, "support@joecash.test");
        await File.WriteAllBytesAsync(Path.Combine(DayServer.RepliesDirectory(server), "accept.eml"), ReplyShapes.ToBytes(reply));

        var metrics = "";
        for (var i = 0; i < 150; i++)
        {
            metrics = await ScrapeAsync(scraper);
            if (Count(metrics, "joecash_replies_apply_duration_seconds_count") > repliesBefore && Count(metrics, "joecash_outbox_send_duration_seconds_count") > 0)
            {
                break;
            }

            await Task.Delay(200);
        }

        Assert.Matches(RefusalLine(), metrics);
        Assert.True(Count(metrics, "joecash_outbox_send_duration_seconds_count") > 0, metrics);
        Assert.Contains("joecash_outbox_send_duration_seconds_bucket{", metrics, StringComparison.Ordinal);
        Assert.True(Count(metrics, "joecash_outbox_sent_total") > 0, metrics);
        Assert.True(Count(metrics, "joecash_replies_apply_duration_seconds_count") > repliesBefore, metrics);
        Assert.Contains("joecash_replies_apply_duration_seconds_bucket{", metrics, StringComparison.Ordinal);
    }

    private static async Task<string> ScrapeAsync(HttpClient scraper)
    {
        using var response = await scraper.GetAsync(new Uri("/metrics", UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return text;
    }

    /// <summary>The value of a counter or histogram count line (summed over its label sets); 0 when absent.</summary>
    private static double Count(string metrics, string name) =>
        Regex.Matches(metrics, $"^{Regex.Escape(name)}(?:\\{{[^}}]*\\}})? ([0-9.eE+-]+)", RegexOptions.Multiline)
            .Sum(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));

    /// <summary>A sample line of <paramref name="name"/> (with or without a _total suffix and labels) and a number.</summary>
    private static Regex MetricLine(string name) =>
        new($"^{Regex.Escape(name)}(?:_total)?(?:\\{{[^}}]*\\}})? [0-9.eE+-]+", RegexOptions.Multiline);

    [GeneratedRegex("joecash_refusals_total\\{[^}]*code=\"cost-not-acknowledged\"[^}]*\\} 1\\b")]
    private static partial Regex RefusalLine();
}
