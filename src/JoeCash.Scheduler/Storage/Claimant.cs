namespace JoeCash.Scheduler.Storage;

/// <summary>
/// Who takes work from a shared table (the outbox today): written beside each claim, so a restarting
/// service takes back only its own unfinished claims and leaves another node's to their lease.
/// </summary>
/// <param name="Name">Stable across restarts for the service (<c>host/serve</c>); unique per process for a one-off verb.</param>
public sealed record Claimant(string Name)
{
    /// <summary>A verb run once from a terminal: its own claims expire with their lease if it dies.</summary>
    public static Claimant ForProcess() => new($"{Environment.MachineName}/pid-{Environment.ProcessId}");

    /// <summary>The long-running service of the node <paramref name="nodeName"/> (<see cref="StorageOptions.NodeName"/>).</summary>
    public static Claimant ForService(string nodeName) => new($"{nodeName}/serve");
}
