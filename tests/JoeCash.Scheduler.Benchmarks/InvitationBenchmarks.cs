using BenchmarkDotNet.Attributes;
using JoeCash.Scheduler.Calendars;
using JoeCash.Scheduler.Configuration;
using JoeCash.Scheduler.Hosting;
using JoeCash.Scheduler.Invitations;
using JoeCash.Scheduler.Mail;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NodaTime;

namespace JoeCash.Scheduler.Benchmarks;

/// <summary>
/// One invitation email for one recipient (<see cref="SampleMail"/>): the whole email (compose + render), the iCalendar
/// part alone, the renderer alone, and the Fluid templates alone — with the service's own DI composition and the
/// shipped configuration and templates.
/// </summary>
/// <remarks>Not sealed: BenchmarkDotNet's generated runner derives from it.</remarks>
public class InvitationBenchmarks
{
    private ServiceProvider? _services;
    private InvitationComposer? _composer;
    private MailRenderer? _renderer;
    private TemplateCatalog? _templates;
    private AppointmentContext? _context;
    private OutboxMessage? _message;
    private CalendarEventData? _calendar;

    [GlobalSetup]
    public void Setup()
    {
        _services = MailServices.Create();
        _composer = _services.GetRequiredService<InvitationComposer>();
        _renderer = _services.GetRequiredService<MailRenderer>();
        _templates = _services.GetRequiredService<TemplateCatalog>();
        var zone = _services.GetRequiredService<IOptions<SchedulerOptions>>().Value.Zone;
        _context = SampleMail.Context(_services.GetRequiredService<AppointmentTypeCatalog>(), zone);
        _message = _composer.Compose(InvitationKind.Request, _context, SampleMail.Created).Single();
        _calendar = MailServices.CalendarOf(_message.Payload, _templates);

        var mime = ComposeAndRender();
        var ics = CalendarOnly();
        Console.WriteLine($"// One invitation: {mime.Length:N0} bytes of MIME; its iCalendar part {System.Text.Encoding.UTF8.GetByteCount(ics):N0} bytes (also attached as invite.ics).");
        // Reach optimized code before the pilot picks the invocation count (see SlotSearchBenchmarks).
        Warm(() => ComposeAndRender().Length);
        Warm(() => CalendarOnly().Length);
        Warm(() => RenderOnly().Length);
        Warm(() => TemplatesOnly());
    }

    [GlobalCleanup]
    public void Cleanup() => _services?.Dispose();

    /// <summary>(a) What one invitation costs end to end: InvitationComposer.Compose, then MailRenderer.Render of its payload.</summary>
    [Benchmark(Baseline = true, Description = "a compose + render (whole email)")]
    public byte[] ComposeAndRender()
    {
        var message = _composer!.Compose(InvitationKind.Request, _context!, SampleMail.Created)[0];
        return MailRenderer.ToBytes(_renderer!.Render(message.MessageId, message.Payload));
    }

    /// <summary>(b) CalendarBuilder.Build with the renderer's data: Ical.Net, VTIMEZONE object cached per thread.</summary>
    [Benchmark(Description = "b iCalendar part (CalendarBuilder)")]
    public string CalendarOnly() => CalendarBuilder.Build(_calendar!);

    /// <summary>(c) MailRenderer.Render of a composed payload: four templates, the calendar, MimeKit.</summary>
    [Benchmark(Description = "c MailRenderer.Render alone")]
    public byte[] RenderOnly() => MailRenderer.ToBytes(_renderer!.Render(_message!.MessageId, _message.Payload));

    /// <summary>(d) The four Fluid templates the renderer runs (subject, text, HTML, calendar description).</summary>
    [Benchmark(Description = "d Fluid templates alone (4)")]
    public int TemplatesOnly()
    {
        var payload = _message!.Payload;
        var model = payload.Model!;
        return _templates!.Render(payload.Language, "invitation.subject", model).Length
            + _templates.Render(payload.Language, "invitation.txt", model).Length
            + _templates.Render(payload.Language, "invitation.html", model).Length
            + _templates.Render(payload.Language, "invitation.description", model).Length;
    }

    private static void Warm(Func<int> run)
    {
        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        for (var calls = 0; calls < 3 || elapsed.Elapsed < TimeSpan.FromSeconds(1); calls++)
        {
            run();
        }
    }
}

/// <summary>The service's mail composition without a database: templates, composer, renderer, options.</summary>
internal static class MailServices
{
    public static ServiceProvider Create(IDictionary<string, string?>? overrides = null)
    {
        var settings = new Dictionary<string, string?>
        {
            // Required by the options; nothing here opens it.
            ["Storage:Path"] = Path.Combine(Path.GetTempPath(), "joecash-bench-unused.db"),
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return new ServiceCollection().AddLogging().AddSchedulerCore(SchedulerServices.BuildConfiguration(settings)).BuildServiceProvider(validateScopes: true);
    }

    /// <summary>Exactly the data MailRenderer hands to CalendarBuilder for this payload.</summary>
    public static CalendarEventData CalendarOf(MailPayload payload, TemplateCatalog templates)
    {
        var c = payload.Calendar!;
        return new CalendarEventData(
            c.Method, c.Uid, c.Sequence,
            Instant.FromUnixTimeMilliseconds(c.StartMilliseconds), Instant.FromUnixTimeMilliseconds(c.EndMilliseconds),
            Instant.FromUnixTimeMilliseconds(payload.CreatedAtMilliseconds), DateTimeZoneProviders.Tzdb[c.ZoneId],
            c.Summary, templates.Render(payload.Language, "invitation.description", payload.Model!).Trim(), c.Location,
            c.OrganizerEmail, c.OrganizerName, payload.RecipientEmail, payload.RecipientName, c.AlarmMinutesBefore);
    }
}
