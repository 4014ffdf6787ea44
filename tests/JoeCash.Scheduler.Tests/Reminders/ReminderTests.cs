using System.Diagnostics;
using Dapper;
using JoeCash.Scheduler.Booking;
using JoeCash.Scheduler.Mail;
using JoeCash.Scheduler.Reminders;
using JoeCash.Scheduler.Scheduling;
using JoeCash.Scheduler.Storage;
using JoeCash.Scheduler.Tests.Infrastructure;
using MimeKit;
using NodaTime;
using NodaTime.Testing;

namespace JoeCash.Scheduler.Tests.Reminders;

/// <summary>Reminders with a clock moved by hand, against a real SQLite file and the real templates.</summary>
public abstract class ReminderTests(StorageProvider provider) : ProviderSuite(provider)
{
    public sealed class OnSqlite() : ReminderTests(StorageProvider.Sqlite);

    public sealed class OnPostgres() : ReminderTests(StorageProvider.PostgreSQL);

    private static readonly DateTimeZone Berlin = DateTimeZoneProviders.Tzdb["Europe/Berlin"];

    private static Instant Local(int y, int m, int d, int h, int min = 0) => Berlin.AtStrictly(new LocalDateTime(y, m, d, h, min)).ToInstant();

    private async Task<SchedulerHost> StartAsync(IClock clock, params string[] offsets)
    {
        var settings = new Dictionary<string, string?>();
        for (var i = 0; i < offsets.Length; i++)
        {
            settings[$"Reminders:Offsets:{i}"] = offsets[i];
        }

        var host = await StartHostAsync(settings, clock);
        await host.AddTechnicianAsync("Anna Berger");
        await host.AddCustomerAsync("K1");
        return host;
    }

    private static async Task<IReadOnlyList<(string Kind, string Status, string Subject, byte[] Mime)>> OutboxAsync(SchedulerHost host)
    {
        await using var connection = await host.Database.OpenAsync();
        var rows = await connection.QueryAsync<(string Kind, string Status, string Subject, string MessageId, string Payload)>("SELECT o.kind, o.status, o.subject, o.message_id, p.payload FROM outbox o JOIN outbox_payloads p ON p.outbox_id = o.id ORDER BY o.id");
        var renderer = host.Get<MailRenderer>();
        return [.. rows.Select(r => (r.Kind, r.Status, r.Subject, MailRenderer.ToBytes(renderer.Render(r.MessageId, r.Payload))))];
    }

    private static async Task<IReadOnlyList<(int Offset, Instant Due, string Status)>> RemindersAsync(SchedulerHost host, long appointmentId)
    {
        await using var connection = await host.Database.OpenAsync();
        return await connection.RemindersOfAsync(appointmentId);
    }

    [Fact]
    public async Task BookAsync_ThreeHoursAhead_OnlyTheOneHourReminderIsPlanned()
    {
        var clock = new FakeClock(Local(2026, 12, 1, 7));
        await using var host = await StartAsync(clock);

        var soon = (await host.Booking.BookAsync(new BookingRequest("K1", "fault", "1", Local(2026, 12, 1, 10), null, false, "test"))).Appointment!;
        var later = (await host.Booking.BookAsync(new BookingRequest("K1", "fault", "1", Local(2026, 12, 3, 10), null, false, "test"))).Appointment!;

        Assert.Equal([(60, Local(2026, 12, 1, 9), "pending")], await RemindersAsync(host, soon.Id));
        Assert.Equal([(1440, Local(2026, 12, 2, 10), "pending"), (60, Local(2026, 12, 3, 9), "pending")], await RemindersAsync(host, later.Id));
    }

    /// <summary>Reminders:QueueAhead as shipped: how long before its due instant a reminder becomes an email.</summary>
    private static readonly Duration Ahead = Duration.FromTimeSpan(new ReminderOptions().QueueAhead);

    /// <summary>The reminder emails' not-before instants (the outbox's next_attempt_at and not_before), in the order queued.</summary>
    private static async Task<IReadOnlyList<(Instant NextAttempt, Instant? NotBefore)>> QueuedRemindersAsync(SchedulerHost host)
    {
        await using var connection = await host.Database.OpenAsync();
        var rows = await connection.QueryAsync<(long, long?)>("SELECT next_attempt_at, not_before FROM outbox WHERE kind = 'reminder' ORDER BY id");
        return [.. rows.Select(r => (Instant.FromUnixTimeMilliseconds(r.Item1), r.Item2 is { } b ? Instant.FromUnixTimeMilliseconds(b) : (Instant?)null))];
    }

    [Fact]
    public async Task Sweep_QueueAheadOfTheDueMoment_QueuesAReminderThatRepeatsWhatMatters_SentAtTheDueInstant()
    {
        var clock = new FakeClock(Local(2026, 12, 1, 7));
        await using var host = await StartAsync(clock);
        await host.Booking.BookAsync(new BookingRequest("K1", "fault", "1", Local(2026, 12, 3, 10), "Kasse startet nicht", false, "test"));
        var sweep = host.Get<ReminderSweep>();
        var dispatcher = host.Get<OutboxDispatcher>();
        var dueAt = Local(2026, 12, 2, 10);

        clock.Reset(dueAt - Ahead - Duration.FromSeconds(1));
        var early = await sweep.RunAsync();
        clock.Reset(dueAt - Ahead);
        var ahead = await sweep.RunAsync();
        var again = await sweep.RunAsync();
        var queued = await QueuedRemindersAsync(host);
        clock.Reset(dueAt - Duration.FromMilliseconds(1));
        var beforeDue = await dispatcher.DispatchDueAsync();
        var pickup = ((PickupDirectoryTransport)host.Get<IMailTransport>()).Directory;
        var remindersBeforeDue = Directory.GetFiles(pickup, "reminder*").Length;
        clock.Reset(dueAt);
        var atDue = await dispatcher.DispatchDueAsync();

        Assert.Equal((0, 1, 0), (early.Queued, ahead.Queued, again.Queued));
        Assert.Equal([(dueAt, (Instant?)dueAt)], queued);
        Assert.Equal(2, beforeDue.Sent); // the invitations to the shop and the technician, not the reminder
        Assert.Equal(0, remindersBeforeDue);
        Assert.Equal(1, atDue.Sent);
        Assert.Single(Directory.GetFiles(pickup, "reminder*"));
        var reminder = Assert.Single(await OutboxAsync(host), m => m.Kind == "reminder");
        var text = MimeMessage.Load(new MemoryStream(reminder.Mime)).TextBody;
        Assert.StartsWith("Erinnerung: JoeCash Fernwartung am Donnerstag, 3. Dezember 2026, 10:00 Uhr", reminder.Subject, StringComparison.Ordinal);
        foreach (var expected in new[] { "in 24 Stunden", "Starten Sie RustDesk", "732 901 938", "Halten Sie die Kasse während des Termins frei", "Anna Berger", "Kasse startet nicht", "Antworten Sie auf diese E-Mail" })
        {
            Assert.Contains(expected, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task RunUntilNextSweepAsync_ReminderDueBeforeTheNextSweep_QueuedAtItsDueInstantNotOnTheNextTick()
    {
        var clock = new RunningClock(Local(2026, 12, 1, 7));
        await using var host = await StartAsync(clock);
        var booked = (await host.Booking.BookAsync(new BookingRequest("K1", "fault", "1", Local(2026, 12, 3, 10), null, false, "test"))).Appointment!;
        // Queued at its due instant less Reminders:QueueAhead.
        var due = Local(2026, 12, 2, 10) - Ahead;
        clock.Reset(due - Duration.FromMilliseconds(800));

        var watch = Stopwatch.StartNew();
        var result = await host.Get<ReminderSweep>().RunUntilNextSweepAsync();
        watch.Stop();

        // The shipped interval is 5 s: a sweep on the tick would have queued it up to 5 s late.
        Assert.Equal(1, result.Queued);
        Assert.Equal(["queued", "pending"], (await RemindersAsync(host, booked.Id)).Select(r => r.Status));
        await using var connection = await host.Database.OpenAsync();
        var decidedAt = Instant.FromUnixTimeMilliseconds(await connection.ExecuteScalarAsync<long>("SELECT decided_at FROM reminders WHERE status = 'queued'"));
        Assert.InRange(decidedAt - due, Duration.Zero, Duration.FromSeconds(2));
        // The 1-hour reminder falls due a day later: the run returned after the first one instead of waiting out the interval.
        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(700), TimeSpan.FromSeconds(4));
    }

    [Fact]
    public async Task RunUntilNextSweepAsync_NothingDueWithinTheInterval_ReturnsAtOnce()
    {
        var clock = new RunningClock(Local(2026, 12, 1, 7));
        await using var host = await StartAsync(clock);
        await host.Booking.BookAsync(new BookingRequest("K1", "fault", "1", Local(2026, 12, 3, 10), null, false, "test"));
        clock.Reset(Local(2026, 12, 2, 10) - Ahead - Duration.FromSeconds(6));

        var watch = Stopwatch.StartNew();
        var result = await host.Get<ReminderSweep>().RunUntilNextSweepAsync();

        Assert.Equal(0, result.Queued);
        Assert.InRange(watch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task QueuedAhead_TheReminderWaitsFromItsDueInstant_NotFromWhenItWasQueued()
    {
        var clock = new FakeClock(Local(2026, 12, 1, 7));
        await using var host = await StartAsync(clock);
        await host.Booking.BookAsync(new BookingRequest("K1", "fault", "1", Local(2026, 12, 3, 10), null, false, "test"));
        await host.Get<OutboxDispatcher>().DispatchDueAsync(); // the invitations go
        var dueAt = Local(2026, 12, 2, 10);
        clock.Reset(dueAt - Ahead);
        await host.Get<ReminderSweep>().RunAsync();
        var outbox = host.Get<Outbox>();

        clock.Reset(dueAt - Duration.FromSeconds(1));
        var before = await outbox.HealthAsync();
        var untilDue = await outbox.UntilNextClaimableAsync();
        clock.Reset(dueAt + Duration.FromSeconds(30));
        var after = await outbox.HealthAsync();

        // Not a backlog before its instant (the health checks and gauges would call mail stuck); from then on, it is.
        Assert.Equal((0L, (Instant?)null), (before.Waiting, before.OldestWaiting));
        Assert.Equal(Duration.FromSeconds(1), untilDue);
        Assert.Equal((1L, (Instant?)dueAt), (after.Waiting, after.OldestWaiting));
    }

    [Fact]
    public async Task Reschedule_WhileRemindersPending_TheOldOnesNeverGoOut()
    {
        var clock = new FakeClock(Local(2026, 12, 1, 7));
        await using var host = await StartAsync(clock);
        var booked = (await host.Booking.BookAsync(new BookingRequest("K1", "fault", "1", Local(2026, 12, 3, 10), null, false, "test"))).Appointment!;
        var sweep = host.Get<ReminderSweep>();
        // The 24 h reminder is already in the outbox, not yet sent, when the dispatcher moves the appointment.
        clock.Reset(Local(2026, 12, 2, 10));
        await sweep.RunAsync();

        await host.Booking.RescheduleAsync(booked.Id, booked.Version, Local(2026, 12, 4, 14), null, "test");
        clock.Reset(Local(2026, 12, 3, 9, 30)); // past the old 1 h reminder's moment
        var atOldTimes = await sweep.RunAsync();
        clock.Reset(Local(2026, 12, 3, 14));
        var atNewTime = await sweep.RunAsync();

        Assert.Equal(0, atOldTimes.Queued);
        Assert.Equal(1, atNewTime.Queued);
        var outbox = await OutboxAsync(host);
        var reminders = outbox.Where(m => m.Kind == "reminder").ToArray();
        Assert.Equal(["cancelled", "pending"], reminders.Select(r => r.Status));
        Assert.Contains("Freitag, 4. Dezember 2026, 14:00", reminders[1].Subject, StringComparison.Ordinal);
        // The first one had already become an email (now cancelled in the outbox); the second never did.
        Assert.Equal([(1440, Local(2026, 12, 2, 10), "queued"), (60, Local(2026, 12, 3, 9), "cancelled"), (1440, Local(2026, 12, 3, 14), "queued"), (60, Local(2026, 12, 4, 13), "pending")],
            await RemindersAsync(host, booked.Id));
    }

    [Fact]
    public async Task Cancel_WhileAReminderWaitsInTheOutbox_NoReminderIsEverSent()
    {
        var clock = new FakeClock(Local(2026, 12, 1, 7));
        await using var host = await StartAsync(clock);
        var booked = (await host.Booking.BookAsync(new BookingRequest("K1", "fault", "1", Local(2026, 12, 3, 10), null, false, "test"))).Appointment!;
        clock.Reset(Local(2026, 12, 2, 10));
        await host.Get<ReminderSweep>().RunAsync();

        await host.Booking.CancelAsync(booked.Id, booked.Version, null, "test");
        clock.Reset(Local(2026, 12, 3, 9, 30));
        var later = await host.Get<ReminderSweep>().RunAsync();
        var dispatched = await host.Get<OutboxDispatcher>().DispatchDueAsync();

        Assert.Equal(0, later.Queued);
        Assert.Equal(4, dispatched.Sent); // the invitation and the cancellation, to the shop and to the technician
        var pickup = Directory.GetFiles(((PickupDirectoryTransport)host.Get<IMailTransport>()).Directory);
        Assert.DoesNotContain(pickup, f => Path.GetFileName(f).StartsWith("reminder", StringComparison.Ordinal));
        Assert.Equal(["queued", "cancelled"], (await RemindersAsync(host, booked.Id)).Select(r => r.Status));
        Assert.Equal("cancelled", Assert.Single(await OutboxAsync(host), m => m.Kind == "reminder").Status);
    }

    [Fact]
    public async Task Sweep_AfterDowntime_LateReminderStillSentUnlessTheAppointmentHasBegun()
    {
        var clock = new FakeClock(Local(2026, 12, 1, 7));
        await using var host = await StartAsync(clock);
        var first = (await host.Booking.BookAsync(new BookingRequest("K1", "fault", "1", Local(2026, 12, 3, 10), null, false, "test"))).Appointment!;
        var second = (await host.Booking.BookAsync(new BookingRequest("K1", "fault", "1", Local(2026, 12, 3, 14), null, false, "test"))).Appointment!;

        // The service was down from before the first 24 h reminder until 12:00 on the day itself.
        clock.Reset(Local(2026, 12, 3, 12));
        var result = await host.Get<ReminderSweep>().RunAsync();

        Assert.Equal((1, 2), (result.Queued, result.Skipped));
        Assert.Equal(["skipped", "skipped"], (await RemindersAsync(host, first.Id)).Select(r => r.Status));
        Assert.Equal(["queued", "pending"], (await RemindersAsync(host, second.Id)).Select(r => r.Status)); // the 1 h one is not due before 13:00
        await using var connection = await host.Database.OpenAsync();
        var note = await connection.ExecuteScalarAsync<string>("SELECT note FROM reminders WHERE appointment_id = @id LIMIT 1", new { id = first.Id });
        Assert.Contains("had begun", note, StringComparison.Ordinal);
    }

    public static TheoryData<string, int, int, int, string, string> DstCases => new()
    {
        // appointment (Monday 09:00 after the change: 07:00Z in summer time, 08:00Z in winter time), due instant, the text
        { "spring", 2026, 3, 30, "2026-03-28T07:00:00Z", "Montag, 30. März 2026, 09:00–10:00 Uhr (MESZ)" },
        { "autumn", 2026, 10, 26, "2026-10-24T08:00:00Z", "Montag, 26. Oktober 2026, 09:00–10:00 Uhr (MEZ)" },
    };

    [Theory]
    [MemberData(nameof(DstCases))]
    public async Task Reminder_48HoursAcrossADstChange_FiresAtTheExactElapsedInstant(string name, int year, int month, int day, string dueUtc, string shown)
    {
        var clock = new FakeClock(Local(year, month, 1, 7));
        await using var host = await StartAsync(clock, "2.00:00:00");
        var start = Local(year, month, day, 9);
        var booked = (await host.Booking.BookAsync(new BookingRequest("K1", "fault", "1", start, null, false, "test"))).Appointment!;

        var reminder = Assert.Single(await RemindersAsync(host, booked.Id));
        clock.Reset(reminder.Due - Ahead - Duration.FromSeconds(1));
        var before = await host.Get<ReminderSweep>().RunAsync();
        clock.Reset(reminder.Due - Ahead);
        var at = await host.Get<ReminderSweep>().RunAsync();

        Assert.Equal(dueUtc, reminder.Due.ToString());
        Assert.Equal(Duration.FromHours(48), start - reminder.Due);
        Assert.NotEqual(start.InZone(Berlin).Offset, reminder.Due.InZone(Berlin).Offset); // the change lies in between
        Assert.Equal((0, 1), (before.Queued, at.Queued));
        Assert.Equal(reminder.Due, Assert.Single(await QueuedRemindersAsync(host)).NextAttempt); // the email goes at the exact instant
        var mime = Assert.Single(await OutboxAsync(host), m => m.Kind == "reminder").Mime;
        Assert.Contains(shown, MimeMessage.Load(new MemoryStream(mime)).TextBody, StringComparison.Ordinal);
        Assert.NotNull(name);
    }

    /// <summary>A clock that runs in real time from wherever the test puts it: the sweep's waits are real waits.</summary>
    private sealed class RunningClock(Instant start) : IClock
    {
        private readonly Stopwatch _watch = Stopwatch.StartNew();
        private Instant _start = start;

        public void Reset(Instant start)
        {
            _start = start;
            _watch.Restart();
        }

        public Instant GetCurrentInstant() => _start + Duration.FromTimeSpan(_watch.Elapsed);
    }
}
