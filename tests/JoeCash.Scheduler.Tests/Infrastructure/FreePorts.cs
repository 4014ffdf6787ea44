using System.Net;
using System.Net.Sockets;

namespace JoeCash.Scheduler.Tests.Infrastructure;

/// <summary>
/// A loopback port that nothing listened on a moment ago: for a server a test starts there, or for a "mail server that
/// is down". A fixed number is not that: on a developer's machine anything may listen on it (a benchmark's smtp-sink did).
/// </summary>
internal static class FreePorts
{
    public static int Next()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
