using System.Text.RegularExpressions;

namespace JoeCash.Scheduler.Tests.Infrastructure;

/// <summary>
/// The real <c>serve --demo</c> with its web server on a port of its own, mail to a pickup folder: what a newcomer
/// runs first. Tests sign in with the demo accounts (the password <c>serve</c> printed) or accounts they add.
/// </summary>
public sealed partial class WebServer : IAsyncDisposable
{
    private readonly TempDirectory _folder;
    private readonly ServiceProcess _service;

    private WebServer(TempDirectory folder, ServiceProcess service, Uri address, string? demoPassword)
    {
        _folder = folder;
        _service = service;
        Address = address;
        DemoPassword = demoPassword;
    }

    public Uri Address { get; }

    /// <summary>The password of every demo account, as <c>serve --demo</c> printed it.</summary>
    public string? DemoPassword { get; }

    public string Log => _service.Log;

    public string DatabasePath => _folder.File("data/scheduler.db");

    public string PickupDirectory => _folder.File("data/pickup");

    /// <summary>The command line against the same database (add accounts, book, …) while the service runs.</summary>
    public Cli Cli => new(_folder);

    public const string Dispatcher = "disposition@joecash.test";
    public const string Anna = "anna.berger@joecash.test";
    public const string Jonas = "jonas.keller@joecash.test";

    /// <summary>Starts serve (with the demo data unless <paramref name="demo"/> is false) and waits for its web server.</summary>
    public static async Task<WebServer> StartAsync(bool demo = true, IReadOnlyDictionary<string, string>? settings = null)
    {
        var folder = new TempDirectory();
        var all = new Dictionary<string, string>
        {
            ["Storage:Path"] = folder.File("data/scheduler.db"),
            ["Mail:PickupDirectory"] = folder.File("data/pickup"),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            all[key] = value;
        }

        var service = await ServiceProcess.StartAsync(folder.FullPath, all, demo ? ["--demo"] : []);
        var address = await service.WebAddressAsync();
        string? password = null;
        for (var waited = 0; demo && password is null && waited < 100; waited++)
        {
            // The sign-in lines follow the address line.
            password = DemoPasswordLine().Match(service.Log) is { Success: true } match ? match.Groups[1].Value : null;
            if (password is null)
            {
                await Task.Delay(50);
            }
        }

        Assert.True(!demo || password is not null, "serve --demo printed no demo password:\n" + service.Log);
        return new WebServer(folder, service, address, password);
    }

    /// <summary>A client with its own cookie jar (one browser), not signed in.</summary>
    public StaffClient Client() => new(Address);

    /// <summary>A client signed in as <paramref name="login"/> (the demo password by default).</summary>
    public async Task<StaffClient> SignedInAsync(string login, string? password = null)
    {
        var client = Client();
        var response = await client.SignInAsync(login, password ?? DemoPassword!);
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Redirect, $"sign-in as {login} answered {(int)response.StatusCode}:\n{await response.Content.ReadAsStringAsync()}");
        return client;
    }

    public Task<int> StopAsync() => _service.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await _service.DisposeAsync();
        _folder.Dispose();
    }

    [GeneratedRegex(@"Demo password for these accounts \(a new one on every demo start\): (\S+)")]
    private static partial Regex DemoPasswordLine();
}
