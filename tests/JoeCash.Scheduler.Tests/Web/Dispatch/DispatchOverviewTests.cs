using System.Globalization;
using System.Text.Json;
using JoeCash.Scheduler.Tests.Infrastructure;
using JoeCash.Scheduler.Tests.Replies;
using JoeCash.Scheduler.Tests.Web.Day;
using Microsoft.Playwright;
using NodaTime;
using NodaTime.Text;

namespace JoeCash.Scheduler.Tests.Web.Dispatch;

/// <summary>
/// The dispatcher's overview in a real browser: each of the five kinds that need a person (no answer close to the
/// start, declined, a counter-proposal, a shop without a RustDesk ID, a failed email) appears in its section, and each
/// action does what the dispatcher expects: Accept moves the appointment, Decline sends the shop METHOD:DECLINECOUNTER,
/// Retry sends the failed email once the mail server is back.
/// </summary>
[Collection(nameof(BrowserTests))]
public sealed class DispatchOverviewTests(Browser browser) : IAsyncLifetime
{
    private const string Shop = "mehmet.richter@baeckerei.shop.test";
    private static readonly DateTimeZone Berlin = DateTimeZoneProviders.Tzdb["Europe/Berlin"];

    private readonly int _smtpPort = FreePorts.Next();
    private WebServer _server = null!;

    public async ValueTask InitializeAsync()
    {
        // The mail server is down (nothing listens on its port): every email fails after a second.
        _server = await WebServer.StartAsync(settings: new Dictionary<string, string>
        {
            ["Mail:Smtp:Host"] = "127.0.0.1",
            ["Mail:Smtp:Port"] = _smtpPort.ToString(CultureInfo.InvariantCulture),
            ["Mail:Smtp:Security"] = "None",
            ["Mail:RetryBaseDelay"] = "00:00:01",
            ["Mail:GiveUpAfter"] = "00:00:01",
        });
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Each_kind_needing_a_person_is_listed_and_its_action_does_what_it_says()
    {
        // A technician on call every day, so "within 48 hours" exists whatever day the test runs.
        var added = await _server.Cli.RunAsync("technician", "add", "--name", "Nora Notdienst", "--email", "nora@joecash.test", "--state", "BE", "--hours", "Mon-Sun 00:00-24:00");
        Assert.True(added.ExitCode == 0, added.ToString());
        var nora = await DayServer.TechnicianIdAsync(_server, "nora@joecash.test");
        var now = CliDates.Now.InZone(Berlin).LocalDateTime;
        var soonStart = now.Date.At(new LocalTime(now.Hour, 0)).PlusHours(4);

        var unanswered = await BookFirstAsync("K10001", nora, Enumerable.Range(0, 36).Select(h => soonStart.PlusHours(h)));
        var declined = await BookFirstAsync("K10001", nora, Days(now.Date.PlusDays(3), 10));
        var noId = await BookFirstAsync("K10007", nora, Days(Day(declined).PlusDays(1), 10));
        var accepted = await BookFirstAsync("K10001", nora, Days(Day(noId).PlusDays(1), 10));
        var refused = await BookFirstAsync("K10001", nora, Days(Day(accepted).PlusDays(1), 10));
        var acceptedTo = Day(accepted).At(new LocalTime(14, 0));
        var refusedTo = Day(refused).At(new LocalTime(14, 0));

        // The shop answers by email: one decline, two proposals of another time the same day.
        await ReplyAsync(declined, "decline", s => s with { PartStat = "DECLINED", Comment = "Da ist Inventur." });
        await ReplyAsync(accepted, "counter-1", s => s with { Method = "COUNTER", PartStat = "TENTATIVE", ProposedStart = Utc(acceptedTo), ProposedEnd = Utc(acceptedTo.PlusHours(1)) });
        await ReplyAsync(refused, "counter-2", s => s with { Method = "COUNTER", PartStat = "TENTATIVE", ProposedStart = Utc(refusedTo), ProposedEnd = Utc(refusedTo.PlusHours(1)) });
        var invitation = await WaitForAllFailedAsync(Id(unanswered));

        await using var context = await browser.NewContextAsync(_server.Address);
        var page = await context.NewPageAsync();
        await SignInAsync(page);
        var proposals = Section(page, "proposals-heading");
        var attention = Section(page, "attention-heading");
        var mail = Section(page, "mail-heading");
        await Assertions.Expect(proposals.Locator("article", new() { Has = Link(page, accepted) })).ToContainTextAsync(Shop, new() { Timeout = 40_000 });
        await Assertions.Expect(proposals.Locator("article", new() { Has = Link(page, refused) })).ToContainTextAsync(Shop);
        await Assertions.Expect(attention.Locator("article", new() { Has = Link(page, unanswered) })).ToContainTextAsync("noch keine Antwort");
        await Assertions.Expect(attention.Locator("article", new() { Has = Link(page, declined) })).ToContainTextAsync("abgesagt von der Filiale");
        await Assertions.Expect(attention.Locator("article", new() { Has = Link(page, noId) })).ToContainTextAsync("keine RustDesk-ID");
        await Assertions.Expect(attention.Locator("article", new() { Has = Link(page, noId) })).Not.ToContainTextAsync("noch keine Antwort");
        await Assertions.Expect(attention.Locator("article", new() { Has = Link(page, accepted) })).ToHaveCountAsync(0);
        var failed = mail.Locator("article", new() { Has = Link(page, unanswered), HasText = Shop });
        await Assertions.Expect(failed).ToHaveCountAsync(1);
        await Assertions.Expect(failed).ToContainTextAsync(invitation.GetProperty("subject").GetString()!);
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "the overview scrolls sideways");
        await Browser.ScreenshotAsync(page, "dispatch-overview-five-kinds-desktop");

        // The mail server is back: Retry sends the failed invitation.
        using var sink = new SmtpSink(_smtpPort);
        await sink.StartAsync();
        await failed.GetByRole(AriaRole.Button, new() { Name = "Erneut senden" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Die E-Mail ist wieder in der Warteschlange und geht gleich hinaus.");
        var messageId = invitation.GetProperty("messageId").GetString()!;
        Assert.NotEqual("failed", (await MessageAsync(invitation.GetProperty("id").GetInt64())).GetProperty("status").GetString());
        await WaitUntilAsync(() => Task.FromResult(sink.MessageIds().Any(m => messageId.Contains(m, StringComparison.Ordinal) || m.Contains(messageId, StringComparison.Ordinal))), "the retried invitation never reached the mail server");
        await Assertions.Expect(mail.Locator("article", new() { Has = Link(page, unanswered), HasText = Shop })).ToHaveCountAsync(0);

        // Accept: the appointment moves to the shop's time.
        await proposals.Locator("article", new() { Has = Link(page, accepted) }).GetByRole(AriaRole.Button, new() { Name = "Annehmen" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Vorschlag angenommen");
        await Assertions.Expect(proposals.Locator("article", new() { Has = Link(page, accepted) })).ToHaveCountAsync(0);
        Assert.StartsWith(Text(acceptedTo), await LocalStartAsync(accepted), StringComparison.Ordinal);

        // Decline: the appointment stays and the shop is told so (METHOD:DECLINECOUNTER).
        await proposals.Locator("article", new() { Has = Link(page, refused) }).GetByRole(AriaRole.Button, new() { Name = "Ablehnen" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Vorschlag abgelehnt");
        await Assertions.Expect(proposals.Locator("article")).ToHaveCountAsync(0);
        Assert.StartsWith(Text(Day(refused).At(new LocalTime(10, 0))), await LocalStartAsync(refused), StringComparison.Ordinal);
        var answer = (await MailListAsync()).Single(m => m.GetProperty("kind").GetString() == "counter-declined");
        Assert.Equal(Id(refused), answer.GetProperty("appointment").GetInt64());
        Assert.Equal(Shop, answer.GetProperty("recipient").GetString());
        await WaitUntilAsync(() => Task.FromResult(sink.MessageIds().Any(m => m.Contains($"declinecounter-", StringComparison.Ordinal))), "DECLINECOUNTER never reached the mail server");
        await Browser.ScreenshotAsync(page, "dispatch-overview-after-actions-desktop");
    }

    private async Task<JsonElement> BookFirstAsync(string customer, long technician, IEnumerable<LocalDateTime> candidates)
    {
        var tried = new List<string>();
        foreach (var at in candidates)
        {
            var booked = await _server.Cli.RunAsync("book", "--customer", customer, "--type", "fault", "--technician", $"{technician}", "--at", Text(at), "--json");
            if (booked.ExitCode == 0)
            {
                return booked.Json;
            }

            tried.Add(booked.ToString());
        }

        Assert.Fail("no candidate time could be booked:\n" + string.Join("\n", tried));
        return default;
    }

    private async Task ReplyAsync(JsonElement booked, string name, Func<ReplySpec, ReplySpec> shape)
    {
        var spec = shape(new ReplySpec(booked.GetProperty("uid").GetString()!, 0, Shop, "Mehmet Richter", "support@joecash.test"));
        var reply = ReplyShapes.Build(ReplyClient.OutlookDe, spec, Shop, "support@joecash.test");
        await File.WriteAllBytesAsync(Path.Combine(DayServer.RepliesDirectory(_server), name + ".eml"), ReplyShapes.ToBytes(reply));
    }

    /// <summary>Waits until nothing is waiting to be sent; the shop's invitation for <paramref name="appointment"/>, failed.</summary>
    private async Task<JsonElement> WaitForAllFailedAsync(long appointment)
    {
        JsonElement[] messages = [];
        await WaitUntilAsync(async () =>
        {
            messages = await MailListAsync();
            return messages.All(m => m.GetProperty("status").GetString() == "failed") && messages.Any(m => IsInvitation(m, appointment));
        }, "the emails did not all fail while the mail server was down");
        return messages.Single(m => IsInvitation(m, appointment));
    }

    private static bool IsInvitation(JsonElement message, long appointment) =>
        message.GetProperty("appointment").ValueKind == JsonValueKind.Number && message.GetProperty("appointment").GetInt64() == appointment
        && message.GetProperty("recipient").GetString() == Shop;

    private async Task<JsonElement[]> MailListAsync()
    {
        var listed = await _server.Cli.RunAsync("mail", "list", "--limit", "500", "--json");
        Assert.True(listed.ExitCode == 0, listed.ToString());
        return [.. listed.Json.GetProperty("messages").EnumerateArray()];
    }

    private async Task<JsonElement> MessageAsync(long id) => (await MailListAsync()).Single(m => m.GetProperty("id").GetInt64() == id);

    private async Task<string> LocalStartAsync(JsonElement booked)
    {
        var shown = await _server.Cli.RunAsync("show", Id(booked).ToString(CultureInfo.InvariantCulture), "--json");
        return shown.Json.GetProperty("appointment").GetProperty("localStart").GetString()!;
    }

    private async Task SignInAsync(IPage page)
    {
        await page.GotoAsync("/sign-in?ReturnUrl=%2Fdispatch");
        await page.GetByLabel("E-Mail-Adresse").FillAsync(WebServer.Dispatcher);
        await page.GetByLabel("Passwort").FillAsync(_server.DemoPassword!);
        await page.GetByLabel("Passwort").PressAsync("Enter");
        await page.WaitForURLAsync("**/dispatch");
    }

    private static ILocator Section(IPage page, string heading) => page.Locator($"section[aria-labelledby='{heading}']");

    private static ILocator Link(IPage page, JsonElement booked) => page.Locator($"a[href='/dispatch/appointments/{Id(booked)}']");

    private static long Id(JsonElement booked) => booked.GetProperty("id").GetInt64();

    private static LocalDate Day(JsonElement booked) =>
        InstantPattern.General.Parse(booked.GetProperty("start").GetString()!).Value.InZone(Berlin).Date;

    private static IEnumerable<LocalDateTime> Days(LocalDate first, int hour) => Enumerable.Range(0, 6).Select(d => first.PlusDays(d).At(new LocalTime(hour, 0)));

    private static string Text(LocalDateTime at) => at.ToString("uuuu-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);

    private static Instant Utc(LocalDateTime at) => Berlin.AtStrictly(at).ToInstant();

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string failure)
    {
        for (var waited = System.Diagnostics.Stopwatch.StartNew(); waited.Elapsed < TimeSpan.FromSeconds(60); await Task.Delay(250))
        {
            if (await condition())
            {
                return;
            }
        }

        Assert.Fail(failure);
    }
}
