using System.Net;
using Ical.Net;
using JoeCash.Scheduler.Configuration;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Invitations;
using JoeCash.Scheduler.Reminders;
using Microsoft.Extensions.Configuration;
using static JoeCash.Scheduler.Tests.Invitations.Invitations;

namespace JoeCash.Scheduler.Tests.Invitations;

/// <summary>
/// Renders every shipped template for every configured type, both languages, with and without a
/// support contract, and reads each text (plain, HTML, calendar description; invitation and reminder)
/// against what the support policy says: RustDesk ready, the till rule, the EC terminal's own
/// problems apart from connecting third-party hardware, and a cost notice exactly when billable.
/// </summary>
public sealed class TemplateStatementTests
{
    private static readonly IConfiguration Shipped = new ConfigurationBuilder()
        .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "config", "appsettings.json"), optional: false)
        .Build();

    private static readonly AppointmentTypeCatalog Types = AppointmentTypeCatalog.FromConfiguration(Shipped);

    private static readonly SchedulerOptions Scheduler = Shipped.GetSection(SchedulerOptions.Section).Get<SchedulerOptions>()!;

    public static TheoryData<string, Language, bool> Cases()
    {
        var cases = new TheoryData<string, Language, bool>();
        foreach (var type in Types.All)
        {
            foreach (var language in Enum.GetValues<Language>())
            {
                cases.Add(type.Key, language, true);
                cases.Add(type.Key, language, false);
            }
        }

        return cases;
    }

    [Fact]
    public void Cases_EveryShippedType_Covered() =>
        Assert.Equal(["fault", "pricelist", "training", "third-party-hardware"], Types.All.Select(t => t.Key));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Render_EveryTemplate_SaysWhatThePolicySays(string typeKey, Language language, bool contract)
    {
        var type = Types.Find(typeKey).Value;
        var customer = Customer(language, contract: contract);
        var context = new AppointmentContext(Appointment(Local(2026, 12, 1, 10)) with { TypeKey = typeKey }, customer, Anna, type);
        var composer = Composer();
        var invitation = Parse(Assert.Single(composer.Compose(InvitationKind.Request, context, Now)));
        var reminder = Parse(Assert.Single(new ReminderComposer(composer, MailComposer).Compose(context, 60, Now)));
        var description = Calendar.Load(CalendarPart(invitation).Text)!.Events.Single().Description!;
        var texts = new Dictionary<string, string>
        {
            ["invitation.txt"] = Flat(invitation.TextBody),
            ["invitation.html"] = Html(invitation.HtmlBody),
            ["invitation.description"] = Flat(description),
            ["reminder.txt"] = Flat(reminder.TextBody),
            ["reminder.html"] = Html(reminder.HtmlBody),
        };
        var billable = !contract || type.Billable;
        var de = language == Language.De;
        var notice = Flat(Billing.CostNotice(type, customer, language, Scheduler.NoContractNotice) ?? "");

        foreach (var (name, text) in texts)
        {
            var at = $"{typeKey}/{language}/{(contract ? "contract" : "no contract")}/{name}: {text[text.IndexOf("RustDesk", StringComparison.Ordinal)..]}";
            // RustDesk, and TeamViewer no longer supported
            Assert.True(text.Contains("RustDesk", StringComparison.Ordinal) && text.Contains("TeamViewer", StringComparison.Ordinal), at);
            // The till: not used unless the support technician says so; the support user visible bottom left
            Assert.True(de
                ? text.Contains("Kasse darf nicht von den Filialmitarbeitern benutzt werden, außer der Support-Mitarbeiter gibt sein Okay", StringComparison.Ordinal)
                    && text.Contains("unten links in der Kassenanzeige", StringComparison.Ordinal)
                : text.Contains("must not use the till unless the support technician gives the okay", StringComparison.Ordinal)
                    && text.Contains("bottom left on the till's screen", StringComparison.Ordinal), at);
            // The EC terminal's own problems are for the EC support; connecting it is a billable special service.
            if (text.Contains(de ? "EC-Terminal" : "card terminal", StringComparison.Ordinal))
            {
                Assert.True(de
                    ? text.Contains("EC-Terminal", StringComparison.Ordinal) && text.Contains("selbst", StringComparison.Ordinal) && text.Contains("EC-Support", StringComparison.Ordinal)
                        && text.Contains("Anbinden", StringComparison.Ordinal) && text.Contains("Sonderleistung", StringComparison.Ordinal)
                    : text.Contains("card terminal itself", StringComparison.Ordinal) && text.Contains("card-terminal support", StringComparison.Ordinal)
                        && text.Contains("Connecting", StringComparison.Ordinal) && text.Contains("special service", StringComparison.Ordinal), at);
                Assert.DoesNotContain(de ? "oder dem EC-Terminal sowie" : "the card terminal and bookkeeping", text, StringComparison.Ordinal);
            }

            // A cost notice exactly when billable, saying why
            var heading = de ? "Kostenhinweis" : "Cost notice";
            if (billable)
            {
                Assert.True(text.Contains(heading, StringComparison.Ordinal), at);
                Assert.Contains(notice, text, StringComparison.Ordinal);
                Assert.Equal(!contract, text.Contains(de ? "kein JoeCash-Supportvertrag" : "no JoeCash support contract", StringComparison.Ordinal));
            }
            else
            {
                Assert.DoesNotContain(heading, text, StringComparison.Ordinal);
                Assert.DoesNotContain(de ? "kein JoeCash-Supportvertrag" : "no JoeCash support contract", text, StringComparison.Ordinal);
                Assert.DoesNotContain(de ? "gesondert berechnet" : "billed separately", text, StringComparison.Ordinal);
            }
        }

        // Connecting third-party hardware is billed: the cost notice says so.
        if (typeKey == "third-party-hardware")
        {
            Assert.Contains(de ? "Das Anbinden dieser Geräte an die Kasse" : "Connecting them to the till", notice, StringComparison.Ordinal);
        }
    }

    /// <summary>What a reader of the HTML part sees: tags gone, entities decoded, white space collapsed.</summary>
    private static string Html(string? html) =>
        System.Text.RegularExpressions.Regex.Replace(
            Flat(WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Replace(html ?? "", "<[^>]+>", " "))), @" ([,.;:])", "$1");
}
