using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using JoeCash.Scheduler.Booking;
using JoeCash.Scheduler.Domain;
using NodaTime;
using Spectre.Console;

namespace JoeCash.Scheduler.Cli;

/// <summary>Everything a verb prints: tables for people, JSON for scripts, errors on stderr.</summary>
public sealed class Output(IAnsiConsole console)
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    // JSON bypasses the console's markup and width handling: scripts get exactly what was serialised.
    private readonly TextWriter _stdout = System.Console.Out;

    public void Json(object value) => _stdout.WriteLine(JsonSerializer.Serialize(value, JsonOptions));

    /// <summary>A value as the JSON object <see cref="Json"/> would print, to add fields to.</summary>
    public static System.Text.Json.Nodes.JsonNode Node(object value) => JsonSerializer.SerializeToNode(value, JsonOptions)!;

    public void Table(Table table) => console.Write(table);

    public void Line(string text) => _stdout.WriteLine(text);

    /// <summary>"Tue 2026-12-01 10:00", or "Sun 2027-10-31 02:30 CEST" on a clock-change day (<see cref="LocalTimeRange"/> decides).</summary>
    public static string Local(Instant instant, DateTimeZone zone) =>
        $"{Day(instant, zone)} {LocalTimeRange.In(instant, instant, zone).StartText(Language.En)}";

    /// <summary>A span for tables: "Tue 2026-12-01 10:00–11:00", or "Sun 2027-10-31 02:30 CEST – 02:30 CET".</summary>
    public static string Local(Interval time, DateTimeZone zone) =>
        $"{Day(time.Start, zone)} {LocalTimeRange.In(time, zone).Compact(Language.En)}";

    public static string Day(Instant instant, DateTimeZone zone) =>
        instant.InZone(zone).ToString("ddd yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Iso(Instant instant) => IsoTime.Utc(instant);

    public static string IsoLocal(Instant instant, DateTimeZone zone) => IsoTime.Local(instant, zone);

    /// <summary>Writes a refusal to stderr (or as JSON) and returns exit code 2.</summary>
    public int Refused(Refusal refusal, DateTimeZone zone, bool json, string? hint = null)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        var alternatives = refusal.Alternatives ?? [];
        if (json)
        {
            Json(RefusalRecord.From(refusal, zone, hint));
            return ExitCodes.BadInput;
        }

        System.Console.Error.WriteLine($"error: {refusal.Message}");
        if (hint is not null)
        {
            System.Console.Error.WriteLine(hint);
        }

        if (alternatives.Count > 0)
        {
            System.Console.Error.WriteLine("Nearest free alternatives:");
            foreach (var slot in alternatives)
            {
                System.Console.Error.WriteLine($"  {Local(slot.Start, zone)} ({zone.Id}), technician {slot.TechnicianId}");
            }
        }

        return ExitCodes.BadInput;
    }
}

/// <summary>The process exit codes every verb keeps to.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Failure = 1;
    public const int BadInput = 2;
}

/// <summary>Bad input found by a verb: printed as "error: …" and exit code 2, with nothing written.</summary>
public sealed class InputException(string message) : Exception(message);
