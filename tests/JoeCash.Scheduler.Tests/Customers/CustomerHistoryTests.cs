using System.Globalization;
using JoeCash.Scheduler.Tests.Infrastructure;

namespace JoeCash.Scheduler.Tests.Customers;

/// <summary>Issue 14: <c>customer history</c> shows a shop's appointments newest first, cancelled ones too, a page at a time.</summary>
public sealed class CustomerHistoryTests : IDisposable
{
    private readonly TempDirectory _folder = new();
    private readonly Infrastructure.Cli _cli;

    public CustomerHistoryTests() => _cli = new Infrastructure.Cli(_folder);

    public void Dispose() => _folder.Dispose();

    /// <summary>K1 booked on a Tuesday at 8, 10, 12 and 14 (12 cancelled), K2 at 16; returns K1's ids in booking order.</summary>
    private async Task<long[]> BookAsync()
    {
        Ok(await _cli.RunAsync("migrate"));
        Ok(await _cli.RunAsync("technician", "add", "--name", "Anna Berger", "--email", "anna@joecash.test", "--state", "BE", "--hours", "Mon-Fri 08:00-17:00"));
        foreach (var number in new[] { "K1", "K2" })
        {
            Ok(await _cli.RunAsync("customer", "add", "--number", number, "--company", $"Laden {number}", "--state", "BE", "--contact", "Erika Muster",
                "--email", $"{number.ToLowerInvariant()}@shop.test", "--rustdesk", "732 901 938"));
        }

        var day = CliDates.WorkingTuesday();
        var ids = new List<long>();
        foreach (var hour in new[] { 8, 10, 12, 14 })
        {
            var booked = await _cli.RunAsync("book", "--customer", "K1", "--type", "fault", "--at", day.At(hour), "--json");
            Ok(booked);
            ids.Add(booked.Json.GetProperty("id").GetInt64());
        }

        Ok(await _cli.RunAsync("book", "--customer", "K2", "--type", "fault", "--at", day.At(16), "--json"));
        Ok(await _cli.RunAsync("cancel", ids[2].ToString(CultureInfo.InvariantCulture), "--version", "1"));
        return [.. ids];
    }

    [Fact]
    public async Task History_PagesNewestFirst_WithCancelledOnes_AndOnlyTheShopsOwn()
    {
        var ids = await BookAsync();

        var first = await _cli.RunAsync("customer", "history", "k1", "--limit", "2", "--json");
        var firstText = await _cli.RunAsync("customer", "history", "K1", "--limit", "2");
        var second = await _cli.RunAsync("customer", "history", "K1", "--limit", "2", "--before", ids[2].ToString(CultureInfo.InvariantCulture), "--json");
        var lastText = await _cli.RunAsync("customer", "history", "K1", "--limit", "2", "--before", ids[2].ToString(CultureInfo.InvariantCulture));

        Ok(first);
        Assert.Equal([ids[3], ids[2]], first.Json.EnumerateArray().Select(a => a.GetProperty("id").GetInt64()));
        Assert.Equal(["booked", "cancelled"], first.Json.EnumerateArray().Select(a => a.GetProperty("status").GetString()));
        Assert.Contains($"2 appointment(s) of K1, newest first. Older ones: --before {ids[2]}", firstText.Stdout, StringComparison.Ordinal);
        Assert.Equal([ids[1], ids[0]], second.Json.EnumerateArray().Select(a => a.GetProperty("id").GetInt64()));
        Assert.EndsWith("2 appointment(s) of K1, newest first.", lastText.Stdout.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task History_OfAShopWithout_SaysSo_AndAnUnknownShopIsAnInputError()
    {
        await BookAsync();
        Ok(await _cli.RunAsync("customer", "add", "--number", "K3", "--company", "Laden K3", "--state", "BE", "--contact", "Erika Muster", "--email", "k3@shop.test"));

        var none = await _cli.RunAsync("customer", "history", "K3");
        var unknown = await _cli.RunAsync("customer", "history", "K9");

        Assert.Equal(0, none.ExitCode);
        Assert.Contains("K3 has no appointments.", none.Stdout, StringComparison.Ordinal);
        Assert.NotEqual(0, unknown.ExitCode);
        Assert.Contains("no shop with number 'K9'", unknown.Stderr, StringComparison.Ordinal);
    }

    private static void Ok(CliResult result) => Assert.True(result.ExitCode == 0, result.ToString());
}
