using System.Text;
using System.Text.RegularExpressions;
using Dapper;
using JoeCash.Scheduler.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using MimeKit;

namespace JoeCash.Scheduler.Tests.Web.Shop;

/// <summary>The shops' side of the demo service: the emails in its pickup folder, their links, and what the database holds.</summary>
internal static partial class ShopServer
{
    public const string Bakery = "mehmet.richter@baeckerei.shop.test";
    public const string Butcher = "jana.wolf@metzgerei.shop.test";
    public const string Pizzeria = "bjoern.becker@pizzeria.shop.test";

    /// <summary>
    /// <c>serve --demo</c> on a port chosen here, which is also its public address: the links in its emails must point at
    /// the server the test talks to (with port 0 they could not).
    /// </summary>
    public static Task<WebServer> StartAsync(IReadOnlyDictionary<string, string>? settings = null)
    {
        var port = FreePorts.Next();
        var all = new Dictionary<string, string>
        {
            ["Web:Urls"] = $"http://127.0.0.1:{port}",
            ["Web:PublicBaseUrl"] = $"http://127.0.0.1:{port}",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            all[key] = value;
        }

        return WebServer.StartAsync(settings: all);
    }

    /// <summary>Every email written to the pickup folder so far (waiting until at least <paramref name="atLeast"/> are there).</summary>
    public static async Task<IReadOnlyList<(string File, MimeMessage Message)>> EmailsAsync(WebServer server, int atLeast = 1)
    {
        for (var waited = 0; ; waited++)
        {
            var files = Directory.Exists(server.PickupDirectory) ? Directory.GetFiles(server.PickupDirectory, "*.eml").Order(StringComparer.Ordinal).ToArray() : [];
            if (files.Length >= atLeast || waited > 300)
            {
                Assert.True(files.Length >= atLeast, $"only {files.Length} emails in {server.PickupDirectory} after 30 s:\n{server.Log}");
                return [.. files.Select(f => (f, MimeMessage.Load(f)))];
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Waits for an email whose file name starts with <paramref name="kind"/> (e.g. "update.1.") to <paramref name="recipient"/>.</summary>
    public static async Task<MimeMessage> EmailAsync(WebServer server, string kind, string recipient)
    {
        for (var waited = 0; waited < 300; waited++)
        {
            var found = (await EmailsAsync(server, 0)).Where(e => Path.GetFileName(e.File).StartsWith(kind, StringComparison.Ordinal)
                && e.Message.To.Mailboxes.Any(m => m.Address == recipient)).Select(e => e.Message).FirstOrDefault();
            if (found is not null)
            {
                return found;
            }

            await Task.Delay(100);
        }

        throw new Xunit.Sdk.XunitException($"no {kind}* email to {recipient} in the pickup folder:\n{server.Log}");
    }

    /// <summary>The path of the personal link (<c>/s/…</c>) in the shop's invitation.</summary>
    public static async Task<string> LinkAsync(WebServer server, string recipient) => PathOf(Link(await EmailAsync(server, "invitation.", recipient))!);

    /// <summary>The personal link in an email's text part, checked to be the same in its HTML part.</summary>
    public static string? Link(MimeMessage message)
    {
        var text = ShopLink().Matches(message.TextBody ?? "").Select(m => m.Value).Distinct().ToArray();
        Assert.Equal(text, ShopLink().Matches(message.HtmlBody ?? "").Select(m => m.Value).Distinct().ToArray());
        return text.SingleOrDefault();
    }

    public static string PathOf(string url) => new Uri(url).PathAndQuery;

    /// <summary>Every URL in an email: bare ones in the text, href and src attributes in the HTML.</summary>
    public static IEnumerable<string> Urls(MimeMessage message) =>
        AnyUrl().Matches(message.TextBody ?? "").Select(m => m.Value)
            .Concat(Href().Matches(message.HtmlBody ?? "").Select(m => System.Net.WebUtility.HtmlDecode(m.Groups[1].Value)))
            .Where(u => u.StartsWith("http", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// What a shop's visit could change, as text: every table but the scheduler's own bookkeeping (Quartz, leases) and the
    /// outbox's delivery columns, which the running service updates on its own; reminders are compared without their
    /// status for the same reason.
    /// </summary>
    public static async Task<string> SnapshotAsync(WebServer server)
    {
        await using var connection = new SqliteConnection($"Data Source={server.DatabasePath};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        var tables = (await connection.QueryAsync<string>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'qrtz%' AND name NOT IN ('leases', 'mailbox_cursors') ORDER BY name")).ToArray();
        Assert.Contains("shop_links", tables);
        var dump = new StringBuilder();
        foreach (var table in tables)
        {
            var sql = table switch
            {
                "outbox" => "SELECT id, message_id, appointment_id, kind, recipient, subject FROM outbox WHERE kind NOT IN ('reminder', 'agenda') ORDER BY id",
                "outbox_payloads" => "SELECT p.outbox_id, p.payload FROM outbox_payloads p JOIN outbox o ON o.id = p.outbox_id WHERE o.kind NOT IN ('reminder', 'agenda') ORDER BY p.outbox_id",
                "reminders" => "SELECT id, appointment_id, offset_minutes, sequence FROM reminders ORDER BY id",
                _ => $"SELECT * FROM \"{table}\" ORDER BY rowid",
            };
            dump.Append("## ").AppendLine(table);
            foreach (IDictionary<string, object?> row in await connection.QueryAsync(sql))
            {
                dump.AppendJoin('\t', row.Values.Select(v => v is byte[] b ? Convert.ToHexString(b) : Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture))).AppendLine();
            }
        }

        return dump.ToString();
    }

    [GeneratedRegex(@"https?://127\.0\.0\.1:\d+/s/[A-Za-z0-9_-]+")]
    private static partial Regex ShopLink();

    [GeneratedRegex(@"https?://[^\s<>""]+")]
    private static partial Regex AnyUrl();

    [GeneratedRegex(@"(?:href|src)=""([^""]+)""")]
    private static partial Regex Href();
}
