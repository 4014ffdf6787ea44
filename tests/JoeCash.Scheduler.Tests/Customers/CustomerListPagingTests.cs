using System.Text;
using JoeCash.Scheduler.Tests.Infrastructure;

namespace JoeCash.Scheduler.Tests.Customers;

/// <summary>Issue 7: <c>customer list</c> shows one page (keyset by number), says "N of M shops" and how to get the next.</summary>
public sealed class CustomerListPagingTests : IDisposable
{
    private readonly TempDirectory _folder = new();
    private readonly Infrastructure.Cli _cli;

    public CustomerListPagingTests() => _cli = new Infrastructure.Cli(_folder);

    public void Dispose() => _folder.Dispose();

    /// <summary>The 30 shops of the sample export (its two over-long RustDesk IDs shortened).</summary>
    private async Task ImportSampleAsync()
    {
        Assert.Equal(0, (await _cli.RunAsync("migrate")).ExitCode);
        var repaired = _folder.File("shops.csv");
        await File.WriteAllTextAsync(repaired, (await File.ReadAllTextAsync(Paths.ShopsCsv))
            .Replace("Kasse_Stuttgart16", "Kasse_Stgt16", StringComparison.Ordinal)
            .Replace("Kasse_Esslingen17", "Kasse_Essl17", StringComparison.Ordinal), new UTF8Encoding(false));
        var imported = await _cli.RunAsync("customer", "import", repaired);
        Assert.True(imported.ExitCode == 0, imported.ToString());
    }

    [Fact]
    public async Task List_Default_ShowsAllThirtyAndNoNextPage()
    {
        await ImportSampleAsync();

        var result = await _cli.RunAsync("customer", "list");

        Assert.Equal(0, result.ExitCode);
        Assert.EndsWith("30 of 30 shops (K10001–K10030).", result.Stdout.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_LimitAndAfter_WalkThePagesInNumberOrder()
    {
        await ImportSampleAsync();

        var first = await _cli.RunAsync("customer", "list", "--limit", "12");
        var second = await _cli.RunAsync("customer", "list", "--limit", "12", "--after", "k10012", "--json");
        var last = await _cli.RunAsync("customer", "list", "--limit", "12", "--after", "K10024");

        Assert.Contains("12 of 30 shops (K10001–K10012). Next page: --after K10012", first.Stdout, StringComparison.Ordinal);
        var numbers = second.Json.EnumerateArray().Select(c => c.GetProperty("number").GetString()).ToArray();
        Assert.Equal(Enumerable.Range(10013, 12).Select(n => $"K{n}"), numbers);
        Assert.EndsWith("6 of 30 shops (K10025–K10030).", last.Stdout.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_Search_FiltersCaseBlindAndTakesWildcardsLiterally()
    {
        await ImportSampleAsync();

        var metzgerei = await _cli.RunAsync("customer", "list", "--search", "METZGEREI", "--json");
        var percent = await _cli.RunAsync("customer", "list", "--search", "%");

        Assert.True(metzgerei.ExitCode == 0, metzgerei.ToString());
        var companies = metzgerei.Json.EnumerateArray().Select(c => c.GetProperty("company").GetString()!).ToArray();
        Assert.NotEmpty(companies);
        Assert.All(companies, c => Assert.Contains("Metzgerei", c, StringComparison.Ordinal));
        Assert.Equal("0 of 0 shops matching '%'.", percent.Stdout.Trim());
    }

    public static TheoryData<string[], string> BadOptions => new()
    {
        { ["customer", "list", "--limit", "0"], "error: --limit: '0' must be a whole number from 1 to 10000." },
        { ["customer", "list", "--limit", "100001"], "error: --limit: '100001' must be a whole number from 1 to 10000." },
        { ["customer", "list", "--limit", "viele"], "error: --limit: 'viele' must be a whole number from 1 to 10000." },
        { ["customer", "list", "--after", "../x"], "error: --after: '../x' is not a customer number: '.' at position 1." },
        { ["customer", "list", "--search", "a\u0001"], "error: --search contains an invisible control or format character (U+0001)" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public async Task List_BadOption_ExitTwoNamingTheOption(string[] args, string expected)
    {
        Assert.Equal(0, (await _cli.RunAsync("migrate")).ExitCode);

        var result = await _cli.RunAsync(args);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(expected, result.Stderr, StringComparison.Ordinal);
    }
}
