using NodaTime;
using static JoeCash.Scheduler.Domain.Tests.TestData;

namespace JoeCash.Scheduler.Domain.Tests;

public sealed class BookingHorizonTests
{
    private static readonly Instant Now = Local("2026-11-30T10:00");
    private static readonly BookingHorizon Year = new(Duration.FromDays(365));

    public static TheoryData<string, bool> Starts => new()
    {
        { "2026-12-01T10:00", true },
        { "2027-11-30T10:00", true },   // exactly the horizon
        { "2027-11-30T10:15", false },
        { "2100-01-04T10:00", false },
        { "9999-12-31T23:59", false },
    };

    [Theory]
    [MemberData(nameof(Starts))]
    public void Beyond_Start_RefusedOnlyAfterTheLatestStart(string start, bool allowed)
    {
        var message = Year.Beyond(Local(start), Now, Berlin);

        Assert.Equal(allowed, message is null);
        if (!allowed)
        {
            Assert.EndsWith("(Europe/Berlin) is beyond the booking horizon of 365 days (latest start: 2027-11-30 10:00).", message, StringComparison.Ordinal);
        }
    }

    public static TheoryData<string, bool, string?> Dates => new()
    {
        { "2026-11-30", false, null },
        { "2027-11-30", false, null },
        { "2027-12-01", false, "--from: 2027-12-01 is beyond the booking horizon of 365 days (last day: 2027-11-30)." },
        { "9999-12-31", false, "--from: 9999-12-31 is beyond the booking horizon of 365 days (last day: 2027-11-30)." },
        { "2026-11-29", false, "--from: 2026-11-29 is in the past (today is 2026-11-30 in Europe/Berlin)." },
        { "0001-01-01", false, "--from: 0001-01-01 is in the past (today is 2026-11-30 in Europe/Berlin)." },
        { "2026-11-29", true, null },
        { "2025-11-30", true, null },
        { "2025-11-29", true, "--from: 2025-11-29 is more than 365 days in the past (earliest: 2025-11-30)." },
        { "0001-01-01", true, "--from: 0001-01-01 is more than 365 days in the past (earliest: 2025-11-30)." },
    };

    [Theory]
    [MemberData(nameof(Dates))]
    public void CheckDate_Date_WithinTheWindowOrSaysWhichEnd(string date, bool pastAllowed, string? expected)
    {
        var result = Year.CheckDate(NodaTime.Text.LocalDatePattern.Iso.Parse(date).Value, Now, Berlin, "--from", pastAllowed);

        Assert.Equal(expected, result.Error);
    }

    [Fact]
    public void Shown_NotWholeDays_GivesTheSpan()
    {
        Assert.Equal("30 days", new BookingHorizon(Duration.FromDays(30)).Shown);
        Assert.Equal("1:12:00", new BookingHorizon(Duration.FromHours(36)).Shown);
    }
}
