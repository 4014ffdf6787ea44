using System.Text.RegularExpressions;
using JoeCash.Scheduler.Tests.Infrastructure;

namespace JoeCash.Scheduler.Tests.Architecture;

/// <summary>
/// The rules of docs/architecture.md, read from the source: faces call services, features never import in
/// a circle, only Storage/ speaks SQLite, refusals carry no command-line words, files stay readable.
/// </summary>
public sealed partial class LayoutTests
{
    private static readonly string Source = Path.Combine(Paths.RepositoryRoot, "src", "JoeCash.Scheduler");

    private static IEnumerable<(string Folder, string Path, string Text)> Files(string root) =>
        Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{System.IO.Path.DirectorySeparatorChar}obj{System.IO.Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{System.IO.Path.DirectorySeparatorChar}bin{System.IO.Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => (Folder(root, f), f, File.ReadAllText(f)));

    private static string Folder(string root, string file)
    {
        var relative = System.IO.Path.GetRelativePath(root, file);
        var slash = relative.IndexOf(System.IO.Path.DirectorySeparatorChar, StringComparison.Ordinal);
        return slash < 0 ? "" : relative[..slash];
    }

    /// <summary>Which feature folders each folder uses: by using directive or by a qualified name.</summary>
    private static Dictionary<string, HashSet<string>> FolderGraph()
    {
        var files = Files(Source).Where(f => f.Folder.Length > 0).ToList();
        var folders = files.Select(f => f.Folder).ToHashSet(StringComparer.Ordinal);
        var graph = folders.ToDictionary(f => f, _ => new HashSet<string>(StringComparer.Ordinal), StringComparer.Ordinal);
        foreach (var (folder, _, text) in files)
        {
            var code = Comments().Replace(text, "");
            foreach (var other in folders.Where(o => o != folder))
            {
                if (code.Contains($"JoeCash.Scheduler.{other};", StringComparison.Ordinal)
                    || code.Contains($"JoeCash.Scheduler.{other}.", StringComparison.Ordinal)
                    || Regex.IsMatch(code, $@"(?<![\w.]){Regex.Escape(other)}\.[A-Z]\w*"))
                {
                    graph[folder].Add(other);
                }
            }
        }

        return graph;
    }

    [Fact]
    public void Folders_ImportEachOther_WithoutACycle()
    {
        var graph = FolderGraph();
        var state = new Dictionary<string, int>(StringComparer.Ordinal);
        var path = new Stack<string>();
        string? cycle = null;

        void Visit(string node)
        {
            state[node] = 1;
            path.Push(node);
            foreach (var next in graph[node].Order(StringComparer.Ordinal))
            {
                if (cycle is not null)
                {
                    break;
                }

                if (state.GetValueOrDefault(next) == 1)
                {
                    cycle = string.Join(" → ", path.Reverse().SkipWhile(n => n != next).Append(next));
                }
                else if (state.GetValueOrDefault(next) == 0)
                {
                    Visit(next);
                }
            }

            path.Pop();
            state[node] = 2;
        }

        foreach (var node in graph.Keys.Order(StringComparer.Ordinal).Where(n => state.GetValueOrDefault(n) == 0))
        {
            Visit(node);
        }

        Assert.True(cycle is null, $"folders import in a circle: {cycle}");
    }

    [Fact]
    public void Mail_KnowsNoFeature()
    {
        var features = new[] { "Booking", "Invitations", "Reminders", "Agenda", "Customers", "Technicians", "Replies", "Cli", "Hosting", "Demo" };

        Assert.Empty(FolderGraph()["Mail"].Intersect(features));
    }

    [Fact]
    public void Cli_HoldsNoSqlAndOpensNoTransaction()
    {
        var offenders = Files(Path.Combine(Source, "Cli"))
            .Where(f => Sql().IsMatch(f.Text) || f.Text.Contains("BeginWrite", StringComparison.Ordinal) || f.Text.Contains("BeginTransaction", StringComparison.Ordinal)
                || f.Text.Contains("OpenAsync(", StringComparison.Ordinal))
            .Select(f => System.IO.Path.GetFileName(f.Path));

        Assert.Empty(offenders);
    }

    [Fact]
    public void OnlyStorage_NamesAProvider()
    {
        var offenders = Files(Source)
            .Where(f => f.Folder != "Storage" && (f.Text.Contains("Sqlite", StringComparison.Ordinal) || f.Text.Contains("PRAGMA", StringComparison.Ordinal)
                || f.Text.Contains("sqlite_master", StringComparison.Ordinal) || f.Text.Contains("Npgsql", StringComparison.Ordinal)
                || f.Text.Contains("PostgresException", StringComparison.Ordinal)))
            .Select(f => System.IO.Path.GetRelativePath(Source, f.Path));

        Assert.Empty(offenders);
    }

    [Fact]
    public void RefusalsOutsideTheFaces_NameNoCommandLineFlag()
    {
        var domain = Path.Combine(Paths.RepositoryRoot, "src", "JoeCash.Scheduler.Domain");
        var offenders = Files(domain).Concat(Files(Source).Where(f => f.Folder != "Cli"))
            .SelectMany(f => Flag().Matches(f.Text).Select(m => $"{System.IO.Path.GetFileName(f.Path)}: {m.Value}"));

        Assert.Empty(offenders);
    }

    [Fact]
    public void SourceFiles_StayUnder300Lines()
    {
        var offenders = Files(Path.Combine(Paths.RepositoryRoot, "src"))
            .Select(f => (f.Path, Lines: f.Text.Split('\n').Length - (f.Text.EndsWith('\n') ? 1 : 0)))
            .Where(f => f.Lines > 300)
            .Select(f => $"{System.IO.Path.GetFileName(f.Path)}: {f.Lines}");

        Assert.Empty(offenders);
    }

    [GeneratedRegex(@"//.*$|/\*.*?\*/", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex Comments();

    [GeneratedRegex(@"\b(SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM)\b")]
    private static partial Regex Sql();

    /// <summary>A command-line flag inside a string literal: "--acknowledge-cost", "… --later".</summary>
    [GeneratedRegex(@"""[^""\n]*(?<![\w-])--[a-z][a-z-]+[^""\n]*""")]
    private static partial Regex Flag();
}
