using System.Diagnostics;

namespace JoeCash.Scheduler.Tests.Hardening;

/// <summary>
/// A small file system of its own (tmpfs), to make the disk full or read-only for real, as a full
/// /var or a read-only mount does to the service. Needs root, as tests/run.sh runs.
/// </summary>
internal sealed class Tmpfs : IDisposable
{
    private Tmpfs(string path) => Path = path;

    public string Path { get; }

    public static Tmpfs Mount(string path, int kilobytes)
    {
        Assert.True(Environment.UserName == "root" || Environment.GetEnvironmentVariable("USER") == "root",
            "this test mounts a tmpfs and needs root; run the tests as tests/run.sh does (as root)");
        Directory.CreateDirectory(path);
        Run("mount", "-t", "tmpfs", "-o", $"size={kilobytes}k,mode=0755", "tmpfs", path);
        return new Tmpfs(path);
    }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void MakeReadOnly() => Run("mount", "-o", "remount,ro", Path);

    public void MakeWritable() => Run("mount", "-o", "remount,rw", Path);

    /// <summary>Takes every free byte with a filler file; deleting it frees them again.</summary>
    public string Fill()
    {
        var filler = File("filler");
        // Unbuffered, so "no space left" comes from the write itself and not again from Dispose.
        using var stream = new FileStream(filler, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
        var block = new byte[64 * 1024];
        try
        {
            while (true)
            {
                stream.Write(block);
                stream.Flush();
            }
        }
        catch (IOException)
        {
            // No space left on device: that is the point.
        }

        block = new byte[512];
        try
        {
            while (true)
            {
                stream.Write(block);
                stream.Flush();
            }
        }
        catch (IOException)
        {
            // Down to the last block.
        }

        return filler;
    }

    public void Dispose()
    {
        try
        {
            Run("umount", "-l", Path);
        }
        catch (InvalidOperationException)
        {
            // Already gone; nothing to clean up.
        }
    }

    private static void Run(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed: {error}");
        }
    }
}
