using System.Collections.Frozen;
using System.Text.Encodings.Web;
using Fluid;
using JoeCash.Scheduler.Configuration;
using JoeCash.Scheduler.Domain;

namespace JoeCash.Scheduler.Invitations;

/// <summary>
/// The mail templates under <c>config/templates/&lt;language&gt;/&lt;name&gt;.liquid</c>, parsed once at
/// start-up. A missing or broken template stops the service with a message naming the file, so an
/// administrator can change wording without a rebuild and without surprises at 07:00.
/// </summary>
public sealed class TemplateCatalog
{
    /// <summary>The templates every language must have.</summary>
    public static readonly IReadOnlyList<string> Required =
    [
        "invitation.subject", "invitation.txt", "invitation.html", "invitation.description",
        "cancellation.subject", "cancellation.txt", "cancellation.html",
        "reminder.subject", "reminder.txt", "reminder.html",
        "agenda.subject", "agenda.txt", "agenda.html",
    ];

    private static readonly FluidParser Parser = new();

    private readonly FrozenDictionary<(Language, string), IFluidTemplate> _templates;
    private readonly TemplateOptions _options;

    private TemplateCatalog(FrozenDictionary<(Language, string), IFluidTemplate> templates, TemplateOptions options)
    {
        _templates = templates;
        _options = options;
    }

    public string Directory { get; private init; } = "";

    /// <summary>Loads and checks every required template of every language; throws naming each file at fault.</summary>
    public static TemplateCatalog Load(string directory, IEnumerable<string>? required = null)
    {
        var names = (required ?? Required).ToArray();
        var errors = new List<string>();
        var templates = new Dictionary<(Language, string), IFluidTemplate>();
        foreach (var language in Enum.GetValues<Language>())
        {
            foreach (var name in names)
            {
                var path = Path.Combine(directory, language.Code(), name + ".liquid");
                if (!File.Exists(path))
                {
                    errors.Add($"{path}: missing.");
                    continue;
                }

                if (!Parser.TryParse(File.ReadAllText(path), out var template, out var error))
                {
                    errors.Add($"{path}: {error}");
                    continue;
                }

                templates[(language, name)] = template;
            }
        }

        var frozen = templates.ToFrozenDictionary();
        if (errors.Count == 0)
        {
            // Parsing is not enough: render each with a full sample, strict variables and filters, so a misspelt
            // variable or a bad filter stops the service now instead of leaving a blank in a shop's email.
            var strict = new TemplateCatalog(frozen, CreateOptions(strict: true));
            foreach (var ((language, name), _) in templates)
            {
                try
                {
                    object sample = name.Split('.')[0] switch
                    {
                        "agenda" => Agenda.AgendaModel.Sample,
                        "cancellation" => MessageModel.Sample("cancel"),
                        "reminder" => MessageModel.Sample("reminder"),
                        _ => MessageModel.Sample("request"),
                    };
                    var text = strict.Render(language, name, sample);
                    if (string.IsNullOrWhiteSpace(text))
                    {
                        errors.Add($"{Path.Combine(directory, language.Code(), name + ".liquid")}: renders to nothing.");
                    }
                }
                catch (Exception e) when (e is FluidException or InvalidOperationException or ArgumentException or FormatException)
                {
                    errors.Add($"{Path.Combine(directory, language.Code(), name + ".liquid")}: {e.Message}");
                }
            }
        }

        return errors.Count > 0
            ? throw new ConfigurationException([.. errors.Select(e => "template " + e)])
            : new TemplateCatalog(frozen, CreateOptions(strict: false)) { Directory = directory };
    }

    private static TemplateOptions CreateOptions(bool strict)
    {
        var options = new TemplateOptions
        {
            MemberAccessStrategy = new DefaultMemberAccessStrategy { MemberNameStrategy = MemberNameStrategies.SnakeCase },
            StrictVariables = strict,
            StrictFilters = strict,
        };
        options.MemberAccessStrategy.Register<MessageModel>();
        options.MemberAccessStrategy.Register<Agenda.AgendaModel>();
        options.MemberAccessStrategy.Register<Agenda.AgendaEntryModel>();
        return options;
    }

    /// <summary>Renders a template; <c>.html</c> templates HTML-encode every value, the others write text as is.</summary>
    public string Render(Language language, string name, object model)
    {
        var template = _templates[(language, name)];
        var context = new TemplateContext(model, _options);
        var encoder = name.EndsWith(".html", StringComparison.Ordinal) ? (TextEncoder)HtmlEncoder.Default : NullEncoder.Default;
        return template.Render(context, encoder);
    }
}
