using System.Net;
using System.Net.Sockets;
using System.Text;

namespace JoeCash.Scheduler.Tests.Infrastructure;

/// <summary>
/// A TCP relay in front of an SMTP server that forwards everything until the server has accepted
/// <c>holdAfter</c> messages (its "250 2.0.0" answers to the end of DATA), then forwards nothing more in either
/// direction: the client is left waiting for answers, as if the network had stalled. A test can then act on a sender
/// that is certainly in the middle of a burst (kill it, say) instead of racing it with a poll.
/// </summary>
public sealed class SmtpHoldingProxy : IDisposable
{
    private static readonly byte[] Accepted = Encoding.ASCII.GetBytes("250 2.0.0");

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _upstreamPort;
    private readonly int _holdAfter;
    private readonly TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _sockets = [];
    private int _accepted;

    public SmtpHoldingProxy(int upstreamPort, int holdAfter)
    {
        _upstreamPort = upstreamPort;
        _holdAfter = holdAfter;
        _listener.Start();
        _ = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Completes when the <c>holdAfter</c>-th message was accepted upstream and the relay stopped forwarding.</summary>
    public Task Held => _held.Task;

    /// <summary>Messages the server behind accepted, including those whose answer the relay holds back.</summary>
    public int AcceptedUpstream => Volatile.Read(ref _accepted);

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        lock (_sockets)
        {
            foreach (var socket in _sockets)
            {
                socket.Dispose();
            }
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            var upstream = new TcpClient();
            lock (_sockets)
            {
                _sockets.Add(client);
                _sockets.Add(upstream);
            }

            _ = RelayAsync(client, upstream);
        }
    }

    private async Task RelayAsync(TcpClient client, TcpClient upstream)
    {
        try
        {
            await upstream.ConnectAsync(IPAddress.Loopback, _upstreamPort, _stop.Token);
            await Task.WhenAny(
                PumpAsync(client.GetStream(), upstream.GetStream(), countAnswers: false),
                PumpAsync(upstream.GetStream(), client.GetStream(), countAnswers: true));
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException or IOException)
        {
            // The test ended or a side closed: nothing to relay any more.
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to, bool countAnswers)
    {
        var buffer = new byte[16 * 1024];
        var carry = 0; // bytes of a possibly split "250 2.0.0" kept at the front of the buffer
        while (true)
        {
            var read = await from.ReadAsync(buffer.AsMemory(carry), _stop.Token);
            if (read == 0)
            {
                return;
            }

            if (_held.Task.IsCompleted)
            {
                await Task.Delay(Timeout.Infinite, _stop.Token);
            }

            var length = carry + read;
            if (countAnswers)
            {
                foreach (var at in Answers(buffer.AsSpan(0, length)))
                {
                    if (Interlocked.Increment(ref _accepted) >= _holdAfter)
                    {
                        // Forward the answers up to and including this one, then nothing more.
                        await to.WriteAsync(buffer.AsMemory(carry, Math.Max(0, at + Accepted.Length - carry)), _stop.Token);
                        _held.TrySetResult();
                        await Task.Delay(Timeout.Infinite, _stop.Token);
                    }
                }

                // Keep the last few bytes in case an answer is split across two reads; they were not forwarded twice.
                await to.WriteAsync(buffer.AsMemory(carry, read), _stop.Token);
                carry = Math.Min(Accepted.Length - 1, length);
                buffer.AsSpan(length - carry, carry).CopyTo(buffer);
            }
            else
            {
                await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
            }
        }
    }

    /// <summary>Where the server's "250 2.0.0" answers start in <paramref name="span"/>.</summary>
    private static List<int> Answers(ReadOnlySpan<byte> span)
    {
        var found = new List<int>();
        for (var from = 0; span[from..].IndexOf(Accepted) is var next and >= 0; from += next + Accepted.Length)
        {
            found.Add(from + next);
        }

        return found;
    }
}
