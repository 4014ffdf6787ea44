using System.Diagnostics;

namespace JoeCash.Scheduler.Benchmarks;

/// <summary>Where things are, seen from the benchmark binary (bin/&lt;Configuration&gt;/net10.0/ under this project).</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    /// <summary>The built service binary of the same configuration (Release when run as the README says); building this project builds it.</summary>
    public static string CliDll
    {
        get
        {
            var bin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var path = Path.Combine(Root, "src", "JoeCash.Scheduler", "bin", bin.Parent!.Name, bin.Name, "joecash-scheduler.dll");
            return File.Exists(path) ? path : throw new InvalidOperationException($"{path} is missing: build the solution in {bin.Parent.Name} first.");
        }
    }

    public static string IcalCheck => Path.Combine(Root, "tests", "ical-check");

    /// <summary>The commit the figures belong to, with "+dirty" if src/ has uncommitted changes.</summary>
    public static string Commit()
    {
        var head = Run("git", ["rev-parse", "--short", "HEAD"]);
        var dirty = Run("git", ["status", "--porcelain", "--", "src", "config", "sql"]);
        return head is null ? "unknown" : head.Trim() + (string.IsNullOrWhiteSpace(dirty) ? "" : " +uncommitted changes in src/");
    }

    /// <summary>
    /// Publishes the service into <paramref name="output"/> with the command the systemd unit's header gives for
    /// <c>/opt/joecash-scheduler</c> (only the output folder differs), from the repository root.
    /// </summary>
    public static async Task<string> PublishAsShippedAsync(string output)
    {
        var unit = Path.Combine(Root, "config", "joecash-scheduler.service");
        var command = File.ReadLines(unit)
            .Select(line => line.TrimStart('#').Trim())
            .FirstOrDefault(line => line.StartsWith("dotnet publish ", StringComparison.Ordinal) && line.EndsWith(" -o /opt/joecash-scheduler", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"{unit}'s header has no line 'dotnet publish … -o /opt/joecash-scheduler' to publish serve as shipped.");
        var args = command["dotnet ".Length..^"/opt/joecash-scheduler".Length].Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        args.AddRange([output, "--nologo", "-v", "quiet", "-clp:ErrorsOnly"]);
        var started = Stopwatch.GetTimestamp();
        await DotnetAsync(Root, [.. args]);
        Console.WriteLine($"  published as shipped in {Stopwatch.GetElapsedTime(started).TotalSeconds:0} s");
        var dll = Path.Combine(output, "joecash-scheduler.dll");
        return File.Exists(dll) ? dll : throw new InvalidOperationException($"{command} made no {dll}.");
    }

    /// <summary>Runs <c>dotnet</c> with <paramref name="args"/>; throws with its output if it fails.</summary>
    public static async Task DotnetAsync(string workingDirectory, params string[] args)
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

    private static string? Run(string file, string[] args)
    {
        try
        {
            var start = new ProcessStartInfo(file) { WorkingDirectory = Root, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "JoeCash.Scheduler.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("JoeCash.Scheduler.sln not found above " + AppContext.BaseDirectory);
    }
}
