namespace JoeCash.Scheduler.Tests.Infrastructure;

/// <summary>A fresh folder under the system temp directory, removed afterwards.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory() => Directory.CreateDirectory(FullPath);

    public string FullPath { get; } = Path.Combine(Path.GetTempPath(), "joecash-tests", Guid.NewGuid().ToString("N"));

    public string File(string name) => Path.Combine(FullPath, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(FullPath, recursive: true);
        }
        catch (IOException)
        {
            // A process the test started may still hold a file for a moment; the OS cleans temp.
        }
    }
}
