using NodaTime;

namespace JoeCash.Scheduler.Domain;

/// <summary>
/// A kind of remote appointment (fault, price list, training, third-party hardware), as configured:
/// how long it takes, the technician's buffers around it, and whether the shop pays extra for it.
/// </summary>
public sealed record AppointmentType(
    string Key,
    string TitleDe,
    string TitleEn,
    Duration Duration,
    Duration BufferBefore,
    Duration BufferAfter,
    bool Billable,
    string? CostNoticeDe,
    string? CostNoticeEn)
{
    public string Title(Language language) => language == Language.En ? TitleEn : TitleDe;

    public string? CostNotice(Language language) => language == Language.En ? CostNoticeEn : CostNoticeDe;
}
