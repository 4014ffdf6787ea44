using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace JoeCash.Scheduler.Benchmarks;

/// <summary>
/// A .NET program started as <c>dotnet app.dll args…</c>, or through its own executable (the apphost, as the systemd unit
/// runs serve) when given a path that does not end in <c>.dll</c>; its output read through pipes, timed from the call to
/// Process.Start until a given log line appears.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private readonly TaskCompletionSource<TimeSpan> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string _readyLine;
    private readonly long _started;

    private ChildProcess(Process process, string readyLine, long started)
    {
        _process = process;
        _readyLine = readyLine;
        _started = started;
    }

    public int Id => _process.Id;

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Starts the program and waits for <paramref name="readyLine"/>; returns the process and the time to it.</summary>
    public static async Task<(ChildProcess Process, TimeSpan ToReady)> StartAsync(
        string dll, IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string> environment, string readyLine)
    {
        var viaDotnet = dll.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);
        var start = new ProcessStartInfo(viaDotnet ? "dotnet" : dll) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        if (viaDotnet)
        {
            start.ArgumentList.Add(dll);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var started = Stopwatch.GetTimestamp();
        var child = new ChildProcess(Process.Start(start)!, readyLine, started);
        child._process.OutputDataReceived += (_, e) => child.Append(e.Data);
        child._process.ErrorDataReceived += (_, e) => child.Append(e.Data);
        child._process.BeginOutputReadLine();
        child._process.BeginErrorReadLine();
        var first = await Task.WhenAny(child._ready.Task, Task.Delay(TimeSpan.FromSeconds(60)), child._process.WaitForExitAsync());
        if (first != child._ready.Task)
        {
            var log = child.Log;
            await child.DisposeAsync();
            throw new InvalidOperationException($"{Path.GetFileName(dll)} did not log \"{readyLine}\" within 60 s (or exited):\n{log}");
        }

        return (child, await child._ready.Task);
    }

    /// <summary>VmRSS from /proc/PID/status, in MiB.</summary>
    public double RssMiB()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0;
            }
        }

        throw new InvalidOperationException($"No VmRSS for process {_process.Id}.");
    }

    /// <summary>SIGTERM, as systemd stops a service; waits for the exit (kills after 45 s).</summary>
    public async Task<int> StopAsync()
    {
        if (_process.HasExited)
        {
            return _process.ExitCode;
        }

        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(45));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        if (line.Contains(_readyLine, StringComparison.Ordinal))
        {
            _ready.TrySetResult(Stopwatch.GetElapsedTime(_started));
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }
}
