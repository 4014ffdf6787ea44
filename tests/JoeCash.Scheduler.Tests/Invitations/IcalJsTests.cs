using System.Diagnostics;
using System.Text.Json;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Invitations;
using JoeCash.Scheduler.Tests.Infrastructure;
using NodaTime;
using static JoeCash.Scheduler.Tests.Invitations.Invitations;

namespace JoeCash.Scheduler.Tests.Invitations;

/// <summary>
/// Every kind of invitation we produce, read back by Mozilla's ical.js (the parser inside Thunderbird):
/// a calendar library that did not write them.
/// </summary>
public sealed class IcalJsTests
{
    private const string TrickyName = "Jörg \"Kassen-Jörg\" Müller, Inh.; Bäckerei: Süd";

    public static TheoryData<string, InvitationKind, Language, string, string, string> Cases
    {
        get
        {
            var data = new TheoryData<string, InvitationKind, Language, string, string, string>();
            foreach (var kind in Enum.GetValues<InvitationKind>())
            {
                foreach (var language in Enum.GetValues<Language>())
                {
                    data.Add($"{kind}-{language}-winter", kind, language, "2026-12-01T09:00:00Z", "2026-12-01T10:00:00", "2026-12-01T11:00:00");
                }
            }

            // The daylight-saving days: the last Sundays of March and October, 2026 and 2027.
            data.Add("spring-2026-right-after-the-gap", InvitationKind.Request, Language.De, "2026-03-29T01:00:00Z", "2026-03-29T03:00:00", "2026-03-29T04:00:00");
            data.Add("spring-2026-across-the-gap", InvitationKind.Update, Language.En, "2026-03-29T00:30:00Z", "2026-03-29T01:30:00", "2026-03-29T03:30:00");
            data.Add("autumn-2026-first-0230", InvitationKind.Request, Language.De, "2026-10-25T00:30:00Z", "2026-10-25T02:30:00", "2026-10-25T02:30:00");
            data.Add("autumn-2026-second-0230", InvitationKind.Cancel, Language.De, "2026-10-25T01:30:00Z", "2026-10-25T02:30:00", "2026-10-25T03:30:00");
            data.Add("spring-2027-morning", InvitationKind.Request, Language.En, "2027-03-28T08:00:00Z", "2027-03-28T10:00:00", "2027-03-28T11:00:00");
            data.Add("autumn-2027-morning", InvitationKind.Update, Language.De, "2027-10-31T09:00:00Z", "2027-10-31T10:00:00", "2027-10-31T11:00:00");
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Invitation_ReadByIcalJs_SameUidSequenceMethodPeopleAndInstants(
        string name, InvitationKind kind, Language language, string startUtc, string startBerlin, string endBerlin)
    {
        var start = InstantFromIso(startUtc);
        var sequence = kind switch { InvitationKind.Request => 0, InvitationKind.Update => 1, _ => 2 };
        var notes = string.Join(" ", Enumerable.Repeat("Bondrucker streikt; Kassenlade klemmt, Ümlaute: äöüß „Anführung“ \\ Backslash.", 25));
        var appointment = Appointment(start, sequence, notes, kind == InvitationKind.Cancel ? AppointmentStatus.Cancelled : AppointmentStatus.Booked);
        var customer = Customer(language, contact: TrickyName, company: "Café \"Zur Kasse\"; Filiale, Süd");
        var message = Assert.Single(Composer().Compose(kind, new AppointmentContext(appointment, customer, Anna, Type(billable: true), Appointment(start - Duration.FromDays(1))), Now));
        var ics = CalendarBytes(Parse(message));

        var result = await CheckAsync(name, ics);

        Assert.True(result.GetProperty("ok").GetBoolean(), $"{name}: {result.GetProperty("errors")}\n{ics}");
        Assert.Equal(kind == InvitationKind.Cancel ? "CANCEL" : "REQUEST", result.GetProperty("method").GetString());
        var evt = Assert.Single(result.GetProperty("events").EnumerateArray());
        Assert.Equal(appointment.Uid, evt.GetProperty("uid").GetString());
        Assert.Equal(sequence, evt.GetProperty("sequence").GetInt32());
        Assert.Equal(kind == InvitationKind.Cancel ? "CANCELLED" : "CONFIRMED", evt.GetProperty("status").GetString());
        Assert.Equal("mailto:support@joecash.test", evt.GetProperty("organizer").GetProperty("value").GetString());
        var attendee = Assert.Single(evt.GetProperty("attendees").EnumerateArray());
        Assert.Equal("mailto:joerg.mueller@shop.test", attendee.GetProperty("value").GetString());
        Assert.Equal(TrickyName.Replace("\"", "", StringComparison.Ordinal), attendee.GetProperty("cn").GetString());
        Assert.Equal("REQ-PARTICIPANT", attendee.GetProperty("role").GetString());
        Assert.Equal(kind == InvitationKind.Cancel ? "FALSE" : "TRUE", attendee.GetProperty("rsvp").GetString());
        Assert.Equal(startUtc, evt.GetProperty("dtstart").GetProperty("utc").GetString());
        Assert.Equal(startBerlin, evt.GetProperty("dtstart").GetProperty("berlin").GetString());
        Assert.Equal(endBerlin, evt.GetProperty("dtend").GetProperty("berlin").GetString());
        Assert.Contains("Bondrucker streikt; Kassenlade klemmt, Ümlaute: äöüß „Anführung“ \\ Backslash.", evt.GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    private static Instant InstantFromIso(string text) => NodaTime.Text.InstantPattern.ExtendedIso.Parse(text).Value;

    private static async Task<JsonElement> CheckAsync(string name, string ics)
    {
        var checker = Path.Combine(Paths.RepositoryRoot, "tests", "ical-check");
        Assert.True(Directory.Exists(Path.Combine(checker, "node_modules", "ical.js")),
            $"ical.js is not installed: run 'npm ci' in {checker} (tests/run.sh does this).");
        using var folder = new TempDirectory();
        var file = folder.File(name + ".ics");
        await File.WriteAllTextAsync(file, ics);
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = checker };
        start.ArgumentList.Add("check.mjs");
        start.ArgumentList.Add(file);
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"ical.js could not parse {name}: {errors}\n{output}\n{ics}");
        return JsonDocument.Parse(output).RootElement.Clone();
    }
}
