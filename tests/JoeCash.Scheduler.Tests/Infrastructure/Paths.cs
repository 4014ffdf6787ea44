namespace JoeCash.Scheduler.Tests.Infrastructure;

/// <summary>Where things are, seen from the test binary.</summary>
internal static class Paths
{
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>The sample shop export as Excel writes it (BOM, ';', CRLF), kept byte for byte in Fixtures/ and copied beside the test binary.</summary>
    public static string ShopsCsv
    {
        get
        {
            var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "shops.csv");
            return File.Exists(path) ? path : throw new FileNotFoundException("The fixture was not copied to the output; check the test project's Fixtures item.", path);
        }
    }

    /// <summary>The built CLI, from the same build configuration as the tests.</summary>
    public static string CliDll
    {
        get
        {
            // tests/JoeCash.Scheduler.Tests/bin/<Configuration>/net10.0/ → src/JoeCash.Scheduler/bin/<Configuration>/net10.0/
            var bin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var configuration = bin.Parent!.Name;
            var path = Path.Combine(RepositoryRoot, "src", "JoeCash.Scheduler", "bin", configuration, bin.Name, "joecash-scheduler.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException("Build the solution first.", path);
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "JoeCash.Scheduler.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("JoeCash.Scheduler.sln not found above " + AppContext.BaseDirectory);
    }
}
