using System.Xml.Linq;
using Dapper;
using Microsoft.AspNetCore.DataProtection.Repositories;
using NodaTime;

namespace JoeCash.Scheduler.Storage;

/// <summary>
/// Secrets that every node sharing a PostgreSQL database must hold alike, in that database (<c>shared_keys</c>): the
/// first node to need one makes it, the others read it. Synchronous, like the callers that need it (a key loaded
/// once, ASP.NET Core's key ring).
/// </summary>
public sealed class SharedKeys(Database database, IClock clock)
{
    /// <summary>The secret stored under <paramref name="name"/>; if there is none yet, <paramref name="create"/>'s, stored first (a node that loses the race takes the winner's).</summary>
    public string GetOrAdd(string name, Func<string> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        using var connection = database.PostgresSource.OpenConnection();
        connection.Execute(
            "INSERT INTO shared_keys (name, value, created_at) VALUES (@name, @value, @now) ON CONFLICT (name) DO NOTHING",
            new { name, value = create(), now = clock.GetCurrentInstant() });
        return connection.QuerySingle<string>("SELECT value FROM shared_keys WHERE name = @name", new { name });
    }
}

/// <summary>ASP.NET Core's data-protection key ring in the shared PostgreSQL database (<c>data_protection_keys</c>), so a cookie signed by one node is read by the others.</summary>
public sealed class DatabaseKeyRing(Database database, IClock clock) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var connection = database.PostgresSource.OpenConnection();
        return [.. connection.Query<string>("SELECT xml FROM data_protection_keys ORDER BY id").Select(XElement.Parse)];
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        using var connection = database.PostgresSource.OpenConnection();
        connection.Execute(
            "INSERT INTO data_protection_keys (friendly_name, xml, created_at) VALUES (@friendlyName, @xml, @now)",
            new { friendlyName, xml = element.ToString(SaveOptions.DisableFormatting), now = clock.GetCurrentInstant() });
    }
}
