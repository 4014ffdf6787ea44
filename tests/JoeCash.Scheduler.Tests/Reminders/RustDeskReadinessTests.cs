using Dapper;
using JoeCash.Scheduler.Agenda;
using JoeCash.Scheduler.Booking;
using JoeCash.Scheduler.Mail;
using JoeCash.Scheduler.Scheduling;
using JoeCash.Scheduler.Storage;
using JoeCash.Scheduler.Tests.Infrastructure;
using MimeKit;
using NodaTime;
using NodaTime.Testing;

namespace JoeCash.Scheduler.Tests.Reminders;

/// <summary>Whether the technician can connect: the reminder asks a shop without a RustDesk ID for it, the agenda marks it.</summary>
public abstract class RustDeskReadinessTests(StorageProvider provider) : ProviderSuite(provider)
{
    public sealed class OnSqlite() : RustDeskReadinessTests(StorageProvider.Sqlite);

    public sealed class OnPostgres() : RustDeskReadinessTests(StorageProvider.PostgreSQL);

    private static readonly DateTimeZone Berlin = DateTimeZoneProviders.Tzdb["Europe/Berlin"];

    private static Instant Local(int y, int m, int d, int h) => Berlin.AtStrictly(new LocalDateTime(y, m, d, h, 0)).ToInstant();

    [Theory]
    [InlineData("de", "Uns liegt noch keine RustDesk-ID Ihrer Kasse vor", "im Hauptfenster steht links unter „ID“ eine neunstellige Zahl")]
    [InlineData("en", "we do not have your till's RustDesk ID yet", "in the main window, on the left under \"ID\", there is a nine-digit number")]
    public async Task TheDayBeforeReminder_ToAShopWithoutAnId_AsksForItAndSaysWhereRustDeskShowsIt(string language, string asks, string where)
    {
        var clock = new FakeClock(Local(2026, 12, 1, 7));
        await using var host = await StartHostAsync(clock: clock);
        var technician = await host.AddTechnicianAsync("Anna Berger");
        await host.AddCustomerAsync("K1", language, rustDesk: "");
        var booked = await host.Booking.BookAsync(new BookingRequest("K1", "fault", $"{technician}", Local(2026, 12, 3, 10), null, false, "test"));
        clock.Reset(Local(2026, 12, 2, 10));

        await host.Get<ReminderSweep>().RunAsync();

        var text = await ReminderTextAsync(host);
        Assert.Contains(asks, text, StringComparison.Ordinal);
        Assert.Contains(where.Replace("\n", " ", StringComparison.Ordinal), text.ReplaceLineEndings(" ").Replace("    ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        var agenda = await host.Get<AgendaBuilder>().BuildAsync((await host.Get<AgendaBuilder>().FindTechnicianAsync($"{technician}")).Value, new LocalDate(2026, 12, 3));
        Assert.Contains("NICHT BEREIT", host.Get<AgendaMailer>().Text(agenda), StringComparison.Ordinal);
        Assert.Equal(Domain.RustDeskReadiness.NoId, booked.Appointment!.Readiness);
    }

    [Fact]
    public async Task AnIdSentAfterBooking_IsWhatTheReminderAndTheAgendaShow()
    {
        var clock = new FakeClock(Local(2026, 12, 1, 7));
        await using var host = await StartHostAsync(clock: clock);
        var technician = await host.AddTechnicianAsync("Anna Berger");
        await host.AddCustomerAsync("K1", rustDesk: "");
        await host.Booking.BookAsync(new BookingRequest("K1", "fault", $"{technician}", Local(2026, 12, 3, 10), null, false, "test"));
        await host.AddCustomerAsync("K1", rustDesk: "123 456 789");
        clock.Reset(Local(2026, 12, 2, 10));

        await host.Get<ReminderSweep>().RunAsync();

        var text = await ReminderTextAsync(host);
        Assert.Contains("123 456 789", text, StringComparison.Ordinal);
        Assert.DoesNotContain("noch keine RustDesk-ID", text, StringComparison.Ordinal);
        var agenda = await host.Get<AgendaBuilder>().BuildAsync((await host.Get<AgendaBuilder>().FindTechnicianAsync($"{technician}")).Value, new LocalDate(2026, 12, 3));
        Assert.DoesNotContain("NICHT BEREIT", host.Get<AgendaMailer>().Text(agenda), StringComparison.Ordinal);
    }

    private static async Task<string> ReminderTextAsync(SchedulerHost host)
    {
        await using var connection = await host.Database.OpenAsync();
        var (messageId, payload) = await connection.QuerySingleAsync<(string, string)>("SELECT o.message_id, p.payload FROM outbox o JOIN outbox_payloads p ON p.outbox_id = o.id WHERE o.kind = 'reminder'");
        var bytes = MailRenderer.ToBytes(host.Get<MailRenderer>().Render(messageId, payload));
        return MimeMessage.Load(new MemoryStream(bytes)).TextBody ?? "";
    }
}
