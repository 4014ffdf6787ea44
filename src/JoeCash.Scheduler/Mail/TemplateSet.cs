namespace JoeCash.Scheduler.Mail;

/// <summary>
/// One kind of email a feature sends, as the mail layer sees it: the template files
/// (<c>config/templates/&lt;language&gt;/&lt;Name&gt;.&lt;part&gt;.liquid</c>), the model type they read, and a
/// full sample to check them with at start-up. Features register their sets; Mail knows none of them.
/// </summary>
/// <param name="Name">The file prefix and the payload's template name, e.g. <c>invitation</c>.</param>
/// <param name="Model">The type the templates read; payloads are read back into it.</param>
/// <param name="Sample">A model with every value set, rendered with strict variables at start-up.</param>
/// <param name="MemberTypes">Further types the templates reach through the model (e.g. list entries).</param>
/// <param name="CalendarDescription">The template (full name) that writes the calendar DESCRIPTION, for sets that carry a calendar.</param>
public sealed record TemplateSet(
    string Name,
    Type Model,
    Func<object> Sample,
    IReadOnlyList<Type>? MemberTypes = null,
    string? CalendarDescription = null)
{
    /// <summary>The parts every set has: subject, plain text, HTML.</summary>
    public static readonly IReadOnlyList<string> Parts = ["subject", "txt", "html"];

    public string Subject => Name + ".subject";

    public string Text => Name + ".txt";

    public string Html => Name + ".html";

    /// <summary>Every template this set needs in every language.</summary>
    public IEnumerable<string> Templates => Parts.Select(p => $"{Name}.{p}").Concat(CalendarDescription is { } d && d.StartsWith(Name + ".", StringComparison.Ordinal) ? [d] : []);
}
