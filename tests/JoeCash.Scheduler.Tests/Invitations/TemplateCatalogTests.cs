using JoeCash.Scheduler.Configuration;
using JoeCash.Scheduler.Mail;
using JoeCash.Scheduler.Tests.Infrastructure;

namespace JoeCash.Scheduler.Tests.Invitations;

public sealed class TemplateCatalogTests
{
    internal static TempDirectory CopyOfShippedTemplates()
    {
        var copy = new TempDirectory();
        var shipped = Path.Combine(AppContext.BaseDirectory, "config", "templates");
        foreach (var file in Directory.GetFiles(shipped, "*.liquid", SearchOption.AllDirectories))
        {
            var target = Path.Combine(copy.FullPath, Path.GetRelativePath(shipped, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        return copy;
    }

    [Fact]
    public void Load_ShippedTemplates_EveryRequiredTemplateInBothLanguages()
    {
        using var copy = CopyOfShippedTemplates();

        var catalog = TemplateCatalog.Load(copy.FullPath, Invitations.Sets);

        Assert.Equal(copy.FullPath, catalog.Directory);
    }

    public static TheoryData<string, string, string> Broken => new()
    {
        // file, what an administrator did to it, what the error says
        { "de/invitation.txt.liquid", "", "de/invitation.txt.liquid: missing." },
        { "en/reminder.subject.liquid", "Reminder {% if billable %}", "en/reminder.subject.liquid" },
        { "de/cancellation.html.liquid", "Hallo {{ kontakt_name }}", "de/cancellation.html.liquid: Undefined variable 'kontakt_name'" },
        { "en/agenda.txt.liquid", "{{ date | no_such_filter }}", "en/agenda.txt.liquid" },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void Load_MissingOrBrokenTemplate_StopsWithTheFileNamed(string file, string content, string expected)
    {
        using var copy = CopyOfShippedTemplates();
        var path = Path.Combine(copy.FullPath, file);
        if (content.Length == 0)
        {
            File.Delete(path);
        }
        else
        {
            File.WriteAllText(path, content);
        }

        var error = Assert.Throws<ConfigurationException>(() => TemplateCatalog.Load(copy.FullPath, Invitations.Sets));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Single(error.Problems);
    }
}
