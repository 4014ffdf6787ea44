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
