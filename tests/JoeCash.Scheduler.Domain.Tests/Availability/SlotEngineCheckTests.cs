using JoeCash.Scheduler.Domain.Availability;
using NodaTime;
using static JoeCash.Scheduler.Domain.Tests.TestData;

namespace JoeCash.Scheduler.Domain.Tests.Availability;

public sealed class SlotEngineCheckTests
{
    private static readonly Instant Now = Local("2026-12-07T09:10");

    public static TheoryData<string, SlotRejection?> Cases => new()
    {
        { "2026-12-07T14:00", null },
        { "2026-12-07T08:00", SlotRejection.TooSoon },          // in the past
        { "2026-12-07T10:00", SlotRejection.TooSoon },          // inside the 2 h notice
        { "2026-12-08T10:05", SlotRejection.NotOnGrid },
        { "2026-12-24T10:00", SlotRejection.Holiday },          // the fixed holiday below
        { "2026-12-12T10:00", SlotRejection.NotWorkingDay },    // Saturday
        { "2026-12-08T07:00", SlotRejection.OutsideWorkingHours },
        { "2026-12-08T16:15", SlotRejection.OutsideWorkingHours }, // would end 17:15
        { "2026-12-09T12:00", SlotRejection.TimeOff },
        { "2026-12-10T13:00", SlotRejection.DailyCapReached },
        { "2026-12-08T11:00", SlotRejection.TechnicianBusy },   // booked 11:00
        { "2026-12-08T10:15", SlotRejection.TechnicianBusy },   // ends in the booking
        { "2026-12-08T12:00", SlotRejection.TechnicianBusy },   // inside the booking's 15-min buffer after
        { "2026-12-08T12:15", null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Check_Start_GivesTheFirstReasonItIsNotFree(string start, SlotRejection? expected)
    {
        var technician = Technician(cap: 2);
        var booked = new[]
        {
            Booked(7, 1, Local("2026-12-08T11:00"), Fault),
            Booked(8, 1, Local("2026-12-10T08:00"), Fault),
            Booked(9, 1, Local("2026-12-10T10:00"), Fault),
        };
        var schedule = Schedule(
            technician,
            new FixedHolidays(FederalState.BY, new LocalDate(2026, 12, 24)),
            booked,
            [new Interval(Local("2026-12-09T11:30"), Local("2026-12-09T15:00"))]);
        var query = new SlotQuery(Fault, new Interval(Now, Now + Duration.FromDays(30)), Now, Duration.FromHours(2));

        var problem = SlotEngine.Check(query, schedule, Local(start));

        Assert.Equal(expected, problem?.Reason);
        if (problem is not null)
        {
            Assert.False(string.IsNullOrWhiteSpace(problem.Message));
        }
    }

    [Fact]
    public void Check_Busy_NamesTheConflictingAppointment()
    {
        var schedule = Schedule(Technician(), booked: [Booked(42, 1, Local("2026-12-08T11:00"), Fault)]);
        var query = new SlotQuery(Fault, new Interval(Now, Now + Duration.FromDays(3)), Now, Duration.FromHours(2));

        var problem = SlotEngine.Check(query, schedule, Local("2026-12-08T11:30"));

        Assert.Equal(42, problem?.ConflictingAppointmentId);
        Assert.Contains("appointment 42", problem!.Message, StringComparison.Ordinal);
    }
}
