using JoeCash.Scheduler.Mail;

namespace JoeCash.Scheduler.Tests.Mail;

public sealed class MailTextTests
{
    [Fact]
    public void Wrap_LongCostNotice_LinesOfAtMost72UnderTheirIndentation()
    {
        var notice = "  Bondrucker, EC-Terminals, Kassenladen, Anruferkennung und andere Peripheriegeräte, die nicht über JoeCash erworben wurden, sind Fremdhardware.";

        var wrapped = MailText.Wrap(notice);

        Assert.Equal(
            "  Bondrucker, EC-Terminals, Kassenladen, Anruferkennung und andere\n" +
            "  Peripheriegeräte, die nicht über JoeCash erworben wurden, sind\n" +
            "  Fremdhardware.",
            wrapped);
    }

    [Fact]
    public void Wrap_LabelAndBullet_ContinuationHangsUnderTheText()
    {
        var text = "Kostenhinweis: Schulungen und ausführliche Einweisungen nach der ersten Inbetriebnahme sind Zusatzleistungen.\n" +
                   "  - Halten Sie die Kasse während des Termins frei: Die Kasse darf nicht benutzt werden.";

        var wrapped = MailText.Wrap(text);

        Assert.Equal(
            "Kostenhinweis: Schulungen und ausführliche Einweisungen nach der ersten\n" +
            "               Inbetriebnahme sind Zusatzleistungen.\n" +
            "  - Halten Sie die Kasse während des Termins frei: Die Kasse darf nicht\n" +
            "    benutzt werden.",
            wrapped);
    }

    [Fact]
    public void Wrap_UrlsIdsTimesAndShortLines_NeverBroken()
    {
        var url = "https://joecash.test/hilfe/fernwartung-rustdesk/" + new string('x', 60);
        var text = $"  So starten Sie RustDesk: {url}\n  Ihre RustDesk-ID bei uns lautet seit heute wie folgt und bleibt gleich: 732 901 938\nkurz\n\n";

        var wrapped = MailText.Wrap(text);

        Assert.Contains("\n  " + url + "\n", wrapped, StringComparison.Ordinal);
        Assert.Contains("732 901 938", wrapped, StringComparison.Ordinal);
        Assert.EndsWith("\nkurz\n\n", wrapped, StringComparison.Ordinal);
        Assert.All(wrapped.Split('\n').Where(l => !l.Contains(url, StringComparison.Ordinal)), l => Assert.True(l.Length <= 72, l));
    }
}
