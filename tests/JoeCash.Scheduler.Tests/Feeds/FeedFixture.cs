using System.Diagnostics;
using System.Text.Json;
using JoeCash.Scheduler.Booking;
using JoeCash.Scheduler.Tests.Infrastructure;
using NodaTime;
using NodaTime.Testing;

namespace JoeCash.Scheduler.Tests.Feeds;

/// <summary>A fresh database with one technician who works every hour of every day, and a shop; a clock moved by hand.</summary>
internal static class FeedFixture
{
    public static readonly DateTimeZone Berlin = DateTimeZoneProviders.Tzdb["Europe/Berlin"];

    public static Instant Local(int y, int m, int d, int h, int min = 0) => Berlin.AtStrictly(new LocalDateTime(y, m, d, h, min)).ToInstant();

    public static Instant Utc(int y, int m, int d, int h, int min = 0) => Instant.FromUtc(y, m, d, h, min);

    public static async Task<SchedulerHost> StartAsync(FakeClock clock, Dictionary<string, string?>? settings = null)
    {
        var host = await SchedulerHost.StartAsync(settings, clock);
        await host.AddTechnicianAsync("Anna Berger", hours: "Mon-Sun 00:00-24:00");
        await host.AddCustomerAsync("K1");
        return host;
    }

    /// <summary>Books a one-hour fault appointment with technician 1; fails the test if refused.</summary>
    public static async Task<JoeCash.Scheduler.Domain.Appointment> BookAsync(SchedulerHost host, Instant start, string? notes = null, string customer = "K1")
    {
        var outcome = await host.Booking.BookAsync(new BookingRequest(customer, "fault", "1", start, notes, false, "test"));
        Assert.True(outcome.Succeeded, outcome.Refusal?.Message);
        return outcome.Appointment!;
    }

    /// <summary>Runs the project's ical.js check (tests/ical-check) on <paramref name="ics"/> and returns its JSON report.</summary>
    public static async Task<JsonElement> IcalJsAsync(string name, string ics)
    {
        var checker = Path.Combine(Paths.RepositoryRoot, "tests", "ical-check");
        Assert.True(Directory.Exists(Path.Combine(checker, "node_modules", "ical.js")),
            $"ical.js is not installed: run 'npm ci' in {checker} (tests/run.sh does this).");
        using var folder = new TempDirectory();
        var file = folder.File(name + ".ics");
        await File.WriteAllTextAsync(file, ics);
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = checker };
        start.ArgumentList.Add("check.mjs");
        start.ArgumentList.Add(file);
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"ical.js could not parse {name}: {errors}\n{output}\n{ics}");
        var result = JsonDocument.Parse(output).RootElement.Clone();
        Assert.True(result.GetProperty("ok").GetBoolean(), $"{name}: {result.GetProperty("errors")}\n{ics}");
        return result;
    }
}
