using System.Reflection.PortableExecutable;
using System.Text.Json;

namespace JoeCash.Scheduler.Benchmarks;

/// <summary>
/// <c>serve</c> as shipped against an empty <c>dotnet new web</c> app (serve through its own executable as the systemd
/// unit starts it, the empty app as <c>dotnet app.dll</c>; output through pipes, listening on 127.0.0.1 with a port the
/// system picks), alternately: time from Process.Start
/// until ready and VmRSS after 5 s idle. Ready is the moment the host reports "application started" (all hosted
/// services started, Kestrel listening; what systemd's READY=1 reports): serve logs "Web pages at …" then (the last
/// part to start; "Outbox dispatcher started" must already be in its log), the empty web app "Application started".
/// </summary>
/// <remarks>
/// As shipped: serve is published with the command in the systemd unit's header (<c>config/joecash-scheduler.service</c>,
/// read from there, only the output folder changed to a temp folder) and run from that folder through its executable, as
/// the unit's ExecStart does; <c>--serve-dll</c> runs another build instead (e.g. a publish of an older commit; also
/// through the executable beside the dll when there is one). It runs over an already migrated file in a temp
/// folder (one start before the measured ones migrates it and provisions Quartz's file; that start is reported on its
/// own), with the shipped configuration: no SMTP host (pickup folder), reminder sweep every 5 s. With
/// <c>--baseline-dll</c> a second build of serve (the "before") runs in the same alternation, on its own copy of the
/// folder. The empty web app is the unchanged template built in Release outside the repository (so none of its build
/// rules apply); the harness creates and builds it if the folder holds no build.
/// </remarks>
public static class ServeIdle
{
    private const double TargetFactor = 2;
    private const string ServeReadyLine = "Web pages at ";
    private const string DispatcherLine = "Outbox dispatcher started";
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(5);

    private sealed record Kind(string Name, string Dll, string Program, string[] Args, string WorkingDirectory, Dictionary<string, string> Environment, string ReadyLine);

    /// <summary>Runs each program <paramref name="runs"/> times; <paramref name="serveEnvironment"/> adds variables to serve's environment (to try runtime knobs).</summary>
    /// <remarks>
    /// <paramref name="serveDll"/> replaces the as-shipped publish of the repository; <paramref name="baselineDll"/> adds another
    /// build of serve to the alternation (the "before" of a before/after in one run).
    /// </remarks>
    public static async Task<int> RunAsync(int runs, string webFolder, IReadOnlyDictionary<string, string> serveEnvironment, string? serveDll = null, string? baselineDll = null)
    {
        var webDll = await EnsureEmptyWebAsync(webFolder);
        var folder = Path.Combine(Path.GetTempPath(), $"joecash-bench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            var cliDll = serveDll ?? await Repository.PublishAsShippedAsync(Path.Combine(folder, "publish"));
            var kinds = new List<Kind> { ServeKind("serve", cliDll, Path.Combine(folder, "serve"), serveEnvironment) };
            if (baselineDll is not null)
            {
                kinds.Add(ServeKind("serve before", baselineDll, Path.Combine(folder, "before"), serveEnvironment));
            }

            kinds.Add(new Kind("empty web", webDll, webDll, [], Path.GetDirectoryName(webDll)!,
                new Dictionary<string, string> { ["ASPNETCORE_URLS"] = "http://127.0.0.1:0" }, "Application started"));
            var web = kinds[^1];
            foreach (var serve in kinds.Where(k => k != web))
            {
                Console.WriteLine($"{serve.Name}: {string.Join(' ', serve.Environment.Select(e => $"{e.Key}={e.Value}"))} {Launch(serve)} serve; "
                    + $"{Deployment(serve.Dll)}, GC {GcMode(serve.Dll)}, {ReadyToRun(serve.Dll)}");
            }

            Console.WriteLine($"{web.Name}: ASPNETCORE_URLS=http://127.0.0.1:0 dotnet {web.Dll}; GC {GcMode(web.Dll)}, {ReadyToRun(web.Dll)}");
            Console.WriteLine($"  {runs} runs each, alternating (order rotated every run), RSS after {Idle.TotalSeconds:0} s idle; "
                + $"{Environment.ProcessorCount} cores, load average before: {Machine.LoadAverage()}; commit {Repository.Commit()}");

            foreach (var serve in kinds.Where(k => k != web))
            {
                var (firstReady, firstRss) = await MeasureAsync(serve);
                Console.WriteLine($"  first start of {serve.Name} (migrates an empty file, creates Quartz's): ready in {firstReady.TotalMilliseconds:0} ms, RSS {firstRss:0.0} MiB (not in the medians)");
            }

            var ready = kinds.Select(_ => new List<double>()).ToArray();
            var rss = kinds.Select(_ => new List<double>()).ToArray();
            for (var run = 1; run <= runs; run++)
            {
                // Every kind goes first, second, ... equally often: a warm page cache or a busy neighbour favours none.
                foreach (var k in Enumerable.Range(0, kinds.Count).Select(i => (i + run - 1) % kinds.Count))
                {
                    var (toReady, mib) = await MeasureAsync(kinds[k]);
                    ready[k].Add(toReady.TotalMilliseconds);
                    rss[k].Add(mib);
                    Console.WriteLine($"  run {run}: {kinds[k].Name,-12} ready in {toReady.TotalMilliseconds,6:0} ms, RSS after {Idle.TotalSeconds:0} s idle {mib,6:0.0} MiB");
                }
            }

            Console.WriteLine($"  load average after: {Machine.LoadAverage()}");
            var webReady = Stats.Median(ready[^1]);
            var webRss = Stats.Median(rss[^1]);
            Console.WriteLine();
            Console.WriteLine($"| {runs} runs each, medians | time to ready | idle RSS | ready / empty web | RSS / empty web |");
            Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
            for (var k = kinds.Count - 2; k >= 0; k--)
            {
                var name = k == 0 && kinds.Count > 2 ? "serve (this build)" : kinds[k].Name;
                Console.WriteLine($"| {name} | {Stats.Median(ready[k]):0} ms | {Stats.Median(rss[k]):0.0} MiB | {Stats.Median(ready[k]) / webReady:0.00}x | {Stats.Median(rss[k]) / webRss:0.00}x |");
            }

            Console.WriteLine($"| empty `dotnet new web` | {webReady:0} ms | {webRss:0.0} MiB | 1.00x | 1.00x |");
            var serveReady = Stats.Median(ready[0]);
            var serveRss = Stats.Median(rss[0]);
            var met = serveReady <= TargetFactor * webReady && serveRss <= TargetFactor * webRss;
            Console.WriteLine();
            Console.WriteLine($"  serve: time to ready {serveReady / webReady:0.00}x, idle RSS {serveRss / webRss:0.00}x the empty web app   target <= {TargetFactor}x each: {(met ? "MET" : "MISSED")}");
            return met ? 0 : 1;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// serve in its own data folder, on a port the system picks (never one a neighbour uses), with the runtime settings
    /// (<c>Environment=DOTNET_…</c>) of the unit shipped with that build; <paramref name="serveEnvironment"/> on top.
    /// </summary>
    private static Kind ServeKind(string name, string dll, string folder, IReadOnlyDictionary<string, string> serveEnvironment)
    {
        Directory.CreateDirectory(folder);
        var environment = UnitRuntimeSettings(dll);
        foreach (var (key, value) in serveEnvironment)
        {
            environment[key] = value;
        }

        environment["JOECASH_Storage__Path"] = Path.Combine(folder, "data", "scheduler.db");
        environment["JOECASH_Mail__PickupDirectory"] = Path.Combine(folder, "data", "pickup");
        environment["JOECASH_Web__Urls"] = "http://127.0.0.1:0";
        return new Kind(name, dll, Shipped(dll), ["serve"], folder, environment, ServeReadyLine);
    }

    /// <summary>
    /// The <c>Environment=DOTNET_…</c> lines of the systemd unit published with the build (<c>config/joecash-scheduler.service</c>
    /// beside the dll; the repository's for a build without one): the runtime settings serve ships with.
    /// </summary>
    private static Dictionary<string, string> UnitRuntimeSettings(string dll)
    {
        var unit = Path.Combine(Path.GetDirectoryName(dll)!, "config", "joecash-scheduler.service");
        if (!File.Exists(unit))
        {
            unit = Path.Combine(Repository.Root, "config", "joecash-scheduler.service");
        }

        return File.ReadLines(unit)
            .Select(line => line.Trim())
            .Where(line => line.StartsWith("Environment=DOTNET_", StringComparison.Ordinal) && !line.Contains(' ', StringComparison.Ordinal))
            .Select(line => line["Environment=".Length..].Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1]);
    }

    /// <summary>The executable beside the dll (the apphost: the unit's ExecStart runs it), or the dll itself if there is none.</summary>
    private static string Shipped(string dll)
    {
        var apphost = Path.Combine(Path.GetDirectoryName(dll)!, Path.GetFileNameWithoutExtension(dll));
        return File.Exists(apphost) ? apphost : dll;
    }

    private static string Launch(Kind kind) => kind.Program == kind.Dll ? $"dotnet {kind.Dll}" : kind.Program;

    /// <summary>"self-contained" if the app carries its own runtime (its runtimeconfig includes the frameworks), else "framework-dependent".</summary>
    private static string Deployment(string dll)
    {
        var path = Path.ChangeExtension(dll, ".runtimeconfig.json");
        return File.Exists(path) && File.ReadAllText(path).Contains("\"includedFrameworks\"", StringComparison.Ordinal) ? "self-contained" : "framework-dependent";
    }

    private static async Task<(TimeSpan Ready, double RssMiB)> MeasureAsync(Kind kind)
    {
        var (process, toReady) = await ChildProcess.StartAsync(kind.Program, kind.Args, kind.WorkingDirectory, kind.Environment, kind.ReadyLine);
        await using (process)
        {
            if (kind.ReadyLine == ServeReadyLine && !process.Log.Contains(DispatcherLine, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"{kind.Name} announced its web pages before \"{DispatcherLine}\":\n{process.Log}");
            }

            await Task.Delay(Idle);
            var rss = process.RssMiB();
            var exit = await process.StopAsync();
            if (exit != 0)
            {
                throw new InvalidOperationException($"{kind.Name} exited with {exit} after SIGTERM:\n{process.Log}");
            }

            return (toReady, rss);
        }
    }

    /// <summary>The empty web app's dll: creates and builds the template in <paramref name="folder"/> first if there is no Release build.</summary>
    private static async Task<string> EnsureEmptyWebAsync(string folder)
    {
        var name = Path.GetFileName(Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar));
        var dll = Path.Combine(folder, "bin", "Release", "net10.0", name + ".dll");
        if (File.Exists(dll))
        {
            return dll;
        }

        if (!File.Exists(Path.Combine(folder, name + ".csproj")))
        {
            await Repository.DotnetAsync(Path.GetTempPath(), "new", "web", "-o", folder);
        }

        await Repository.DotnetAsync(folder, "build", "-c", "Release");
        return File.Exists(dll) ? dll : throw new InvalidOperationException($"Building the empty web app in {folder} made no {dll}.");
    }

    /// <summary>"ReadyToRun" if the app's own assembly carries precompiled code (a ReadyToRun publish), else "JIT only".</summary>
    private static string ReadyToRun(string dll)
    {
        using var stream = File.OpenRead(dll);
        using var pe = new PEReader(stream);
        return pe.PEHeaders.CorHeader?.ManagedNativeHeaderDirectory.Size > 0 ? "ReadyToRun" : "JIT only";
    }

    /// <summary>"workstation"/"server", and the GC and JIT settings the app's runtimeconfig.json sets beyond that.</summary>
    private static string GcMode(string dll)
    {
        var path = Path.ChangeExtension(dll, ".runtimeconfig.json");
        if (!File.Exists(path))
        {
            return "?";
        }

        using var json = JsonDocument.Parse(File.ReadAllText(path));
        var options = json.RootElement.GetProperty("runtimeOptions");
        if (!options.TryGetProperty("configProperties", out var properties))
        {
            return "workstation";
        }

        var server = properties.TryGetProperty("System.GC.Server", out var value) && value.GetBoolean();
        var knobs = properties.EnumerateObject()
            .Where(p => p.Name != "System.GC.Server" && (p.Name.StartsWith("System.GC.", StringComparison.Ordinal) || p.Name.StartsWith("System.Runtime.Tiered", StringComparison.Ordinal)))
            .Select(p => $"{p.Name}={p.Value}");
        return string.Join(", ", [server ? "server" : "workstation", .. knobs]);
    }
}
