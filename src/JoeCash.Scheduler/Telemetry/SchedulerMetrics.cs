using System.Diagnostics.Metrics;

namespace JoeCash.Scheduler.Telemetry;

/// <summary>
/// The service's own metrics, Meter <c>JoeCash.Scheduler</c>: what the features record (bookings, refusals, mail
/// sends, replies), exported by <c>serve</c> on <c>/metrics</c>. Knows no feature: features call it.
/// </summary>
public static class SchedulerMetrics
{
    public const string MeterName = "JoeCash.Scheduler";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Bookings = Meter.CreateCounter<long>(
        "joecash.bookings", "{appointment}", "Appointments booked.");

    private static readonly Counter<long> Refusals = Meter.CreateCounter<long>(
        "joecash.refusals", "{refusal}", "Booking changes refused, by code (slot-not-free, cost-not-acknowledged, …) and action.");

    private static readonly Histogram<double> SendLatency = Meter.CreateHistogram<double>(
        "joecash.outbox.send.duration", "s", "Time to hand one message to the mail server until it accepted it.");

    private static readonly Histogram<double> ReplyLatency = Meter.CreateHistogram<double>(
        "joecash.replies.apply.duration", "s", "Time to apply one batch of the shops' answers (read, trust checks, effects, commit).");

    private static readonly Counter<long> MailSent = Meter.CreateCounter<long>(
        "joecash.outbox.sent", "{message}", "Messages the mail server accepted.");

    private static Func<OutboxBacklog>? _backlog;

    /// <summary>The outbox backlog as the last reading saw it (set by whoever can read it: the web host's health check).</summary>
    public static void ObserveBacklog(Func<OutboxBacklog> read)
    {
        if (Interlocked.Exchange(ref _backlog, read) is null)
        {
            Meter.CreateObservableGauge("joecash.outbox.backlog", () => _backlog?.Invoke().Pending ?? 0, "{message}", "Messages waiting to be sent (pending or being sent).");
            Meter.CreateObservableGauge("joecash.outbox.backlog.age", () => _backlog?.Invoke().OldestAgeSeconds ?? 0, "s", "Age of the oldest message that is due and not sent.");
        }
    }

    public static void Booked() => Bookings.Add(1);

    public static void Refused(string action, string code) =>
        Refusals.Add(1, new KeyValuePair<string, object?>("action", action), new KeyValuePair<string, object?>("code", code));

    /// <summary>One message the mail server accepted, <paramref name="handOff"/> after the dispatcher began to hand it over.</summary>
    public static void Sent(TimeSpan handOff)
    {
        MailSent.Add(1);
        SendLatency.Record(handOff.TotalSeconds);
    }

    public static void RepliesApplied(TimeSpan elapsed) => ReplyLatency.Record(elapsed.TotalSeconds);
}

/// <summary>The outbox backlog: how many wait, and how old the oldest due one is.</summary>
public readonly record struct OutboxBacklog(long Pending, double OldestAgeSeconds);
