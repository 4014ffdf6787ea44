using System.Security.Cryptography;
using JoeCash.Scheduler.Configuration;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Text;

namespace JoeCash.Scheduler.Invoicing;

/// <summary>The two shapes of the export: German Excel CSV and JSON.</summary>
public enum BillingFormat
{
    Csv,
    Json,
}

/// <summary>How the shop's acknowledgment of the cost notice was given.</summary>
public enum AcknowledgedHow
{
    /// <summary>A dispatcher booked it and confirmed the shop accepted the notice on the phone.</summary>
    DispatcherPhone,

    /// <summary>The shop accepted the notice itself on its own page.</summary>
    ShopPage,
}

/// <summary>One billed session, every time in the shop's zone.</summary>
public sealed record BillingLine(
    long AppointmentId,
    string CustomerNumber,
    string Company,
    string? Branch,
    ZonedDateTime Start,
    ZonedDateTime End,
    int Minutes,
    string TypeKey,
    string TypeTitle,
    BillingReason? Reason,
    string Technician,
    ZonedDateTime? AcknowledgedAt,
    AcknowledgedHow? AcknowledgedHow,
    string? AcknowledgedBy,
    string? Note);

/// <summary>An export as handed to the user: the file's bytes, its name, how many sessions it bills.</summary>
public sealed record BillingFile(string Month, BillingFormat Format, string FileName, string ContentType, byte[] Content, int Lines);

/// <summary>
/// The billing export: every session of a month (in the shop's zone, <c>Scheduler:TimeZone</c>) that was billable when
/// it was booked and took place (outcome done, not cancelled), as data for invoicing. It only reads, apart from its own
/// audit line (who, when, which month, how many lines, the file's hash); the same month gives the same file as long as
/// nobody records a different outcome for one of its sessions.
/// </summary>
public sealed class BillingExport(Database database, AppointmentTypeCatalog types, IOptions<SchedulerOptions> options, IClock clock, ILogger<BillingExport> logger)
{
    /// <summary>Reads "2026-12" as a month that has begun; the message names <paramref name="field"/>.</summary>
    public Result<YearMonth> ParseMonth(string? text, string field)
    {
        var parsed = YearMonthPattern.Iso.Parse(text?.Trim() ?? "");
        if (!parsed.Success || parsed.Value.Year is < 2000 or > 2200)
        {
            return Result.Fail<YearMonth>($"{field}: '{text}' is not a month such as 2026-12 (year-month, 2000 to 2200).");
        }

        var zone = options.Value.Zone;
        var current = clock.GetCurrentInstant().InZone(zone).Date;
        return parsed.Value.CompareTo(new YearMonth(current.Year, current.Month)) > 0
            ? Result.Fail<YearMonth>($"{field}: {Iso(parsed.Value)} has not begun yet (today is {IsoTime.Day(current)} in {zone.Id}).")
            : parsed.Value;
    }

    /// <summary>The billed sessions of <paramref name="month"/>, in start order (nothing is written).</summary>
    public async Task<IReadOnlyList<BillingLine>> LinesAsync(YearMonth month, CancellationToken cancellationToken = default)
    {
        var zone = options.Value.Zone;
        var from = zone.AtStartOfDay(month.OnDayOfMonth(1)).ToInstant();
        var until = zone.AtStartOfDay(month.PlusMonths(1).OnDayOfMonth(1)).ToInstant();
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var sessions = await connection.BilledSessionsAsync(from, until).ConfigureAwait(false);
        var shops = await connection.ShopAcknowledgmentsAsync([.. sessions.Select(s => s.AppointmentId)]).ConfigureAwait(false);
        return [.. sessions.Select(s => Line(s, shops.GetValueOrDefault(s.AppointmentId), zone))];
    }

    /// <summary>Exports <paramref name="month"/> and records who did it; the month must have begun.</summary>
    public async Task<Result<BillingFile>> ExportAsync(string? month, BillingFormat format, string? actor, CancellationToken cancellationToken = default)
    {
        var who = UserText.Required(actor, "actor", 100);
        var parsed = ParseMonth(month, "month");
        if (!who.IsSuccess || !parsed.IsSuccess)
        {
            return Result.Fail<BillingFile>(parsed.Error ?? who.Error!);
        }

        var lines = await LinesAsync(parsed.Value, cancellationToken).ConfigureAwait(false);
        var name = Iso(parsed.Value);
        var content = format == BillingFormat.Csv ? BillingCsv.Write(lines) : BillingJson.Write(name, options.Value.Zone.Id, lines);
        var hash = Convert.ToHexStringLower(SHA256.HashData(content));
        await using (var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false))
        {
            await Database.WriteAsync(connection, transaction => connection.InsertExportAsync(clock.GetCurrentInstant(), who.Value, name,
                format == BillingFormat.Csv ? "csv" : "json", lines.Count, hash, transaction), cancellationToken).ConfigureAwait(false);
        }

        logger.LogInformation("Billing export of {Month} ({Format}) by {Actor}: {Lines} line(s), SHA-256 {Hash}", name, format, who.Value, lines.Count, hash);
        return new BillingFile(name, format, $"abrechnung-{name}.{(format == BillingFormat.Csv ? "csv" : "json")}",
            format == BillingFormat.Csv ? "text/csv; charset=utf-8" : "application/json; charset=utf-8", content, lines.Count);
    }

    /// <summary>The exports made so far, the latest first.</summary>
    public async Task<IReadOnlyList<BillingExportRecord>> HistoryAsync(int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExportsAsync(limit).ConfigureAwait(false);
    }

    public static string Iso(YearMonth month) => YearMonthPattern.Iso.Format(month);

    private BillingLine Line(BilledSession s, ShopAcknowledgment? shop, DateTimeZone zone)
    {
        var type = types.Find(s.TypeKey);
        var title = type.IsSuccess ? type.Value.Title(Language.De) : s.TypeKey;
        // The shop's own acknowledgment on its page wins; else the booking's: a shop booking itself ("shop:…") on its
        // page, anyone else (a dispatcher) on the phone with the shop.
        var (at, how, by) = shop is not null ? (shop.AcknowledgedAt, AcknowledgedHow.ShopPage, shop.Recipient)
            : s.CostAcknowledged ? (s.CreatedAt, s.BookedBy.StartsWith("shop:", StringComparison.Ordinal) ? AcknowledgedHow.ShopPage : AcknowledgedHow.DispatcherPhone, s.BookedBy)
            : ((Instant?)null, (AcknowledgedHow?)null, (string?)null);
        return new BillingLine(
            s.AppointmentId,
            s.CustomerNumber,
            s.Company,
            s.Branch,
            s.StartsAt.InZone(zone),
            s.EndsAt.InZone(zone),
            s.Minutes,
            s.TypeKey,
            title,
            s.BillingReason switch
            {
                "billable-type" => BillingReason.BillableType,
                "no-support-contract" => BillingReason.NoSupportContract,
                _ => null,
            },
            s.Technician,
            at?.InZone(zone),
            how,
            by,
            s.Note);
    }
}
