using System.Diagnostics;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace JoeCash.Scheduler.Tests.Infrastructure;

/// <summary>
/// Postfix's smtp-sink on a port of its own, writing every accepted message into a folder, so a test
/// can count what arrived and which Message-IDs arrived more than once.
/// </summary>
public sealed partial class SmtpSink : IDisposable
{
    private readonly TempDirectory _dumps = new();
    private Process? _process;

    public SmtpSink(int port)
    {
        Port = port;
        // smtp-sink drops root privileges to "nobody", which must be able to write the dumps.
        File.SetUnixFileMode(_dumps.FullPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
            | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute);
    }

    public int Port { get; }

    public async Task StartAsync()
    {
        const string binary = "/usr/sbin/smtp-sink";
        Assert.True(File.Exists(binary), "smtp-sink is missing: install the mail stack with 'tests/env/mail-stack.sh install' (tests/run.sh does).");
        var start = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-u", "nobody", "-a", "-d", Path.Combine(_dumps.FullPath, "%H%M%S."), $"127.0.0.1:{Port}", "1000" })
        {
            start.ArgumentList.Add(arg);
        }

        _process = Process.Start(start)!;
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        throw new InvalidOperationException($"smtp-sink did not start on port {Port}: {await _process.StandardError.ReadToEndAsync()}");
    }

    /// <summary>Message-IDs of everything accepted so far, one entry per delivery.</summary>
    public IReadOnlyList<string> MessageIds() =>
        [.. Directory.GetFiles(_dumps.FullPath).Select(f =>
        {
            try
            {
                return MessageId().Match(File.ReadAllText(f)).Groups[1].Value;
            }
            catch (IOException)
            {
                return "";
            }
        }).Where(id => id.Length > 0)];

    public int Count => Directory.GetFiles(_dumps.FullPath).Length;

    public void Stop()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process?.Dispose();
        _process = null;
    }

    public void Dispose()
    {
        Stop();
        _dumps.Dispose();
    }

    [GeneratedRegex(@"^Message-I[dD]:\s*<([^>]+)>", RegexOptions.Multiline)]
    private static partial Regex MessageId();
}
