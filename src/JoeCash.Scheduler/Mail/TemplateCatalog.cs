using System.Collections.Frozen;
using System.Text.Encodings.Web;
using Fluid;
using JoeCash.Scheduler.Configuration;
using JoeCash.Scheduler.Domain;

namespace JoeCash.Scheduler.Mail;

/// <summary>
/// The mail templates of every registered <see cref="TemplateSet"/>, under
/// <c>config/templates/&lt;language&gt;/&lt;name&gt;.liquid</c>, parsed once at start-up. A missing or broken
/// template stops the service with a message naming the file, so an administrator can change wording
/// without a rebuild and without surprises at 07:00.
/// </summary>
public sealed class TemplateCatalog
{
    private static readonly FluidParser Parser = new();

    private readonly FrozenDictionary<(Language, string), IFluidTemplate> _templates;
    private readonly TemplateOptions _options;
    private readonly FrozenDictionary<string, TemplateSet> _sets;

    private TemplateCatalog(FrozenDictionary<(Language, string), IFluidTemplate> templates, TemplateOptions options, FrozenDictionary<string, TemplateSet> sets)
    {
        _templates = templates;
        _options = options;
        _sets = sets;
    }

    public string Directory { get; private init; } = "";

    /// <summary>The set a payload names; a name no feature registered is a damaged payload.</summary>
    public TemplateSet Set(string name) =>
        _sets.TryGetValue(name, out var set) ? set : throw new InvalidDataException($"there is no template set '{name}' (known: {string.Join(", ", _sets.Keys.Order(StringComparer.Ordinal))}).");

    /// <summary>Loads and checks every template of every set in every language; throws naming each file at fault.</summary>
    public static TemplateCatalog Load(string directory, IEnumerable<TemplateSet> sets)
    {
        var setList = sets.ToList();
        var byName = setList.ToFrozenDictionary(s => s.Name, StringComparer.Ordinal);
        var names = setList.SelectMany(s => s.Templates).Distinct(StringComparer.Ordinal).ToArray();
        var samples = setList.SelectMany(s => s.Templates.Select(t => (Template: t, Set: s))).GroupBy(x => x.Template).ToDictionary(g => g.Key, g => g.First().Set);
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
            var strict = new TemplateCatalog(frozen, CreateOptions(strict: true, setList), byName);
            foreach (var ((language, name), _) in templates)
            {
                try
                {
                    var sample = samples[name].Sample();
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
            : new TemplateCatalog(frozen, CreateOptions(strict: false, setList), byName) { Directory = directory };
    }

    private static TemplateOptions CreateOptions(bool strict, IEnumerable<TemplateSet> sets)
    {
        var options = new TemplateOptions
        {
            MemberAccessStrategy = new DefaultMemberAccessStrategy { MemberNameStrategy = MemberNameStrategies.SnakeCase },
            StrictVariables = strict,
            StrictFilters = strict,
        };
        foreach (var type in sets.SelectMany(s => (s.MemberTypes ?? []).Prepend(s.Model)).Distinct())
        {
            options.MemberAccessStrategy.Register(type);
        }

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
