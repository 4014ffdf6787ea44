using System.Security.Cryptography;
using System.Text;
using Dapper;
using JoeCash.Scheduler.Scheduling;
using JoeCash.Scheduler.SelfService;
using JoeCash.Scheduler.Tests.Feeds;
using NodaTime;
using NodaTime.Testing;
using static JoeCash.Scheduler.Tests.SelfService.ShopLinkFixture;

namespace JoeCash.Scheduler.Tests.SelfService;

/// <summary>The shops' personal links: one per address and appointment, in every invitation, update and reminder, stored only as a hash, and closed when they should be.</summary>
public sealed class ShopLinkTests
{
    [Fact]
    public async Task Booking_EachAddressGetsItsOwnLink_InTextAndHtml_AndTheDatabaseHoldsNoToken()
    {
        var clock = new FakeClock(Now);
        await using var host = await StartAsync(clock);
        await FeedFixture.BookAsync(host, Now + Duration.FromDays(1));

        var first = Link(Assert.Single(await EmailsAsync(host, First)).Message);
        var second = Link(Assert.Single(await EmailsAsync(host, Second)).Message);

        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.NotEqual(first, second);
        var token = first![(first.LastIndexOf('/') + 1)..];
        Assert.Equal(43, token.Length); // 256 bits, base64url
        // Nothing stored anywhere contains the token: not the link table, not the queued email.
        var dump = await DumpAsync(host);
        Assert.DoesNotContain(token, dump, StringComparison.Ordinal);
        await using var connection = await host.Database.OpenAsync();
        var hashes = (await connection.QueryAsync<byte[]>("SELECT token_hash FROM shop_links")).ToArray();
        Assert.Contains(hashes, h => h.SequenceEqual(SHA256.HashData(System.Buffers.Text.Base64Url.DecodeFromChars(token))));
        Assert.Equal(ShopLinkState.Active, (await host.Get<ShopSelfService>().OpenAsync(token)).State);
    }

    [Fact]
    public async Task UpdateAndReminders_CarryTheSameLink_AndItShowsTheNewTime()
    {
        var clock = new FakeClock(Now);
        await using var host = await StartAsync(clock, new() { ["Reminders:Offsets:0"] = "1.00:00:00" });
        var appointment = await FeedFixture.BookAsync(host, Now + Duration.FromDays(3));
        var invitation = await TokenAsync(host);
        var later = appointment.Start + Duration.FromHours(2);
        Assert.True((await host.Booking.RescheduleAsync(appointment.Id, appointment.Version, later, null, "test")).Succeeded);
        clock.AdvanceDays(2);
        clock.AdvanceHours(3);
        var swept = await host.Get<ReminderSweep>().RunAsync();

        Assert.Equal(1, swept.Queued);
        var emails = await EmailsAsync(host, First);
        Assert.Equal(["invitation", "update", "reminder"], emails.Select(e => e.Kind));
        Assert.All(emails, e => Assert.EndsWith("/s/" + invitation, Link(e.Message), StringComparison.Ordinal));
        var page = (await host.Get<ShopSelfService>().OpenAsync(invitation)).Page!;
        Assert.Equal(later, page.Appointment.Start);
    }

    [Fact]
    public async Task Cancellation_ClosesTheLinks_AndItsEmailCarriesNone()
    {
        var clock = new FakeClock(Now);
        await using var host = await StartAsync(clock);
        var appointment = await FeedFixture.BookAsync(host, Now + Duration.FromDays(1));
        var token = await TokenAsync(host);

        Assert.True((await host.Booking.CancelAsync(appointment.Id, appointment.Version, null, "test")).Succeeded);

        var emails = await EmailsAsync(host, First);
        var cancellation = emails[^1];
        Assert.Equal("cancellation", cancellation.Kind);
        Assert.Null(Link(cancellation.Message));
        var visit = await host.Get<ShopSelfService>().OpenAsync(token);
        Assert.Equal(ShopLinkState.Cancelled, visit.State);
        Assert.Null(visit.Page);
        Assert.Equal("+49 30 1234567", visit.SupportPhone);
    }

    [Fact]
    public async Task NewLink_ReplacesOnlyThatAddresssLink_AndArrivesInAReSentInvitation()
    {
        var clock = new FakeClock(Now);
        await using var host = await StartAsync(clock);
        var appointment = await FeedFixture.BookAsync(host, Now + Duration.FromDays(1));
        var old = await TokenAsync(host, First);
        var other = await TokenAsync(host, Second);
        var shops = host.Get<ShopSelfService>();

        var renewed = await shops.RenewLinkAsync(appointment.Id, "K1@SHOP.TEST", "dispatcher");

        Assert.True(renewed.IsSuccess, renewed.Error);
        var fresh = await TokenAsync(host, First);
        Assert.NotEqual(old, fresh);
        Assert.Equal(["invitation", "invitation"], (await EmailsAsync(host, First)).Select(e => e.Kind));
        Assert.Equal(ShopLinkState.Replaced, (await shops.OpenAsync(old)).State);
        Assert.Equal(ShopLinkState.Active, (await shops.OpenAsync(fresh)).State);
        Assert.Equal(ShopLinkState.Active, (await shops.OpenAsync(other)).State);
        var stranger = await shops.RenewLinkAsync(appointment.Id, "someone@else.test", "dispatcher");
        Assert.Contains("not an address of customer K1", stranger.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Link_ClosesAConfiguredTimeAfterTheEnd()
    {
        var clock = new FakeClock(Now);
        await using var host = await StartAsync(clock, new() { ["SelfService:ValidAfterEnd"] = "2.00:00:00" });
        var appointment = await FeedFixture.BookAsync(host, Now + Duration.FromDays(1));
        var token = await TokenAsync(host);
        var shops = host.Get<ShopSelfService>();

        clock.Reset(appointment.End + Duration.FromDays(2));
        Assert.Equal(ShopLinkState.Active, (await shops.OpenAsync(token)).State);
        clock.Advance(Duration.FromMinutes(1));
        Assert.Equal(ShopLinkState.Expired, (await shops.OpenAsync(token)).State);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("short")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("../../../etc/passwd")]
    public async Task UnknownOrMalformedTokens_FindNothing(string? token)
    {
        await using var host = await StartAsync(new FakeClock(Now));
        await FeedFixture.BookAsync(host, Now + Duration.FromDays(1));

        Assert.Equal(ShopLinkState.Unknown, (await host.Get<ShopSelfService>().OpenAsync(token)).State);
    }

    /// <summary>Every value in every table, as text (blobs as base64 and as UTF-8).</summary>
    internal static async Task<string> DumpAsync(Infrastructure.SchedulerHost host)
    {
        await using var connection = await host.Database.OpenAsync();
        var tables = await connection.QueryAsync<string>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
        var dump = new StringBuilder();
        foreach (var table in tables)
        {
            foreach (IDictionary<string, object?> row in await connection.QueryAsync($"SELECT * FROM \"{table}\""))
            {
                foreach (var value in row.Values)
                {
                    dump.Append(value switch
                    {
                        byte[] bytes => Convert.ToBase64String(bytes) + " " + System.Buffers.Text.Base64Url.EncodeToString(bytes) + " " + Encoding.UTF8.GetString(bytes),
                        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture),
                    }).Append('\t');
                }

                dump.AppendLine();
            }
        }

        return dump.ToString();
    }
}
