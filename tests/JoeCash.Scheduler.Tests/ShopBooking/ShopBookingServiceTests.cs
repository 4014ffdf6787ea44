using System.Buffers.Text;
using System.Text.Json;
using Dapper;
using JoeCash.Scheduler.Customers;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.ShopBooking;
using JoeCash.Scheduler.Storage;
using JoeCash.Scheduler.Tests.Infrastructure;
using NodaTime;
using NodaTime.Testing;

namespace JoeCash.Scheduler.Tests.ShopBooking;

/// <summary>
/// The booking page's services on both storage providers (migration 0013 on each): sign-in links only for a matching
/// pair, once and in time; a booking records the shop as who booked, its acknowledgment for invoicing, its RustDesk ID,
/// and stops at the open-bookings limit.
/// </summary>
public abstract class ShopBookingServiceTests(StorageProvider provider) : ProviderSuite(provider)
{
    public sealed class OnSqlite() : ShopBookingServiceTests(StorageProvider.Sqlite);

    public sealed class OnPostgres() : ShopBookingServiceTests(StorageProvider.PostgreSQL);

    [Fact]
    public async Task RequestAsync_OnlyAMatchingPairGetsALink_WhichWorksOnceAndInTime()
    {
        var clock = new FakeClock(CliDates.Now);
        await using var host = await StartHostAsync(clock: clock);
        await host.AddCustomerAsync("K1", email: "kasse@shop.test");
        await host.AddCustomerAsync("K2", email: "k2@shop.test");
        var signIns = host.Get<ShopSignInService>();

        await signIns.RequestAsync("k1", "KASSE@shop.test");
        await signIns.RequestAsync("K3", "kasse@shop.test");   // no such shop
        await signIns.RequestAsync("K2", "kasse@shop.test");   // a shop, not its address
        await signIns.RequestAsync("K1", "");

        await using var connection = await host.Database.OpenAsync();
        Assert.Equal(4, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM shop_sign_ins"));
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM shop_sign_ins WHERE customer_id IS NOT NULL"));
        var token = await TokenAsync(host, connection);
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM outbox WHERE kind = 'shop-sign-in' AND recipient = 'kasse@shop.test'"));

        Assert.Equal(ShopSignInState.Valid, (await signIns.OpenAsync(token)).State);
        Assert.Equal(ShopSignInState.Valid, (await signIns.OpenAsync(token)).State); // opening changes nothing
        var (state, session, _) = await signIns.UseAsync(token);
        Assert.Equal(ShopSignInState.Valid, state);
        Assert.Equal("K1", session!.Customer.Number);
        Assert.Equal("shop:kasse@shop.test", session.Actor);
        Assert.Equal(ShopSignInState.Used, (await signIns.UseAsync(token)).State);
        Assert.Equal(ShopSignInState.Unknown, (await signIns.UseAsync(token[..^2] + "AA")).State);

        await signIns.RequestAsync("K1", "kasse@shop.test");
        var late = await TokenAsync(host, connection);
        clock.Advance(Duration.FromMinutes(20) + Duration.FromSeconds(1));
        Assert.Equal(ShopSignInState.Expired, (await signIns.OpenAsync(late)).State);
        Assert.Equal(ShopSignInState.Expired, (await signIns.UseAsync(late)).State);
    }

    [Fact]
    public async Task RequestAsync_DeletesTheSignInsThatExpiredMoreThanAWeekBefore_AndKeepsTheRest()
    {
        var clock = new FakeClock(CliDates.Now);
        await using var host = await StartHostAsync(clock: clock);
        await host.AddCustomerAsync("K1", email: "kasse@shop.test");
        var signIns = host.Get<ShopSignInService>();
        await signIns.RequestAsync("K1", "kasse@shop.test");        // expires after 20 minutes
        await signIns.RequestAsync("K9", "fremd@shop.test");        // no match: expired when made
        clock.Advance(Duration.FromDays(3));
        await signIns.RequestAsync("K1", "kasse@shop.test");        // three days younger

        await using var connection = await host.Database.OpenAsync();
        Assert.Equal(3, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM shop_sign_ins"));

        clock.Advance(ShopSignInService.Retention - Duration.FromDays(3) + Duration.FromMinutes(21));
        await signIns.RequestAsync("K9", "fremd@shop.test");

        // The first two died more than a week ago and are gone; the younger link and today's request stay.
        var left = (await connection.QueryAsync<long>("SELECT issued_at FROM shop_sign_ins ORDER BY issued_at")).ToArray();
        Assert.Equal(2, left.Length);
        Assert.True(left[0] > CliDates.Now.ToUnixTimeMilliseconds(), "the rows of the first day should have been deleted");
    }

    [Fact]
    public async Task BookAsync_RecordsTheShop_ItsAcknowledgmentAndRustDeskId_AndStopsAtTheLimit()
    {
        await using var host = await StartHostAsync(new Dictionary<string, string?> { ["ShopBooking:MaxOpenBookings"] = "2" });
        await host.AddTechnicianAsync("Anna Berger");
        await host.AddCustomerAsync("K1", email: "kasse@shop.test", rustDesk: "");
        var bookings = host.Get<ShopBookingService>();
        Customer shop;
        await using (var connection = await host.Database.OpenAsync())
        {
            shop = (await connection.FindCustomerAsync("K1")).Value;
        }

        var session = new ShopSession(shop, "kasse@shop.test");
        var nine = host.NextWorkingDayAt(9);

        Assert.Equal(ShopBookingStatus.NotBookable, (await bookings.BookAsync(session, "accounting", nine, null, "123456789", false)).Status);
        Assert.Equal(ShopBookingStatus.BadRustDeskId, (await bookings.BookAsync(session, "fault", nine, null, "12 34", false)).Status);
        Assert.Equal(ShopBookingStatus.CostNotAcknowledged, (await bookings.BookAsync(session, "training", nine, null, "123456789", false)).Status);
        var training = await bookings.BookAsync(session, "training", nine, "Kassenbuch", "123 456 789", true);
        Assert.Equal(ShopBookingStatus.Booked, training.Status);

        await using var check = await host.Database.OpenAsync();
        var row = await check.QuerySingleAsync<(string BookedBy, bool CostAcknowledged, string RustDeskId, long? Confirmed)>(
            "SELECT booked_by, cost_acknowledged, rustdesk_id, rustdesk_confirmed_at FROM appointments WHERE id = @id", new { id = training.Appointment!.Id });
        Assert.Equal("shop:kasse@shop.test", row.BookedBy);
        Assert.True(row.CostAcknowledged);
        Assert.Equal("123456789", row.RustDeskId);
        Assert.NotNull(row.Confirmed);
        var acknowledgment = await check.QuerySingleAsync<(string How, string Recipient, string Notice, long? LinkId)>(
            "SELECT how, recipient, notice, link_id FROM cost_acknowledgments WHERE appointment_id = @id", new { id = training.Appointment.Id });
        Assert.Equal(("shop-booking", "kasse@shop.test"), (acknowledgment.How, acknowledgment.Recipient));
        Assert.Contains("gesondert berechnet", acknowledgment.Notice, StringComparison.Ordinal);
        Assert.Null(acknowledgment.LinkId);
        Assert.Equal("123456789", await check.ExecuteScalarAsync<string>("SELECT rustdesk_id FROM customers WHERE number = 'K1'"));
        Assert.Equal(1, await check.ExecuteScalarAsync<long>("SELECT count(*) FROM outbox WHERE kind = 'invitation' AND recipient = 'kasse@shop.test'"));

        // The same time again is taken; another is booked; the third open booking is refused.
        Assert.Equal(ShopBookingStatus.SlotTaken, (await bookings.BookAsync(session, "fault", nine, null, "123456789", false)).Status);
        Assert.Equal(ShopBookingStatus.Booked, (await bookings.BookAsync(session, "fault", host.NextWorkingDayAt(13), null, "123456789", false)).Status);
        var third = await bookings.BookAsync(session, "fault", host.NextWorkingDayAt(15), null, "123456789", false);
        Assert.Equal(ShopBookingStatus.LimitReached, third.Status);
        Assert.Equal(2, third.OpenBookings);
        Assert.Equal(2, await check.ExecuteScalarAsync<long>("SELECT count(*) FROM appointments WHERE booked_by = 'shop:kasse@shop.test'"));
        Assert.Equal(2, (await bookings.OpenBookingsAsync(session)).Count);
    }

    [Fact]
    public async Task BookAsync_RacingAtTheLimit_BooksOnlyUpToIt_TheLimitIsCheckedInTheBookingsTransaction()
    {
        // Eight tabs (or nodes: on PostgreSQL each its own connection) book different times at once; one open booking allowed.
        await using var host = await StartHostAsync(new Dictionary<string, string?> { ["ShopBooking:MaxOpenBookings"] = "1" });
        await host.AddTechnicianAsync("Anna Berger");
        await host.AddCustomerAsync("K1", email: "kasse@shop.test", rustDesk: "123456789");
        var bookings = host.Get<ShopBookingService>();
        Customer shop;
        await using (var connection = await host.Database.OpenAsync())
        {
            shop = (await connection.FindCustomerAsync("K1")).Value;
        }

        var session = new ShopSession(shop, "kasse@shop.test");
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Task.Run(() => bookings.BookAsync(session, "fault", host.NextWorkingDayAt(8 + i), null, "123456789", false))));

        Assert.Equal(1, outcomes.Count(o => o.Status == ShopBookingStatus.Booked));
        Assert.All(outcomes.Where(o => o.Status != ShopBookingStatus.Booked), o => Assert.Equal(ShopBookingStatus.LimitReached, o.Status));
        await using var check = await host.Database.OpenAsync();
        Assert.Equal(1, await check.ExecuteScalarAsync<long>("SELECT count(*) FROM appointments WHERE customer_id = @id", new { id = shop.Id }));
        Assert.Equal(1, await check.ExecuteScalarAsync<long>("SELECT count(*) FROM outbox WHERE kind = 'invitation'"));
    }

    [Theory]
    [InlineData("invitation", "request", "de", "Termine selbst buchen: https://termine.example.test/buchen")]
    [InlineData("cancellation", "cancel", "en", "Book appointments yourself: https://termine.example.test/buchen")]
    [InlineData("reminder", "reminder", "de", "Termine selbst buchen: https://termine.example.test/buchen")]
    [InlineData("counter-declined", "counter-declined", "en", "Book appointments yourself: https://termine.example.test/buchen")]
    public async Task EveryEmailAShopGets_NamesTheBookingPageInItsFooter_AlsoOnesQueuedBeforeTheFooter(string template, string kind, string language, string footer)
    {
        await using var host = await StartHostAsync(new Dictionary<string, string?> { ["Web:PublicBaseUrl"] = "https://termine.example.test" });
        // As an outbox row written before the footer existed holds it: no booking page address in the model.
        var model = Scheduler.Invitations.MessageModel.Sample(kind) with { BookingPageUrl = null, ShopLinkUrl = null };
        var payload = new Scheduler.Mail.MailPayload
        {
            Template = template,
            Language = language == "en" ? Language.En : Language.De,
            RecipientEmail = "kasse@shop.test",
            RecipientName = "Erika",
            CreatedAtMilliseconds = CliDates.Now.ToUnixTimeMilliseconds(),
            Model = JsonSerializer.SerializeToElement(model, Scheduler.Mail.MailRenderer.Json),
        };
        var message = host.Get<Scheduler.Mail.MailRenderer>().Render("<footer@test>", payload);
        Assert.Contains(footer, message.TextBody, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://termine.example.test/buchen\">", message.HtmlBody, StringComparison.Ordinal);
    }

    /// <summary>The newest sign-in email's link token, as the email shows it (from the seed its model keeps).</summary>
    private static async Task<string> TokenAsync(SchedulerHost host, System.Data.Common.DbConnection connection)
    {
        var payload = await connection.ExecuteScalarAsync<string>("SELECT p.payload FROM outbox o JOIN outbox_payloads p ON p.outbox_id = o.id WHERE o.kind = 'shop-sign-in' ORDER BY o.id DESC LIMIT 1");
        var seed = JsonDocument.Parse(payload!).RootElement.GetProperty("model").GetProperty("seed").GetString()!;
        Assert.DoesNotContain("anmelden", payload, StringComparison.Ordinal); // the outbox keeps the seed, never the link
        return host.Get<ShopSignInTokens>().Token(Base64Url.DecodeFromChars(seed));
    }
}
