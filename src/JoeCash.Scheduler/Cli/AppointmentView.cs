using JoeCash.Scheduler.Booking;
using JoeCash.Scheduler.Domain;
using NodaTime;

namespace JoeCash.Scheduler.Cli;

/// <summary>How one appointment is printed.</summary>
internal static class AppointmentView
{
    /// <summary>The appointment a change produced, or why it was refused (exit code 2).</summary>
    public static int Print(Output output, BookingOutcome outcome, DateTimeZone zone, bool json, string verb, long? appointmentId = null) =>
        outcome.Refusal is { } refusal
            ? output.Refused(refusal, zone, json, Hint(refusal, appointmentId))
            : Print(output, outcome.Appointment!, zone, json, verb);

    /// <summary>What to type next: the service says what happened, the command line how to go on with its own verbs and options.</summary>
    private static string? Hint(Refusal refusal, long? appointmentId) => refusal.Code switch
    {
        RefusalCode.VersionMismatch or RefusalCode.ChangedMeanwhile when appointmentId is { } id =>
            $"See the change with 'show {id}', then retry with --version {(refusal.CurrentVersion is { } v ? v.ToString(System.Globalization.CultureInfo.InvariantCulture) : "<the version it shows>")}.",
        RefusalCode.CostNotAcknowledged => "Once the shop has accepted the cost notice, book again with --acknowledge-cost.",
        RefusalCode.NoContactAddress => "Correct it with 'customer add'.",
        _ => null,
    };

    /// <summary>Prints "Booked appointment 6 …" (or "Appointment 6 …" without a verb), or the JSON form.</summary>
    public static int Print(Output output, Appointment a, DateTimeZone zone, bool json, string? verb)
    {
        if (json)
        {
            output.Json(AppointmentRecord.From(a, zone));
        }
        else
        {
            var what = verb is null ? "Appointment" : $"{verb} appointment";
            output.Line($"{what} {a.Id} (version {a.Version}): {a.TypeKey}, {Output.Local(a.Time, zone)} {zone.Id}, technician {a.TechnicianId}, status {a.Status.ToString().ToLowerInvariant()}.");
            if (verb is null)
            {
                output.Line(a.RespondedAt is { } at
                    ? $"Shop's answer: {a.Response.Code()} ({Output.Local(at, zone)}, {a.RespondedBy})."
                    : "Shop's answer: none yet (needs-action).");
                output.Line($"RustDesk: {a.Readiness switch
                {
                    RustDeskReadiness.NoId => "no ID on file: not ready",
                    RustDeskReadiness.Confirmed => $"{a.RustDesk!.Value.Display}, confirmed by the shop",
                    _ => $"{a.RustDesk!.Value.Display} on file, not confirmed",
                }}.");
            }
        }

        return ExitCodes.Ok;
    }
}
