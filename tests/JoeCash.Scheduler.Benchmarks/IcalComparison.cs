using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using JoeCash.Scheduler.Calendars;
using JoeCash.Scheduler.Configuration;
using JoeCash.Scheduler.Invitations;
using JoeCash.Scheduler.Mail;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace JoeCash.Scheduler.Benchmarks;

/// <summary>
/// The iCalendar part of one invitation: our <see cref="CalendarBuilder"/> beside npm's ical-generator producing the
/// same calendar with its VTIMEZONE (<c>tests/ical-check/generate-bench.mjs</c>), interleaved round by round in one
/// run: the pinned 10.2.0 (slow line folding), 11.x from a folder outside the repository when installed there, and
/// ours in this process with the script's timing rule (<see cref="Stats.MicrosPerCall"/>).
/// </summary>
public static class IcalComparison
{
    /// <summary>ical-generator 10.2.0 costs ~1 ms per invitation: fewer of them keep a round short.</summary>
    private const int OldCount = 2_000;
    private const int Count = 20_000;

    public static async Task<int> RunAsync(int rounds, string? modules11)
    {
        using var services = MailServices.Create();
        var templates = services.GetRequiredService<TemplateCatalog>();
        var zone = services.GetRequiredService<IOptions<SchedulerOptions>>().Value.Zone;
        var message = services.GetRequiredService<InvitationComposer>()
            .Compose(InvitationKind.Request, SampleMail.Context(services.GetRequiredService<AppointmentTypeCatalog>(), zone), SampleMail.Created).Single();
        var data = MailServices.CalendarOf(message.Payload, templates);
        var ours = CalendarBuilder.Build(data);
        var ourCheck = await CheckAsync(ours);

        var script = Path.Combine(Repository.IcalCheck, "generate-bench.mjs");
        if (!Directory.Exists(Path.Combine(Repository.IcalCheck, "node_modules", "ical-generator")))
        {
            throw new InvalidOperationException($"ical-generator is not installed: run 'npm ci' in {Repository.IcalCheck}.");
        }

        var has11 = modules11 is not null && Directory.Exists(Path.Combine(modules11, "node_modules", "ical-generator"));
        Console.WriteLine();
        Console.WriteLine("iCalendar part per invitation: ours (CalendarBuilder.Build, in this process) vs. npm ical-generator (node generate-bench.mjs), interleaved");
        Console.WriteLine($"  ours: {Encoding.UTF8.GetByteCount(ours):N0} bytes, check.mjs (ical.js): {ourCheck}");
        if (!has11)
        {
            Console.WriteLine($"  ical-generator 11.x not found under {modules11 ?? "(none given)"}: install it outside the repository with");
            Console.WriteLine("    npm install --prefix /tmp/icalgen11 --engine-strict=false ical-generator@11 @touch4it/ical-timezones@1.9.0");
        }

        // Tiered compilation with PGO needs many calls before this process runs Ical.Net as optimized code; without this,
        // the first rounds measured ~99 µs against ~69 µs later (and in BenchmarkDotNet).
        var warm = Stopwatch.StartNew();
        while (warm.Elapsed < TimeSpan.FromSeconds(5))
        {
            CalendarBuilder.Build(data);
        }

        var ourMicros = new List<double>();
        var runs = new Dictionary<string, List<JsonElement>> { ["10"] = [], ["11"] = [] };
        for (var round = 1; round <= rounds; round++)
        {
            // Rotate the order so none of the three always runs first (or right after the node process' start).
            var order = new[] { "ours", "10", "11" }.Skip((round - 1) % 3).Concat(new[] { "ours", "10", "11" }.Take((round - 1) % 3));
            foreach (var what in order)
            {
                switch (what)
                {
                    case "ours":
                        var micros = Stats.MicrosPerCall(Count, _ => CalendarBuilder.Build(data));
                        ourMicros.Add(micros);
                        Console.WriteLine($"  round {round}: ours (Ical.Net 5.2.4, VTIMEZONE object cached)       {Stats.F1(micros),8} µs");
                        break;
                    case "10":
                        var old = await NodeAsync(script, OldCount, null);
                        runs["10"].Add(old);
                        Console.WriteLine($"  round {round}: {Describe(old)}");
                        break;
                    case "11" when has11:
                        var current = await NodeAsync(script, Count, modules11);
                        runs["11"].Add(current);
                        Console.WriteLine($"  round {round}: {Describe(current)}");
                        break;
                }
            }
        }

        var ourMedian = Stats.Median(ourMicros);
        Console.WriteLine();
        Console.WriteLine("| iCalendar part of one invitation | bytes | µs, VTIMEZONE cached | µs, from scratch | µs, serialize only | vs. ours (cached) |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        Console.WriteLine($"| ours: CalendarBuilder.Build (Ical.Net 5.2.4) | {Encoding.UTF8.GetByteCount(ours):N0} | {Stats.F1(ourMedian)} | – | – | 1.00× |");
        foreach (var list in runs.Values)
        {
            if (list.Count == 0)
            {
                continue;
            }

            var first = list[0];
            var cached = Stats.Median(list.Select(r => r.GetProperty("microsPerInvitationCachedVtimezone").GetDouble()));
            var scratch = Stats.Median(list.Select(r => r.GetProperty("microsPerInvitation").GetDouble()));
            var serialize = Stats.Median(list.Select(r => r.GetProperty("microsPerInvitationSerializeOnly").GetDouble()));
            Console.WriteLine(
                $"| ical-generator {first.GetProperty("version").GetString()} on Node {first.GetProperty("node").GetString()} (N={first.GetProperty("count").GetInt32():N0}) "
                + $"| {first.GetProperty("bytes").GetInt32():N0} | {Stats.F1(cached)} | {Stats.F1(scratch)} | {Stats.F1(serialize)} | {Stats.F2(cached / ourMedian)}× |");
        }

        Console.WriteLine($"  medians of {rounds} rounds; ours: {Count:N0} calls in 10 batches after warm-up, median batch (the script's rule).");
        return 0;
    }

    private static string Describe(JsonElement run) =>
        $"ical-generator {run.GetProperty("version").GetString(),-7} N={run.GetProperty("count").GetInt32(),6}: "
        + $"cached VTIMEZONE {Stats.F1(run.GetProperty("microsPerInvitationCachedVtimezone").GetDouble()),8} µs, "
        + $"from scratch {Stats.F1(run.GetProperty("microsPerInvitation").GetDouble()),8} µs, "
        + $"serialize only {Stats.F1(run.GetProperty("microsPerInvitationSerializeOnly").GetDouble()),8} µs, "
        + $"structural failures {run.GetProperty("check").GetProperty("structuralFailures").GetInt32()}";

    private static async Task<JsonElement> NodeAsync(string script, int count, string? modules)
    {
        var arguments = new List<string> { script, count.ToString(CultureInfo.InvariantCulture) };
        if (modules is not null)
        {
            arguments.AddRange(["--modules", modules]);
        }

        var (exit, output, error) = await RunAsync("node", arguments, null);
        if (exit != 0)
        {
            throw new InvalidOperationException($"node {string.Join(' ', arguments)} exited with {exit}: {error}");
        }

        return JsonDocument.Parse(output).RootElement.Clone();
    }

    /// <summary>Our calendar through check.mjs (Mozilla's ical.js): "ok" or its errors.</summary>
    private static async Task<string> CheckAsync(string ics)
    {
        var (exit, output, error) = await RunAsync("node", [Path.Combine(Repository.IcalCheck, "check.mjs"), "-"], ics);
        if (exit > 1)
        {
            return $"could not run ({error.Trim()})";
        }

        var result = JsonDocument.Parse(output).RootElement;
        return result.GetProperty("ok").GetBoolean() ? "ok" : "errors: " + result.GetProperty("errors").ToString();
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(string file, IEnumerable<string> arguments, string? input)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = Repository.IcalCheck,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = input is not null,
            // No BOM: check.mjs reports one as an error.
            StandardInputEncoding = input is not null ? new UTF8Encoding(false) : null,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
            process.StandardInput.Close();
        }

        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }
}
