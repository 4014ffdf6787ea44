using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace JoeCash.Scheduler.Benchmarks;

/// <summary>
/// Postfix's smtp-sink on a port of its own, accepting and discarding (no dumps, no AUTH offered), with its
/// running counters (<c>-c</c>) read from stdout; and smtp-source, the baseline client on the same sink.
/// Install both with <c>tests/env/mail-stack.sh install</c>.
/// </summary>
public sealed partial class SmtpSinkProcess : IDisposable
{
    public const string SinkBinary = "/usr/sbin/smtp-sink";
    public const string SourceBinary = "/usr/sbin/smtp-source";

    private readonly Process _process;
    private long _messages;

    private SmtpSinkProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The exact command line, for the report.</summary>
    public string Command => $"{SinkBinary} {string.Join(' ', _process.StartInfo.ArgumentList)}";

    /// <summary>Messages accepted so far ("." received), from smtp-sink's -c counters.</summary>
    public long Messages => Interlocked.Read(ref _messages);

    public static async Task<SmtpSinkProcess> StartAsync(int port)
    {
        if (!File.Exists(SinkBinary) || !File.Exists(SourceBinary))
        {
            throw new InvalidOperationException("smtp-sink/smtp-source are missing: run 'tests/env/mail-stack.sh install'.");
        }

        if (!PortIsFree(port))
        {
            throw new InvalidOperationException($"Port {port} is in use: pass another one with --port.");
        }

        var start = new ProcessStartInfo(SinkBinary) { RedirectStandardOutput = true, RedirectStandardError = true };
        // As root it must drop to "nobody"; -a: no AUTH offered; -c: counters on stdout; backlog 1000.
        foreach (var arg in new[] { "-u", "nobody", "-a", "-c", $"127.0.0.1:{port}", "1000" })
        {
            start.ArgumentList.Add(arg);
        }

        var sink = new SmtpSinkProcess(Process.Start(start)!, port);
        _ = Task.Run(sink.ReadCountersAsync);
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return sink;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        sink.Dispose();
        throw new InvalidOperationException($"smtp-sink did not start on port {port}.");
    }

    /// <summary>
    /// smtp-source sending <paramref name="count"/> copies of the message in <paramref name="messageFile"/> (headers and
    /// body, CRLF lines) over ONE session (<c>-s 1 -d</c>: no disconnect between messages). Returns the elapsed time
    /// from process start to exit, and the exact command.
    /// </summary>
    public async Task<(TimeSpan Elapsed, string Command)> SourceAsync(int count, string messageFile)
    {
        var args = new[] { "-s", "1", "-d", "-m", count.ToString(CultureInfo.InvariantCulture), "-F", messageFile, "-f", "support@joecash.test", "-t", "shop@shop.test", $"127.0.0.1:{Port}" };
        var start = new ProcessStartInfo(SourceBinary) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var before = Messages;
        var started = Stopwatch.GetTimestamp();
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var elapsed = Stopwatch.GetElapsedTime(started);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"smtp-source exited with {process.ExitCode}: {await error}");
        }

        await WaitForCountAsync(before + count, TimeSpan.FromSeconds(5));
        return (elapsed, $"{SourceBinary} {string.Join(' ', args)}");
    }

    /// <summary>Waits until the sink has counted <paramref name="total"/> messages; throws if it has not within the time.</summary>
    public async Task WaitForCountAsync(long total, TimeSpan timeout)
    {
        var waited = Stopwatch.StartNew();
        while (Messages < total)
        {
            if (waited.Elapsed > timeout)
            {
                throw new InvalidOperationException($"smtp-sink counted {Messages} messages, expected {total}.");
            }

            await Task.Delay(10);
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    private static bool PortIsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>-c writes "sess=N quit=N mesg=N" followed by CR on every change.</summary>
    private async Task ReadCountersAsync()
    {
        var buffer = new char[4096];
        var pending = "";
        int read;
        while ((read = await _process.StandardOutput.ReadAsync(buffer)) > 0)
        {
            pending += new string(buffer, 0, read);
            var last = pending.LastIndexOfAny(['\r', '\n']);
            if (last < 0)
            {
                continue;
            }

            var matches = Counter().Matches(pending[..last]);
            if (matches.Count > 0)
            {
                Interlocked.Exchange(ref _messages, long.Parse(matches[^1].Groups[1].Value, CultureInfo.InvariantCulture));
            }

            pending = pending[(last + 1)..];
        }
    }

    [GeneratedRegex(@"mesg=(\d+)")]
    private static partial Regex Counter();
}
