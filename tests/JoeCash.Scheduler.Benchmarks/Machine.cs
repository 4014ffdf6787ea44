namespace JoeCash.Scheduler.Benchmarks;

/// <summary>What the reader of a figure needs to know about the machine while it was taken.</summary>
internal static class Machine
{
    /// <summary>The 1-, 5- and 15-minute load averages (Linux): on 2 cores, a figure taken beside a build or a test run means little.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
