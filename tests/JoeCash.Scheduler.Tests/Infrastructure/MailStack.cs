using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using MimeKit;

namespace JoeCash.Scheduler.Tests.Infrastructure;

/// <summary>
/// The real Postfix → Dovecot stack that tests/env/mail-stack.sh runs on 127.0.0.1 (tests/run.sh starts it).
/// Every address under shop.test, example.test and joecash.test has a mailbox; the password is "secret".
/// </summary>
internal static class MailStack
{
    public static int SmtpPort { get; } = Port("JC_SMTP_PORT", 2525);

    public static int ImapPort { get; } = Port("JC_IMAP_PORT", 1143);

    /// <summary>Configuration that sends through the stack's Postfix.</summary>
    public static Dictionary<string, string?> SmtpSettings(int? port = null) => new()
    {
        ["Mail:Smtp:Host"] = "127.0.0.1",
        ["Mail:Smtp:Port"] = (port ?? SmtpPort).ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Mail:Smtp:Security"] = "None",
        ["Mail:RetryBaseDelay"] = "00:00:01",
    };

    /// <summary>A mailbox nobody else uses (the stack keeps mail between runs).</summary>
    public static string NewAddress(string prefix = "shop") => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)] + "@shop.test";

    /// <summary>Waits until the mailbox holds <paramref name="count"/> messages and returns them, oldest first.</summary>
    public static async Task<IReadOnlyList<MimeMessage>> WaitForMessagesAsync(string address, int count, TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(30);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        using var client = new ImapClient();
        try
        {
            await client.ConnectAsync("127.0.0.1", ImapPort, SecureSocketOptions.None);
        }
        catch (System.Net.Sockets.SocketException e)
        {
            throw new InvalidOperationException($"No IMAP server on 127.0.0.1:{ImapPort}: start the mail stack with 'tests/env/mail-stack.sh start' (tests/run.sh does).", e);
        }

        await client.AuthenticateAsync(address, "secret");
        while (true)
        {
            await client.Inbox.OpenAsync(FolderAccess.ReadOnly);
            var ids = await client.Inbox.SearchAsync(SearchQuery.All);
            if (ids.Count >= count || waited.Elapsed > limit)
            {
                var messages = new List<MimeMessage>();
                foreach (var id in ids)
                {
                    messages.Add(await client.Inbox.GetMessageAsync(id));
                }

                await client.DisconnectAsync(true);
                return messages;
            }

            await client.Inbox.CloseAsync();
            await Task.Delay(200);
        }
    }

    /// <summary>The Message-IDs in the mailbox right now, one per message (a duplicate delivery appears twice).</summary>
    public static async Task<IReadOnlyList<string>> MessageIdsAsync(string address)
    {
        using var client = new ImapClient();
        await client.ConnectAsync("127.0.0.1", ImapPort, SecureSocketOptions.None);
        await client.AuthenticateAsync(address, "secret");
        await client.Inbox.OpenAsync(FolderAccess.ReadOnly);
        var summaries = client.Inbox.Count == 0 ? [] : await client.Inbox.FetchAsync(0, -1, MessageSummaryItems.Envelope);
        await client.DisconnectAsync(true);
        return [.. summaries.Select(s => s.Envelope?.MessageId ?? "")];
    }

    private static int Port(string variable, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), out var port) ? port : fallback;
}
