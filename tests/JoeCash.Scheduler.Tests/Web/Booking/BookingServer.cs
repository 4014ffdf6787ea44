using System.Text.RegularExpressions;
using Dapper;
using JoeCash.Scheduler.Tests.Infrastructure;
using JoeCash.Scheduler.Tests.Web.Shop;
using Microsoft.Data.Sqlite;
using MimeKit;

namespace JoeCash.Scheduler.Tests.Web.Booking;

/// <summary>The booking page's side of the demo service: shops to sign in with, their sign-in links, what the database says.</summary>
internal static partial class BookingServer
{
    /// <summary><c>serve --demo</c> whose links point at itself; with <paramref name="smtp"/> its mail goes through the real mail stack.</summary>
    public static Task<WebServer> StartAsync(bool smtp = false, IReadOnlyDictionary<string, string>? settings = null)
    {
        var all = smtp ? MailStack.SmtpSettings().ToDictionary(p => p.Key, p => p.Value!) : [];
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            all[key] = value;
        }

        return ShopServer.StartAsync(all);
    }

    /// <summary>Adds a shop (as <c>customer add</c> does) and returns its number.</summary>
    public static async Task AddShopAsync(WebServer server, string number, string email, string language = "de", string rustdesk = "", string contract = "ja")
    {
        var added = await server.Cli.RunAsync("customer", "add", "--number", number, "--company", "Testladen " + number, "--branch", "Mitte", "--state", "BE",
            "--contact", "Erika Test", "--email", email, "--rustdesk", rustdesk, "--language", language, "--contract", contract);
        Assert.True(added.ExitCode == 0, added.ToString());
    }

    /// <summary>The 30 shops of the sample export, with their opening hours (its two over-long RustDesk IDs shortened), merged into the demo's.</summary>
    public static async Task ImportSampleAsync(WebServer server)
    {
        var repaired = Path.Combine(Path.GetDirectoryName(server.DatabasePath)!, "shops.csv");
        await File.WriteAllTextAsync(repaired, (await File.ReadAllTextAsync(Paths.ShopsCsv))
            .Replace("Kasse_Stuttgart16", "Kasse_Stgt16", StringComparison.Ordinal)
            .Replace("Kasse_Esslingen17", "Kasse_Essl17", StringComparison.Ordinal), new System.Text.UTF8Encoding(false));
        var imported = await server.Cli.RunAsync("customer", "import", repaired);
        Assert.True(imported.ExitCode == 0, imported.ToString());
    }

    /// <summary>Asks for a sign-in link as a browser without script would: the form page, then its POST.</summary>
    public static async Task<(System.Net.HttpStatusCode Status, string Html)> RequestLinkAsync(StaffClient client, string number, string email)
    {
        using var response = await client.PostFormAsync("/buchen", "/buchen", new Dictionary<string, string> { ["number"] = number, ["email"] = email, ["lang"] = "de" });
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The sign-in link in an email, the same in its text and its HTML part.</summary>
    public static string SignInLink(MimeMessage message)
    {
        var text = SignInUrl().Matches(message.TextBody ?? "").Select(m => m.Value).Distinct().ToArray();
        Assert.Equal(text, SignInUrl().Matches(message.HtmlBody ?? "").Select(m => m.Value).Distinct().ToArray());
        return Assert.Single(text);
    }

    /// <summary>The pickup folder's sign-in email to <paramref name="recipient"/> (the newest, when <paramref name="count"/> are expected).</summary>
    public static async Task<MimeMessage> SignInEmailAsync(WebServer server, string recipient, int count = 1)
    {
        for (var waited = 0; waited < 300; waited++)
        {
            // Named shop-sign-in.<milliseconds>.…: the newest sorts last.
            var found = (await ShopServer.EmailsAsync(server, 0))
                .Where(e => Path.GetFileName(e.File).StartsWith("shop-sign-in.", StringComparison.Ordinal) && e.Message.To.Mailboxes.Any(m => m.Address == recipient))
                .OrderBy(e => Path.GetFileName(e.File), StringComparer.Ordinal).Select(e => e.Message).ToList();
            if (found.Count >= count)
            {
                return found[^1];
            }

            await Task.Delay(100);
        }

        throw new Xunit.Sdk.XunitException($"no sign-in email to {recipient}:\n{server.Log}");
    }

    /// <summary>One value from the service's database (read-only).</summary>
    public static async Task<T?> QueryAsync<T>(WebServer server, string sql, object? parameters = null)
    {
        await using var connection = new SqliteConnection($"Data Source={server.DatabasePath};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        return await connection.QueryFirstOrDefaultAsync<T>(sql, parameters);
    }

    /// <summary>Changes the service's database behind its back: for the states a test cannot wait for (a link's expiry).</summary>
    public static async Task ExecuteAsync(WebServer server, string sql, object? parameters = null)
    {
        await using var connection = new SqliteConnection($"Data Source={server.DatabasePath};Pooling=False;Default Timeout=30");
        await connection.OpenAsync();
        await connection.ExecuteAsync(sql, parameters);
    }

    [GeneratedRegex(@"https?://127\.0\.0\.1:\d+/buchen/anmelden/[A-Za-z0-9_-]+")]
    private static partial Regex SignInUrl();
}
