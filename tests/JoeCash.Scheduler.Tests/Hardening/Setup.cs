using System.Globalization;
using Dapper;
using JoeCash.Scheduler.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using NodaTime;

namespace JoeCash.Scheduler.Tests.Hardening;

/// <summary>A small, real data set made through the command line: one technician, three shops, one booking each.</summary>
internal static class Setup
{
#pragma warning disable CA1859 // SystemClock's own GetCurrentInstant is banned; the interface is the point.
    private static readonly IClock Clock = SystemClock.Instance;
#pragma warning restore CA1859

    /// <summary>A Wednesday three weeks ahead: inside every horizon, never a holiday-free guess in the past.</summary>
    public static LocalDate Day
    {
        get
        {
            var day = Clock.GetCurrentInstant().InZone(DateTimeZoneProviders.Tzdb["Europe/Berlin"]).Date.PlusWeeks(3);
            while (day.DayOfWeek != IsoDayOfWeek.Wednesday)
            {
                day = day.PlusDays(1);
            }

            return day;
        }
    }

    public static string At(int hour) => $"{Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}T{hour:00}:00";

    /// <summary>Migrates, adds Anna and the shops K1–K3, books 10:00, 12:00 and 14:00; returns the appointment ids.</summary>
    public static async Task<long[]> ThreeBookingsAsync(Infrastructure.Cli cli)
    {
        Ok(await cli.RunAsync("migrate"));
        Ok(await cli.RunAsync("technician", "add", "--name", "Anna Berger", "--email", "anna@joecash.test", "--state", "BE", "--hours", "Mon-Fri 08:00-17:00"));
        var ids = new List<long>();
        foreach (var (number, hour) in new[] { ("K1", 10), ("K2", 12), ("K3", 14) })
        {
            Ok(await cli.RunAsync("customer", "add", "--number", number, "--company", $"Laden {number}", "--state", "BE", "--contact", "Erika Muster",
                "--email", $"{number.ToLowerInvariant()}@shop.test", "--rustdesk", "732 901 938"));
            var booked = await cli.RunAsync("book", "--customer", number, "--type", "fault", "--at", At(hour), "--json");
            Ok(booked);
            ids.Add(booked.Json.GetProperty("id").GetInt64());
        }

        return [.. ids];
    }

    public static void Ok(CliResult result) => Assert.True(result.ExitCode == 0, result.ToString());

    public static async Task<T> QueryAsync<T>(string databasePath, string sql, object? parameters = null)
    {
        await using var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        return await connection.ExecuteScalarAsync<T>(sql, parameters) ?? throw new InvalidOperationException("no value: " + sql);
    }

    public static async Task ExecuteAsync(string databasePath, string sql, object? parameters = null)
    {
        await using var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        await connection.ExecuteAsync(sql, parameters);
    }

    /// <summary>Everything a user could see change: every row of every table, as text.</summary>
    public static async Task<string> SnapshotAsync(string databasePath)
    {
        await using var connection = new SqliteConnection($"Data Source={databasePath};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        var tables = (await connection.QueryAsync<string>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")).ToList();
        var text = new System.Text.StringBuilder();
        foreach (var table in tables)
        {
            foreach (var row in await connection.QueryAsync($"SELECT * FROM \"{table}\" ORDER BY rowid"))
            {
                text.Append(table).Append(": ").AppendJoin(" | ", ((IDictionary<string, object?>)row).Values).AppendLine();
            }
        }

        return text.ToString();
    }
}
