using System.Net;
using System.Net.Sockets;
using System.Text;
using JoeCash.Scheduler.Tests.Infrastructure;
using static JoeCash.Scheduler.Tests.Hardening.Setup;

namespace JoeCash.Scheduler.Tests.Hardening;

/// <summary>
/// A refused SMTP login (535) is a configuration fault: said loudly and plainly, charged to no message,
/// every message kept waiting for the fixed credentials — not "unreachable", not failed.
/// </summary>
public sealed class SmtpLoginTests : IDisposable
{
    private readonly TempDirectory _folder = new();
    private readonly Infrastructure.Cli _cli;

    public SmtpLoginTests() => _cli = new Infrastructure.Cli(_folder);

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task MailSend_LoginRefused_ExitsWithTheReasonAndKeepsEveryMessage()
    {
        await ThreeBookingsAsync(_cli);
        using var server = new RefusingSmtpServer();
        var settings = new Dictionary<string, string>
        {
            ["JOECASH_Mail__Smtp__Host"] = "127.0.0.1",
            ["JOECASH_Mail__Smtp__Port"] = server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["JOECASH_Mail__Smtp__Security"] = "None",
            ["JOECASH_Mail__Smtp__Username"] = "support@joecash.test",
            ["JOECASH_Mail__Smtp__Password"] = "wrong",
        };

        var send = await _cli.RunWithAsync(settings, "mail", "send");
        var list = await _cli.RunAsync("mail", "list", "--json");

        Assert.Equal(1, send.ExitCode);
        Assert.Contains("refused the login", send.Stderr, StringComparison.Ordinal);
        Assert.Contains("Mail:Smtp:Username", send.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("unreachable", send.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", send.Stderr, StringComparison.Ordinal);
        var messages = list.Json.GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal(6, messages.Count); // per booking the shop's invitation and the technician's own
        Assert.All(messages, m =>
        {
            Assert.Equal("pending", m.GetProperty("status").GetString());
            Assert.Equal(0, m.GetProperty("attempts").GetInt32());
            Assert.Contains("refused the login", m.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        });
        Assert.Contains("AUTH", server.Transcript, StringComparison.Ordinal);
        Assert.DoesNotContain("MAIL FROM", server.Transcript, StringComparison.Ordinal);
    }

    /// <summary>Just enough ESMTP to offer AUTH and refuse it with 535 5.7.8, as Postfix and Exchange do.</summary>
    private sealed class RefusingSmtpServer : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly StringBuilder _transcript = new();
        private readonly Task _serving;

        public RefusingSmtpServer()
        {
            _listener.Start();
            _serving = ServeAsync();
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public string Transcript
        {
            get
            {
                lock (_transcript)
                {
                    return _transcript.ToString();
                }
            }
        }

        public void Dispose()
        {
            _listener.Stop();
            _ = _serving.Exception;
            _listener.Dispose();
        }

        private async Task ServeAsync()
        {
            while (true)
            {
                TcpClient client;
                try
                {
                    client = await _listener.AcceptTcpClientAsync();
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException)
                {
                    return;
                }

                using (client)
                {
                    var stream = client.GetStream();
                    using var reader = new StreamReader(stream, Encoding.ASCII);
                    await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
                    await writer.WriteLineAsync("220 fake.test ESMTP");
                    while (await reader.ReadLineAsync() is { } line)
                    {
                        lock (_transcript)
                        {
                            _transcript.AppendLine(line);
                        }

                        var verb = line.Split(' ')[0].ToUpperInvariant();
                        await writer.WriteLineAsync(verb switch
                        {
                            "EHLO" => "250-fake.test\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME",
                            "AUTH" => "535 5.7.8 Authentication credentials invalid",
                            "QUIT" => "221 2.0.0 Bye",
                            _ => "503 5.5.1 Bad sequence of commands",
                        });
                        if (verb == "QUIT")
                        {
                            break;
                        }
                    }
                }
            }
        }
    }
}
