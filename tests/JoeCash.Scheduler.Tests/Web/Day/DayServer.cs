using System.Text.Json;
using JoeCash.Scheduler.Tests.Infrastructure;

namespace JoeCash.Scheduler.Tests.Web.Day;

/// <summary>What the day-page tests do to the demo service: find a technician's id, book with the command line.</summary>
internal static class DayServer
{
    public const string Lea = "lea.schmitt@joecash.test";

    /// <summary>The id of the technician whose address is <paramref name="email"/> (the demo's technicians and accounts share it).</summary>
    public static async Task<long> TechnicianIdAsync(WebServer server, string email)
    {
        var listed = await server.Cli.RunAsync("technician", "list", "--json");
        Assert.True(listed.ExitCode == 0, listed.ToString());
        return listed.Json.EnumerateArray().Single(t => t.GetProperty("email").GetString() == email).GetProperty("id").GetInt64();
    }

    /// <summary>Books <paramref name="customer"/> with the technician at <paramref name="at"/> (Europe/Berlin wall clock); the appointment as <c>book --json</c> printed it.</summary>
    public static async Task<JsonElement> BookAsync(WebServer server, string customer, string type, long technician, string at, string? notes = null)
    {
        List<string> args = ["book", "--customer", customer, "--type", type, "--technician", $"{technician}", "--at", at, "--acknowledge-cost", "--json"];
        if (notes is not null)
        {
            args.AddRange(["--notes", notes]);
        }

        var booked = await server.Cli.RunAsync([.. args]);
        Assert.True(booked.ExitCode == 0, booked.ToString());
        return booked.Json;
    }

    /// <summary>The folder the embedded reply reader watches (no IMAP host configured).</summary>
    public static string RepliesDirectory(WebServer server) =>
        Directory.CreateDirectory(Path.Combine(Path.GetDirectoryName(server.DatabasePath)!, "replies")).FullName;
}
