using System.Diagnostics;
using System.Text;

namespace JoeCash.Scheduler.Tests.Infrastructure;

/// <summary>The real <c>serve</c> process, configured through JOECASH_ environment variables, as systemd would run it.</summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private const int SigTerm = 15;

    private readonly StringBuilder _log = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<Uri> _web = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Process _process;

    private ServiceProcess(Process process) => _process = process;

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

    public int Id => _process.Id;

    /// <summary>Starts <c>serve</c> in <paramref name="workingDirectory"/> and waits until the dispatcher runs (the last part to start).</summary>
    public static async Task<ServiceProcess> StartAsync(string workingDirectory, IReadOnlyDictionary<string, string> settings, IReadOnlyList<string>? arguments = null)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Paths.CliDll);
        start.ArgumentList.Add("serve");
        foreach (var argument in arguments ?? [])
        {
            start.ArgumentList.Add(argument);
        }

        // Each test's service on a port of its own (many run at once): the real port is read from the log.
        start.Environment["JOECASH_Web__Urls"] = "http://127.0.0.1:0";
        foreach (var (key, value) in settings)
        {
            start.Environment["JOECASH_" + key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var service = new ServiceProcess(Process.Start(start)!);
        service._process.OutputDataReceived += (_, e) => service.Append(e.Data);
        service._process.ErrorDataReceived += (_, e) => service.Append(e.Data);
        service._process.BeginOutputReadLine();
        service._process.BeginErrorReadLine();
        // Generous: on a loaded 2-core machine a start (JIT, migrations, demo data) has taken over 30 s.
        var started = await Task.WhenAny(service._ready.Task, Task.Delay(TimeSpan.FromSeconds(60)));
        Assert.True(started == service._ready.Task, "serve did not start within 60 s:\n" + service.Log);
        return service;
    }

    public bool HasExited => _process.HasExited;

    /// <summary>Where the web server listens, once it does ("Web pages at …" in the log).</summary>
    public async Task<Uri> WebAddressAsync()
    {
        var started = await Task.WhenAny(_web.Task, Task.Delay(TimeSpan.FromSeconds(30)));
        Assert.True(started == _web.Task, "serve's web server did not start within 30 s:\n" + Log);
        return await _web.Task;
    }

    /// <summary>Waits for the process to end by itself; null if it is still running after <paramref name="timeout"/>.</summary>
    public async Task<int?> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancellation.Token);
            return _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>kill -9: no shutdown, no flush, like a power cut for the process.</summary>
    public void KillHard()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    /// <summary>SIGTERM, as systemd stops it; waits for a clean exit.</summary>
    public async Task<int> StopAsync()
    {
        if (_process.HasExited)
        {
            return _process.ExitCode;
        }

        Assert.Equal(0, Kill(_process.Id, SigTerm));

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(45));
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            KillHard();
        }

        await Task.CompletedTask;
        _process.Dispose();
    }

    // POSIX kill(2): .NET can send SIGKILL but not SIGTERM, the signal systemd stops services with.
#pragma warning disable SYSLIB1054 // LibraryImport would need unsafe code for one test-only call.
    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
#pragma warning restore SYSLIB1054

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }

        const string WebLine = "Web pages at ";
        if (line.IndexOf(WebLine, StringComparison.Ordinal) is var at and >= 0)
        {
            _web.TrySetResult(new Uri(line[(at + WebLine.Length)..].Trim()));
        }

        if (line.Contains("Outbox dispatcher started", StringComparison.Ordinal))
        {
            _ready.TrySetResult();
        }
    }
}
