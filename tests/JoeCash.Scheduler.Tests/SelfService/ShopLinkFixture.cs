using System.Text.RegularExpressions;
using Dapper;
using JoeCash.Scheduler.Mail;
using JoeCash.Scheduler.Tests.Feeds;
using JoeCash.Scheduler.Tests.Infrastructure;
using MimeKit;
using NodaTime;
using NodaTime.Testing;

namespace JoeCash.Scheduler.Tests.SelfService;

/// <summary>A fresh database with a technician who works every hour, a shop with two addresses, and the shop's emails as sent.</summary>
internal static partial class ShopLinkFixture
{
    /// <summary>Tuesday 1 December 2026, 08:00 in Berlin.</summary>
    public static readonly Instant Now = FeedFixture.Local(2026, 12, 1, 8);

    public const string Shop = "K1";
    public const string First = "k1@shop.test";
    public const string Second = "filiale@shop.test";

    public static async Task<SchedulerHost> StartAsync(FakeClock clock, Dictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?> { ["Web:PublicBaseUrl"] = "https://termine.example.test" };
        foreach (var (key, value) in settings ?? [])
        {
            all[key] = value;
        }

        var host = await SchedulerHost.StartAsync(all, clock);
        await host.AddTechnicianAsync("Anna Berger", hours: "Mon-Sun 00:00-24:00");
        await host.AddTechnicianAsync("Jonas Keller", hours: "Mon-Sun 00:00-24:00");
        await host.AddCustomerAsync(Shop, email: $"{First}, {Second}");
        return host;
    }

    /// <summary>Every outbox email to <paramref name="recipient"/>, rendered as the dispatcher sends it, oldest first.</summary>
    public static async Task<IReadOnlyList<(string Kind, MimeMessage Message)>> EmailsAsync(SchedulerHost host, string recipient)
    {
        await using var connection = await host.Database.OpenAsync();
        var rows = await connection.QueryAsync<(string MessageId, string Kind, string Payload)>(
            "SELECT o.message_id, o.kind, p.payload FROM outbox o JOIN outbox_payloads p ON p.outbox_id = o.id WHERE o.recipient = @recipient ORDER BY o.id", new { recipient });
        var renderer = host.Get<MailRenderer>();
        return [.. rows.Select(r => (r.Kind, renderer.Render(r.MessageId, r.Payload)))];
    }

    /// <summary>The personal link in an email: the same in its text and its HTML part, or null when it has none.</summary>
    public static string? Link(MimeMessage message)
    {
        var text = LinkPattern().Matches(message.TextBody ?? "").Select(m => m.Value).Distinct().ToArray();
        var html = LinkPattern().Matches(message.HtmlBody ?? "").Select(m => m.Value).Distinct().ToArray();
        Assert.Equal(text, html);
        return text.SingleOrDefault();
    }

    /// <summary>The token of the newest email to <paramref name="recipient"/> that carries a link.</summary>
    public static async Task<string> TokenAsync(SchedulerHost host, string recipient = First)
    {
        var link = (await EmailsAsync(host, recipient)).Select(e => Link(e.Message)).Last(l => l is not null)!;
        return link[(link.LastIndexOf('/') + 1)..];
    }

    [GeneratedRegex(@"https://termine\.example\.test/s/[A-Za-z0-9_-]+")]
    private static partial Regex LinkPattern();
}
