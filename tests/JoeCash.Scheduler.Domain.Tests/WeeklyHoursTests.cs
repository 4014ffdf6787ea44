namespace JoeCash.Scheduler.Domain.Tests;

public sealed class WeeklyHoursTests
{
    [Theory]
    [InlineData("Mon-Sun 00:00-24:00", "Mon-Sun 00:00-24:00")]
    [InlineData("Fri 18:00-24:00; Sat 00:00-06:00", "Fri 18:00-24:00; Sat 00:00-06:00")]
    [InlineData("Mo-Fr 08:00-12:00,13:00-17:00", "Mon-Fri 08:00-12:00,13:00-17:00")]
    public void Parse_ValidHours_CanonicalFormReadsBack(string text, string canonical)
    {
        var hours = WeeklyHours.Parse(text);

        Assert.True(hours.IsSuccess, hours.Error);
        Assert.Equal(canonical, hours.Value.ToString());
        Assert.Equal(canonical, WeeklyHours.Parse(hours.Value.ToString()).Value.ToString());
    }

    [Fact]
    public void Parse_DayEndingAt2400_WindowRunsToTheNextMidnight()
    {
        var window = WeeklyHours.Parse("Mon-Sun 00:00-24:00").Value.On(NodaTime.IsoDayOfWeek.Sunday).Single();

        Assert.True(window.EndsAtEndOfDay);
        Assert.Equal(1440, window.EndMinuteOfDay);
        Assert.Equal(new NodaTime.LocalDateTime(2027, 11, 1, 0, 0), window.EndOn(new NodaTime.LocalDate(2027, 10, 31)));
    }

    [Theory]
    [InlineData("Mon 08:00-00:00", "end is not after the start")]
    [InlineData("Mon 24:00-24:00", "24-hour clock")]
    [InlineData("Mon 00:00-24:01", "24-hour clock")]
    [InlineData("Mon 00:00-24:00,08:00-09:00", "overlap")]
    [InlineData("Mon 17:00-08:00", "end is not after the start")]
    public void Parse_BadWindow_RefusedWithTheReason(string text, string reason)
    {
        var hours = WeeklyHours.Parse(text);

        Assert.False(hours.IsSuccess);
        Assert.Contains(reason, hours.Error, StringComparison.Ordinal);
    }
}
