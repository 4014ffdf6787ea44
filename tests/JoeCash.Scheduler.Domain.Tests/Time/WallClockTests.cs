using NodaTime;
using static JoeCash.Scheduler.Domain.Tests.TestData;

namespace JoeCash.Scheduler.Domain.Tests.Time;

public sealed class WallClockTests
{
    [Fact]
    public void Read_AutumnOverlapWithoutChoice_AmbiguousWithBothOffsetsAndNoInputWords()
    {
        WallClock.Read("2027-10-31T02:30", Berlin, AmbiguityChoice.None, "start", out var problem);

        Assert.NotNull(problem);
        Assert.Equal(WallClockProblemKind.Ambiguous, problem.Kind);
        Assert.Equal(Offset.FromHours(2), problem.Earlier);
        Assert.Equal(Offset.FromHours(1), problem.Later);
        Assert.Equal("start: 2027-10-31 02:30 occurs twice in Europe/Berlin (at +02 and at +01).", problem.Message);
    }

    [Theory]
    [InlineData("2027-03-28T02:30", WallClockProblemKind.Skipped)]
    [InlineData("2027-02-02 25:00", WallClockProblemKind.NotADateTime)]
    [InlineData("2027-02-02T10:00+02:00", WallClockProblemKind.WrongOffset)]
    [InlineData("9999-12-31T23:59-12:00", WallClockProblemKind.BeyondCalendar)]
    public void Read_NoSingleInstant_SaysWhichKind(string text, WallClockProblemKind kind)
    {
        WallClock.Read(text, Berlin, AmbiguityChoice.None, "start", out var problem);

        Assert.Equal(kind, problem?.Kind);
        Assert.DoesNotContain("--", problem!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(AmbiguityChoice.Earlier, "2027-10-31T00:30:00Z")]
    [InlineData(AmbiguityChoice.Later, "2027-10-31T01:30:00Z")]
    public void Read_AutumnOverlapWithChoice_ThatOccurrence(AmbiguityChoice choice, string expected)
    {
        var instant = WallClock.Read("2027-10-31T02:30", Berlin, choice, "start", out var problem);

        Assert.Null(problem);
        Assert.Equal(expected, instant.ToString());
    }

    [Fact]
    public void Parse_AutumnOverlapWithoutChoice_TellsToChooseWithoutNamingAnOption()
    {
        var result = WallClock.Parse("2027-10-31T02:30", Berlin, AmbiguityChoice.None, "start");

        Assert.Equal("start: 2027-10-31 02:30 occurs twice in Europe/Berlin (at +02 and at +01). Choose the earlier or the later one, or give the offset.", result.Error);
    }
}
