using System.Security.Cryptography;
using JoeCash.Scheduler.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using static JoeCash.Scheduler.Tests.Hardening.Setup;

namespace JoeCash.Scheduler.Tests.Hardening;

/// <summary>
/// What the file under Storage:Path can be besides a good database, and what each verb says then: one
/// line with what, which file and what to do; exit code 2; no stack trace; the file unchanged.
/// </summary>
public sealed class StorageFailureTests : IDisposable
{
    private readonly TempDirectory _folder = new();
    private readonly Infrastructure.Cli _cli;
    private Tmpfs? _mount;

    public StorageFailureTests() => _cli = new Infrastructure.Cli(_folder);

    public void Dispose()
    {
        _mount?.Dispose();
        _folder.Dispose();
    }

    public static TheoryData<string, string, string> WrongFiles => new()
    {
        { "nothing", "customer list", "There is no database at" },
        { "nothing", "book --customer K1 --type fault --at 2027-01-13T10:00", "There is no database at" },
        { "folder", "customer list", "is a folder, not a database file" },
        { "folder", "migrate", "is a folder, not a database file" },
        { "text", "show 1", "is not a JoeCash.Scheduler database" },
        { "text", "migrate", "is not a JoeCash.Scheduler database" },
        { "empty", "agenda --technician 1", "has no schema" },
        { "empty", "mail list", "has no schema" },
        { "other", "technician list", "has no schema" },
        { "other", "slots --type fault", "has no schema" },
        { "damaged", "customer list", "is damaged" },
        { "damaged", "mail send", "is damaged" },
    };

    [Theory]
    [MemberData(nameof(WrongFiles))]
    public async Task Verb_WrongFileAtStoragePath_SaysWhatAndWhereInOneLineAndChangesNothing(string file, string verb, string expected)
    {
        await ArrangeAsync(file);
        var before = Fingerprint();

        var result = await _cli.RunAsync(verb.Split(' '));

        Assert.True(result.ExitCode == 2, result.ToString());
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.Contains(_cli.DatabasePath, line, StringComparison.Ordinal);
        Assert.Equal(before, Fingerprint());
    }

    [Fact]
    public async Task Verb_Verbose_AddsTheTrace()
    {
        var result = await _cli.RunAsync("customer", "list", "--verbose");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("   at ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_ZeroByteFile_CreatesTheSchemaInIt()
    {
        await ArrangeAsync("empty");

        Ok(await _cli.RunAsync("migrate"));
        Ok(await _cli.RunAsync("customer", "list"));
    }

    [Fact]
    public async Task ReadOnlyFileSystem_ReadingVerbsWork_WritingVerbsAreRefusedAndChangeNothing()
    {
        _mount = Tmpfs.Mount(_folder.File("data"), 4096);
        var ids = await ThreeBookingsAsync(_cli);
        var before = await SnapshotAsync(_cli.DatabasePath);
        _mount.MakeReadOnly();

        string[][] reading =
        [
            ["customer", "list"], ["technician", "list"], ["show", $"{ids[0]}"], ["types"], ["mail", "list"],
            ["agenda", "--technician", "1", "--date", Day.ToString("yyyy-MM-dd", null)],
            ["slots", "--type", "fault", "--from", Day.ToString("yyyy-MM-dd", null), "--days", "1"],
        ];
        foreach (var verb in reading)
        {
            var result = await _cli.RunAsync(verb);
            Assert.True(result.ExitCode == 0, string.Join(' ', verb) + ": " + result);
        }

        string[][] writing =
        [
            ["book", "--customer", "K1", "--type", "fault", "--at", At(16)],
            ["cancel", $"{ids[1]}", "--version", "1"],
            ["reschedule", $"{ids[2]}", "--version", "1", "--at", At(16)],
            ["customer", "add", "--number", "K9", "--company", "Neu", "--state", "BE", "--contact", "X", "--email", "k9@shop.test"],
            ["technician", "add", "--name", "Ben", "--email", "ben@joecash.test", "--state", "BE", "--hours", "Mon-Fri 08:00-17:00"],
            ["mail", "send"],
        ];
        foreach (var verb in writing)
        {
            var result = await _cli.RunAsync(verb);
            Assert.True(result.ExitCode == 2, string.Join(' ', verb) + ": " + result);
            Assert.Contains("is read-only for this process", result.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        }

        _mount.MakeWritable();
        Assert.Equal(before, await SnapshotAsync(_cli.DatabasePath));
    }

    [Fact]
    public async Task FullDisk_ChangesAreRefused_WhatWasConfirmedStays_AndWorkResumesWhenThereIsRoom()
    {
        _mount = Tmpfs.Mount(_folder.File("data"), 2048);
        var ids = await ThreeBookingsAsync(_cli);
        var before = await SnapshotAsync(_cli.DatabasePath);
        var filler = _mount.Fill();

        var book = await _cli.RunAsync("book", "--customer", "K1", "--type", "fault", "--at", At(16));
        var add = await _cli.RunAsync("customer", "add", "--number", "K9", "--company", "Neu", "--state", "BE", "--contact", "X", "--email", "k9@shop.test");
        File.Delete(filler);

        foreach (var result in new[] { book, add })
        {
            Assert.True(result.ExitCode == 2, result.ToString());
            Assert.Contains("is full", result.Stderr, StringComparison.Ordinal);
            Assert.Contains("nothing was changed", result.Stderr, StringComparison.Ordinal);
        }

        Assert.Equal(before, await SnapshotAsync(_cli.DatabasePath));
        Assert.Equal(ids.Length, await QueryAsync<long>(_cli.DatabasePath, "SELECT count(*) FROM appointments WHERE status = 'booked'"));
        Ok(await _cli.RunAsync("book", "--customer", "K1", "--type", "fault", "--at", At(16)));
    }

    private async Task ArrangeAsync(string file)
    {
        var path = _cli.DatabasePath;
        switch (file)
        {
            case "nothing":
                break;
            case "folder":
                Directory.CreateDirectory(path);
                break;
            case "text":
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                await File.WriteAllTextAsync(path, "Kundennummer;Firma\nK1;Bäckerei\n");
                break;
            case "empty":
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                await File.WriteAllBytesAsync(path, []);
                break;
            case "other":
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                await using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
                {
                    await connection.OpenAsync();
                    await using var command = new SqliteCommand("CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT)", connection);
                    await command.ExecuteNonQueryAsync();
                }

                break;
            case "damaged":
                Ok(await _cli.RunAsync("demo"));
                await using (var stream = new FileStream(path, FileMode.Open, FileAccess.Write))
                {
                    // Every page after the first (the header): what a failing disk or a bad copy leaves.
                    stream.Seek(4096, SeekOrigin.Begin);
                    stream.Write(Enumerable.Repeat((byte)0xFF, (int)stream.Length - 4096).ToArray());
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(file), file, null);
        }
    }

    /// <summary>What is at the path: nothing, a folder, or a file's hash — and whether its folder exists.</summary>
    private string Fingerprint()
    {
        var path = _cli.DatabasePath;
        var folder = Directory.Exists(Path.GetDirectoryName(path)) ? "folder" : "no folder";
        return Directory.Exists(path) ? $"{folder}, a folder at the path"
            : File.Exists(path) ? $"{folder}, file {Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)))}"
            : $"{folder}, nothing at the path";
    }
}
