using System.Globalization;
using NodaTime;

namespace JoeCash.Scheduler.Domain;

/// <summary>Instants and days as scripts read them: ISO 8601, UTC with "Z" or local with its offset.</summary>
public static class IsoTime
{
    /// <summary>"2026-12-01T09:00:00Z".</summary>
    public static string Utc(Instant instant) => instant.ToString("uuuu-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>"2026-12-01T10:00:00+01:00": the wall clock in <paramref name="zone"/> and its offset then.</summary>
    public static string Local(Instant instant, DateTimeZone zone) =>
        instant.InZone(zone).ToString("uuuu-MM-dd'T'HH:mm:sso<+HH:mm>", CultureInfo.InvariantCulture);

    /// <summary>"2026-12-01".</summary>
    public static string Day(LocalDate date) => date.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture);
}
