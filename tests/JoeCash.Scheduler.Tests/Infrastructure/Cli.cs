using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace JoeCash.Scheduler.Tests.Infrastructure;

/// <summary>What one run of the command line printed and returned.</summary>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public JsonElement Json => JsonDocument.Parse(Stdout).RootElement;

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}

/// <summary>Runs the real executable as a separate process against a database in a temp folder, as a user would.</summary>
public sealed class Cli(TempDirectory directory)
{
    public string DatabasePath => directory.File("data/scheduler.db");

    public Task<CliResult> RunAsync(params string[] args) => RunWithAsync(new Dictionary<string, string>(), args);

    /// <summary>Runs with extra environment variables, e.g. configuration overrides (JOECASH_…).</summary>
    public async Task<CliResult> RunWithAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = directory.FullPath,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(Paths.CliDll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // The default Storage:Path is data/scheduler.db relative to the working directory; say so explicitly anyway.
        start.Environment["JOECASH_Storage__Path"] = DatabasePath;
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }
}
