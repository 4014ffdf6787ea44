using JoeCash.Scheduler.Tests.Infrastructure;

namespace JoeCash.Scheduler.Tests.Replies;

/// <summary>
/// The embedded default, as a new user runs it: no IMAP host, so <c>serve</c> reads answers saved into
/// <c>data/replies/</c>; and <c>replies import</c> applies saved answers by hand, once however often it is run.
/// </summary>
public sealed class ReplyFolderTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Serve_WithoutImap_AppliesAnAnswerDroppedIntoTheRepliesFolder_AndMovesItToProcessed()
    {
        var cli = new Infrastructure.Cli(_folder);
        var (uid, shop) = await BookAsync(cli);
        var replies = Directory.CreateDirectory(_folder.File("data/replies")).FullName;
        await File.WriteAllBytesAsync(Path.Combine(replies, "answer.eml"),
            ReplyShapes.ToBytes(ReplyShapes.Build(ReplyClient.OutlookDe, new ReplySpec(uid, 0, shop, "Erika Muster", "support@joecash.test", PartStat: "DECLINED"), shop, "support@joecash.test")));
        await File.WriteAllBytesAsync(Path.Combine(replies, "question.eml"),
            ReplyShapes.ToBytes(ReplyShapes.Plain(shop, "support@joecash.test", "Frage", "Wann kommt der Techniker?")));

        await using var service = await ServiceProcess.StartAsync(_folder.FullPath, new Dictionary<string, string> { ["Storage:Path"] = cli.DatabasePath });
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!File.Exists(Path.Combine(replies, "processed", "answer.eml")))
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(20), "the answer was not processed; serve log:\n" + service.Log);
            await Task.Delay(100);
        }

        var shown = await cli.RunAsync("show", "1", "--json");
        Assert.Equal("declined", shown.Json.GetProperty("appointment").GetProperty("response").GetString());
        Assert.Equal(shop, shown.Json.GetProperty("appointment").GetProperty("respondedBy").GetString());
        Assert.True(File.Exists(Path.Combine(replies, "not-answers", "question.eml")), "the plain email was not set aside");
        var text = await cli.RunAsync("show", "1");
        Assert.Contains($"Shop's answer: declined", text.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RepliesImport_AppliesOnce_RefusesAStranger_AndNamesAMissingFile()
    {
        var cli = new Infrastructure.Cli(_folder);
        var (uid, shop) = await BookAsync(cli);
        var answer = _folder.File("answer.eml");
        await File.WriteAllBytesAsync(answer, ReplyShapes.ToBytes(ReplyShapes.Build(ReplyClient.Gmail, new ReplySpec(uid, 0, shop, "Erika", "support@joecash.test"), shop, "support@joecash.test")));
        var forged = _folder.File("forged.eml");
        await File.WriteAllBytesAsync(forged, ReplyShapes.ToBytes(ReplyShapes.Build(ReplyClient.Gmail, new ReplySpec(uid, 0, shop, "Erika", "support@joecash.test", PartStat: "DECLINED"), "mallory@example.test", "support@joecash.test")));

        var first = await cli.RunAsync("replies", "import", answer);
        var again = await cli.RunAsync("replies", "import", answer);
        var stranger = await cli.RunAsync("replies", "import", forged);
        var missing = await cli.RunAsync("replies", "import", answer, _folder.File("nope.eml"));

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains("answer.eml: applied (appointment 1)", first.Stdout, StringComparison.Ordinal);
        Assert.Contains("read before: nothing changed again", again.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, stranger.ExitCode);
        Assert.Contains("mallory@example.test", stranger.Stdout, StringComparison.Ordinal);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("nope.eml: no such file", missing.Stderr, StringComparison.Ordinal);
        var shown = await cli.RunAsync("show", "1", "--json");
        Assert.Equal("accepted", shown.Json.GetProperty("appointment").GetProperty("response").GetString());
        var review = await cli.RunAsync("replies", "list", "--review", "--json");
        Assert.Single(review.Json.EnumerateArray());
    }

    [Fact]
    public async Task AnAnswerThatFailsToApply_IsKeptForReview_AndTheOthersInItsBatchAreStillApplied()
    {
        var cli = new Infrastructure.Cli(_folder);
        var (uid, shop) = await BookAsync(cli);
        const string bert = "bert@shop.test";
        Assert.Equal(0, (await cli.RunAsync("customer", "add", "--number", "K2", "--company", "Metzgerei", "--state", "BY", "--contact", "Bert", "--email", bert, "--rustdesk", "987654321", "--contract", "ja")).ExitCode);
        var second = await cli.RunAsync("book", "--customer", "K2", "--type", "fault", "--at", CliDates.WorkingTuesday().At(13), "--json");
        Assert.True(second.ExitCode == 0, second.ToString());
        var secondUid = second.Json.GetProperty("uid").GetString()!;

        // A fault that only this one answer meets, inside the batch's transaction (as a full disk or a bug would).
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={cli.DatabasePath};Pooling=False"))
        {
            await connection.OpenAsync();
            await Dapper.SqlMapper.ExecuteAsync(connection,
                $"CREATE TRIGGER injected_fault BEFORE UPDATE OF responded_by ON appointments WHEN NEW.responded_by = '{bert}' BEGIN SELECT RAISE(ABORT, 'injected fault'); END;");
        }

        var good = _folder.File("good.eml");
        await File.WriteAllBytesAsync(good, ReplyShapes.ToBytes(ReplyShapes.Build(ReplyClient.Thunderbird, new ReplySpec(uid, 0, shop, "Erika", "support@joecash.test"), shop, "support@joecash.test")));
        var failing = _folder.File("failing.eml");
        await File.WriteAllBytesAsync(failing, ReplyShapes.ToBytes(ReplyShapes.Build(ReplyClient.Thunderbird, new ReplySpec(secondUid, 0, bert, "Bert", "support@joecash.test"), bert, "support@joecash.test")));

        var imported = await cli.RunAsync("replies", "import", failing, good);

        Assert.Contains("good.eml: applied (appointment 1)", imported.Stdout, StringComparison.Ordinal);
        Assert.Equal("accepted", (await cli.RunAsync("show", "1", "--json")).Json.GetProperty("appointment").GetProperty("response").GetString());
        Assert.NotEqual("accepted", (await cli.RunAsync("show", "2", "--json")).Json.GetProperty("appointment").GetProperty("response").GetString());
        var review = (await cli.RunAsync("replies", "list", "--review", "--json")).Json.EnumerateArray().ToList();
        var kept = Assert.Single(review);
        Assert.Contains(bert, kept.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_WithTheSupportMailboxUnreachable_KeepsRunningAndSaysSo()
    {
        var cli = new Infrastructure.Cli(_folder);
        Assert.Equal(0, (await cli.RunAsync("migrate")).ExitCode);
        var port = FreePorts.Next();

        await using var service = await ServiceProcess.StartAsync(_folder.FullPath, new Dictionary<string, string>
        {
            ["Storage:Path"] = cli.DatabasePath,
            ["Mail:Imap:Host"] = "127.0.0.1",
            ["Mail:Imap:Port"] = $"{port}",
            ["Mail:Imap:Security"] = "None",
        });
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!service.Log.Contains("Support mailbox unreachable", StringComparison.Ordinal))
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(20), "no warning about the mailbox; serve log:\n" + service.Log);
            await Task.Delay(100);
        }

        // It tries again (1 s, then 2 s …) and the rest of the service goes on.
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.False(service.HasExited, service.Log);
        Assert.Equal(0, await service.StopAsync());
    }

    /// <summary>One shop, one technician, one booked appointment; returns its UID and the shop's address.</summary>
    private static async Task<(string Uid, string Shop)> BookAsync(Infrastructure.Cli cli)
    {
        const string shop = "erika@shop.test";
        Assert.Equal(0, (await cli.RunAsync("migrate")).ExitCode);
        Assert.Equal(0, (await cli.RunAsync("technician", "add", "--name", "Anna Berger", "--email", "anna@joecash.test", "--state", "BY", "--hours", "Mon-Fri 08:00-17:00")).ExitCode);
        var added = await cli.RunAsync("customer", "add", "--number", "K1", "--company", "Bäckerei", "--state", "BY", "--contact", "Erika", "--email", shop, "--rustdesk", "123456789", "--contract", "ja");
        Assert.True(added.ExitCode == 0, added.ToString());
        var booked = await cli.RunAsync("book", "--customer", "K1", "--type", "fault", "--at", CliDates.WorkingTuesday().At(10), "--json");
        Assert.True(booked.ExitCode == 0, booked.ToString());
        return (booked.Json.GetProperty("uid").GetString()!, shop);
    }
}
