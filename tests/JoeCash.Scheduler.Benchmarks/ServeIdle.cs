using System.Diagnostics;
using System.Text.Json;

namespace JoeCash.Scheduler.Benchmarks;

/// <summary>
/// <c>serve</c> against an empty <c>dotnet new worker</c> app, both built in Release and started the same way
/// (<c>dotnet app.dll</c>, output through pipes), alternately: time from Process.Start until ready (serve: "Outbox
/// dispatcher started", the last part to start; worker: "Application started") and VmRSS after 5 s idle.
/// </summary>
/// <remarks>
/// serve runs over an already migrated file in a temp folder (one start before the measured ones migrates it and
/// provisions Quartz's file; that start is reported on its own), with the shipped configuration: no SMTP host
/// (pickup folder), reminder sweep every 5 s. The worker is the unchanged template, built outside the repository
/// (so none of its build rules apply); the harness creates and builds it if the folder holds no build.
/// </remarks>
public static class ServeIdle
{
    private const double TargetFactor = 2;
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(5);

    /// <summary>Runs each program <paramref name="runs"/> times; <paramref name="serveEnvironment"/> adds variables to serve's environment (to try runtime knobs).</summary>
    /// <remarks><paramref name="serveDll"/> replaces the repository's Release build, e.g. with a ReadyToRun publish of it.</remarks>
    public static async Task<int> RunAsync(int runs, string workerFolder, IReadOnlyDictionary<string, string> serveEnvironment, string? serveDll = null)
    {
        var workerDll = await EnsureWorkerAsync(workerFolder);
        var cliDll = serveDll ?? Repository.CliDll;
        var folder = Path.Combine(Path.GetTempPath(), $"joecash-bench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            var environment = new Dictionary<string, string>(serveEnvironment)
            {
                ["JOECASH_Storage__Path"] = Path.Combine(folder, "data", "scheduler.db"),
                ["JOECASH_Mail__PickupDirectory"] = Path.Combine(folder, "data", "pickup"),
            };
            var kinds = new (string Name, string Dll, string[] Args, string WorkingDirectory, Dictionary<string, string> Environment, string ReadyLine)[]
            {
                ("serve", cliDll, ["serve"], folder, environment, "Outbox dispatcher started"),
                ("empty worker", workerDll, [], Path.GetDirectoryName(workerDll)!, [], "Application started"),
            };
            Console.WriteLine($"serve idle: {string.Join(' ', environment.Select(e => $"{e.Key}={e.Value}"))} dotnet {cliDll} serve "
                + $"vs. dotnet {workerDll}; GC: serve {GcMode(cliDll)}, worker {GcMode(workerDll)}");
            Console.WriteLine($"  {runs} runs each, alternating (order swapped every run), RSS after {Idle.TotalSeconds:0} s idle; "
                + $"{Environment.ProcessorCount} cores, load average before: {Machine.LoadAverage()}; commit {Repository.Commit()}");

            var (firstReady, firstRss) = await MeasureAsync(kinds[0]);
            Console.WriteLine($"  first serve start (migrates an empty file, creates Quartz's): ready in {firstReady.TotalMilliseconds:0} ms, RSS {firstRss:0.0} MiB (not in the medians)");
            var ready = kinds.Select(_ => new List<double>()).ToArray();
            var rss = kinds.Select(_ => new List<double>()).ToArray();
            for (var run = 1; run <= runs; run++)
            {
                foreach (var k in run % 2 == 1 ? new[] { 0, 1 } : [1, 0])
                {
                    var (toReady, mib) = await MeasureAsync(kinds[k]);
                    ready[k].Add(toReady.TotalMilliseconds);
                    rss[k].Add(mib);
                    Console.WriteLine($"  run {run}: {kinds[k].Name,-12} ready in {toReady.TotalMilliseconds,6:0} ms, RSS after {Idle.TotalSeconds:0} s idle {mib,6:0.0} MiB");
                }
            }

            Console.WriteLine($"  load average after: {Machine.LoadAverage()}");
            var serveReady = Stats.Median(ready[0]);
            var workerReady = Stats.Median(ready[1]);
            var serveRss = Stats.Median(rss[0]);
            var workerRss = Stats.Median(rss[1]);
            Console.WriteLine();
            Console.WriteLine($"| {runs} runs each, medians | time to ready | idle RSS |");
            Console.WriteLine("| --- | ---: | ---: |");
            Console.WriteLine($"| serve | {serveReady:0} ms | {serveRss:0.0} MiB |");
            Console.WriteLine($"| empty `dotnet new worker` | {workerReady:0} ms | {workerRss:0.0} MiB |");
            Console.WriteLine($"| serve / worker | {serveReady / workerReady:0.00}x | {serveRss / workerRss:0.00}x |");
            var met = serveReady <= TargetFactor * workerReady && serveRss <= TargetFactor * workerRss;
            Console.WriteLine();
            Console.WriteLine($"  time to ready {serveReady / workerReady:0.00}x, idle RSS {serveRss / workerRss:0.00}x the empty worker   target <= {TargetFactor}x each: {(met ? "MET" : "MISSED")}");
            return met ? 0 : 1;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<(TimeSpan Ready, double RssMiB)> MeasureAsync(
        (string Name, string Dll, string[] Args, string WorkingDirectory, Dictionary<string, string> Environment, string ReadyLine) kind)
    {
        var (process, toReady) = await ChildProcess.StartAsync(kind.Dll, kind.Args, kind.WorkingDirectory, kind.Environment, kind.ReadyLine);
        await using (process)
        {
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

    /// <summary>The empty worker's dll: builds the template in <paramref name="folder"/> first if there is no Release build.</summary>
    private static async Task<string> EnsureWorkerAsync(string folder)
    {
        var name = Path.GetFileName(Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar));
        var dll = Path.Combine(folder, "bin", "Release", "net10.0", name + ".dll");
        if (File.Exists(dll))
        {
            return dll;
        }

        if (!File.Exists(Path.Combine(folder, name + ".csproj")))
        {
            await DotnetAsync(Path.GetTempPath(), "new", "worker", "-o", folder);
        }

        await DotnetAsync(folder, "build", "-c", "Release");
        return File.Exists(dll) ? dll : throw new InvalidOperationException($"Building the worker in {folder} made no {dll}.");
    }

    private static async Task DotnetAsync(string workingDirectory, params string[] args)
    {
        Console.WriteLine($"  (in {workingDirectory}) dotnet {string.Join(' ', args)}");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet {string.Join(' ', args)} failed:\n{await output}\n{await error}");
        }
    }

    /// <summary>"workstation"/"server" and concurrent, from the app's runtimeconfig.json.</summary>
    private static string GcMode(string dll)
    {
        var path = Path.ChangeExtension(dll, ".runtimeconfig.json");
        if (!File.Exists(path))
        {
            return "?";
        }

        using var json = JsonDocument.Parse(File.ReadAllText(path));
        var options = json.RootElement.GetProperty("runtimeOptions");
        var server = options.TryGetProperty("configProperties", out var properties) && properties.TryGetProperty("System.GC.Server", out var value) && value.GetBoolean();
        return server ? "server" : "workstation";
    }
}
