using JoeCash.Scheduler.Calendars;

namespace JoeCash.Scheduler.Tests.Replies;

/// <summary>
/// The fast path for common answers must read exactly what Ical.Net reads, and leave everything else to it:
/// every client's shape, every answer, comments with escapes, and the odd cases it must not take.
/// </summary>
public sealed class FastReaderAgreementTests
{
    private const string Uid = "0b0ac969c2c0f8d5b106f08815ca0cff@scheduler.joecash.test";

    public static TheoryData<string, string, string?> Shapes()
    {
        var data = new TheoryData<string, string, string?>();
        foreach (var client in ReplyShapes.AllClients)
        {
            foreach (var partStat in new[] { "ACCEPTED", "TENTATIVE", "DECLINED" })
            {
                data.Add(client.ToString(), partStat, null);
            }

            data.Add(client.ToString(), "DECLINED", "Leider geht es nicht; wir haben \"Inventur\", sorry\\ok");
            data.Add(client.ToString(), "REFRESH", null);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void EveryClientsAnswer_ReadsTheSameOnBothPaths(string clientName, string partStat, string? comment)
    {
        var client = Enum.Parse<ReplyClient>(clientName);
        var spec = partStat == "REFRESH"
            ? new ReplySpec(Uid, 3, "Erika.Muster@Shop.test", "Erika Muster", "support@joecash.test", Method: "REFRESH")
            : new ReplySpec(Uid, 3, "Erika.Muster@Shop.test", "Erika Muster", "support@joecash.test", PartStat: partStat, Comment: comment);
        var text = ReplyShapes.Calendar(client, spec);

        var fast = ItipFastReader.TryRead(text);
        var full = ItipReader.ReadWithObjectModel(text);

        Assert.True(full.IsSuccess, full.Error);
        Assert.NotNull(fast);
        Assert.Equal(full.Value, fast);
    }

    [Theory]
    [InlineData("METHOD:COUNTER")]
    [InlineData("RECURRENCE-ID:20261201T090000Z")]
    [InlineData("ATTENDEE;PARTSTAT=ACCEPTED:mailto:second@shop.test")]
    [InlineData("ATTENDEE;PARTSTAT=DELEGATED:mailto:erika@shop.test")]
    [InlineData("SEQUENCE:-1")]
    public void OddAnswers_AreLeftToIcalNet(string line)
    {
        var text = ReplyShapes.Calendar(ReplyClient.Thunderbird, new ReplySpec(Uid, 0, "erika@shop.test", "Erika", "support@joecash.test"));
        var odd = line.StartsWith("METHOD", StringComparison.Ordinal)
            ? text.Replace("METHOD:REPLY", line, StringComparison.Ordinal)
            : line.Contains("DELEGATED", StringComparison.Ordinal)
                ? text.Replace("PARTSTAT=ACCEPTED", "PARTSTAT=DELEGATED", StringComparison.Ordinal)
                : text.Replace("END:VEVENT", line + "\r\nEND:VEVENT", StringComparison.Ordinal);

        Assert.NotEqual(text, odd);
        Assert.Null(ItipFastReader.TryRead(odd));
    }

    [Fact]
    public void AnAnswerWithoutUid_IsLeftToIcalNet_WhichRefusesIt()
    {
        var text = ReplyShapes.Calendar(ReplyClient.Gmail, new ReplySpec(Uid, 0, "erika@shop.test", "Erika", "support@joecash.test"));
        var noUid = string.Join("\r\n", text.Split("\r\n").Where(l => !l.StartsWith("UID", StringComparison.Ordinal)));

        Assert.Null(ItipFastReader.TryRead(noUid));
        Assert.False(ItipReader.Read(noUid).IsSuccess);
    }
}
