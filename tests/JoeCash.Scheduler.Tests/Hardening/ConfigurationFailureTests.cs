using JoeCash.Scheduler.Tests.Infrastructure;

namespace JoeCash.Scheduler.Tests.Hardening;

/// <summary>
/// A bad setting never switches a promise off quietly: every verb, and <c>serve</c>, stops before doing
/// anything, with exit code 2 and a message that names the key — lists and nested values too.
/// </summary>
public sealed class ConfigurationFailureTests : IDisposable
{
    private readonly TempDirectory _folder = new();
    private readonly Infrastructure.Cli _cli;

    public ConfigurationFailureTests() => _cli = new Infrastructure.Cli(_folder);

    public void Dispose() => _folder.Dispose();

    public static TheoryData<string, string, string> BadSettings => new()
    {
        { "Reminders__Offsets__0", "abc", "Reminders:Offsets:0: 'abc' is not a duration" },
        { "Reminders__Offsets__1", "-01:00:00", "Reminders:Offsets" },
        { "Reminders__Offsets__x", "01:00:00", "Reminders:Offsets:x: 'x' is not a list position" },
        { "Reminders__Offsets", "01:00:00", "Reminders:Offsets: '01:00:00' is a single value, but this setting is a list" },
        { "Reminders__Ofsets__0", "01:00:00", "Reminders:Ofsets is not a setting" },
        { "Reminders__SweepInterval", "often", "Reminders:SweepInterval" },
        { "Reminders__BatchSize", "0", "Reminders:BatchSize" },
        { "Mail__Smtp__Port", "smtp", "Mail:Smtp:Port: 'smtp' is not a whole number" },
        { "Mail__Smtp__Port", "70000", "Mail:Smtp:Port" },
        { "Mail__Smtp__Security", "Maybe", "Mail:Smtp:Security" },
        { "Mail__Smtp__Hots", "mail.shop.test", "Mail:Smtp:Hots is not a setting" },
        { "Mail__Smtp", "mail.shop.test", "Mail:Smtp: 'mail.shop.test' is a single value, but this setting is a section" },
        { "Mail__From", "support at joecash", "Mail:From" },
        { "Mail__BatchSize", "-1", "Mail:BatchSize" },
        { "Mail__GiveUpAfter", "forever", "Mail:GiveUpAfter" },
        { "Mail__RustDeskHelpUrl", "javascript:alert(1)", "Mail:RustDeskHelpUrl" },
        { "Agenda__Hour", "25", "Agenda:Hour" },
        { "Agenda__SendWhenEmpty", "ja", "Agenda:SendWhenEmpty: 'ja' is not true or false" },
        { "Agenda__Language", "fr", "Agenda:Language" },
        { "Scheduler__TimeZone", "Mars/Olympus", "Scheduler:TimeZone" },
        { "Scheduler__MinimumNotice", "soon", "Scheduler:MinimumNotice" },
        { "Scheduler__SlotGridMinutes", "7", "Scheduler:SlotGridMinutes" },
        { "Storage__Path", " ", "Storage:Path" },
        { "SelfService__CancelNotice", "soon", "SelfService:CancelNotice: 'soon' is not a duration" },
        { "SelfService__CancelNoitce", "02:00:00", "SelfService:CancelNoitce is not a setting" },
        { "SelfService__LinkKey", "c2hvcnQ=", "SelfService:LinkKey: not base64 of at least 32 bytes" },
        { "SelfService__RescheduleDays", "0", "SelfService:RescheduleDays" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task Verb_BadSetting_StopsBeforeAnythingAndNamesTheKey(string key, string value, string expected)
    {
        var result = await _cli.RunWithAsync(new Dictionary<string, string> { ["JOECASH_" + key] = value }, "migrate");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(expected, result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_folder.File("data")), "the verb ran despite the bad setting");
    }

    [Theory]
    [InlineData("Reminders__Offsets__0", "abc", "Reminders:Offsets:0")]
    [InlineData("Mail__Smtp__Port", "smtp", "Mail:Smtp:Port")]
    [InlineData("Scheduler__SlotGridMinutes", "7", "Scheduler:SlotGridMinutes: 7 must divide a day")]
    public async Task Serve_BadSetting_DoesNotStart(string key, string value, string expected)
    {
        var result = await _cli.RunWithAsync(new Dictionary<string, string> { ["JOECASH_" + key] = value }, "serve");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(expected, result.Stderr, StringComparison.Ordinal);
        // One line that names the key, not the host's stack trace in the log as well.
        Assert.DoesNotContain("   at ", result.Stderr + result.Stdout, StringComparison.Ordinal);
        // Nothing at all: no database, and no folder beside it (the web face's key ring is made on first use).
        Assert.False(Directory.Exists(Path.GetDirectoryName(_cli.DatabasePath)), "serve left its data folder behind despite the bad setting");
    }

    [Fact]
    public async Task Serve_BrokenTemplate_DoesNotStartAndNamesTheFile()
    {
        // serve checks the templates on another thread while it builds the host; a broken one must still stop it before
        // anything runs, as a bad setting does.
        using var templates = Invitations.TemplateCatalogTests.CopyOfShippedTemplates();
        await File.WriteAllTextAsync(Path.Combine(templates.FullPath, "de", "reminder.txt.liquid"), "Hallo {{ kontakt_name }}");

        var result = await _cli.RunWithAsync(new Dictionary<string, string> { ["JOECASH_Mail__TemplateDirectory"] = templates.FullPath }, "serve");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("de/reminder.txt.liquid: Undefined variable 'kontakt_name'", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.GetDirectoryName(_cli.DatabasePath)), "serve left its data folder behind despite the broken template");
    }

    public static TheoryData<string, string> BadConfigFiles => new()
    {
        { "missing", "which does not exist" },
        { "folder", "which does not exist (or is not a file)" },
        { "broken", "config.json" },
        { "wrong", "Reminders:Offsets:0: 'eine Stunde' is not a duration" },
    };

    [Theory]
    [MemberData(nameof(BadConfigFiles))]
    public async Task Verb_BadConfigFile_SaysWhichFileAndWhat(string kind, string expected)
    {
        var file = _folder.File("config.json");
        switch (kind)
        {
            case "folder":
                Directory.CreateDirectory(file);
                break;
            case "broken":
                await File.WriteAllTextAsync(file, """{ "Mail": { "From": "support@joecash.test", } """);
                break;
            case "wrong":
                await File.WriteAllTextAsync(file, """{ "Reminders": { "Offsets": [ "eine Stunde" ] } }""");
                break;
        }

        var result = await _cli.RunWithAsync(new Dictionary<string, string> { ["JOECASH_CONFIG"] = file }, "types");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(expected, result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }
}
