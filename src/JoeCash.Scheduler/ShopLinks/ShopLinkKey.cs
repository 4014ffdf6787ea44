using System.Security.Cryptography;
using JoeCash.Scheduler.Storage;
using Microsoft.Extensions.Options;

namespace JoeCash.Scheduler.ShopLinks;

/// <summary>
/// The secret that turns a link's stored seed into its token. From <c>SelfService:LinkKey</c> when set (several
/// nodes share it that way); else, on SQLite, from <c>keys/shop-links.key</c> beside the database, made on first use
/// (0640); on PostgreSQL from the database every node shares (<see cref="SharedKeys"/>), made by the first node.
/// Losing the key makes every link sent so far stop working, nothing else.
/// </summary>
public sealed class ShopLinkKey(IOptions<ShopLinkOptions> options, Database database, SharedKeys sharedKeys)
{
    public const int MinimumBytes = 32;

    private readonly Lazy<byte[]> _key = new(() => Load(options.Value, database, sharedKeys));

    /// <summary>HMAC-SHA256 of <paramref name="seed"/> under the key.</summary>
    public byte[] Sign(ReadOnlySpan<byte> seed) => HMACSHA256.HashData(_key.Value, seed);

    /// <summary>The key in <paramref name="base64"/>, or null if it is not base64 of at least <see cref="MinimumBytes"/> bytes.</summary>
    public static byte[]? Parse(string base64)
    {
        try
        {
            var bytes = Convert.FromBase64String(base64.Trim());
            return bytes.Length >= MinimumBytes ? bytes : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static byte[] Load(ShopLinkOptions options, Database database, SharedKeys sharedKeys)
    {
        if (options.LinkKey is { Length: > 0 } configured)
        {
            return Parse(configured) ?? throw new InvalidOperationException($"{ShopLinkOptions.Section}:LinkKey is not base64 of at least {MinimumBytes} bytes.");
        }

        if (database.Provider == StorageProvider.PostgreSQL)
        {
            return Parse(sharedKeys.GetOrAdd("shop-links", () => Convert.ToBase64String(RandomNumberGenerator.GetBytes(MinimumBytes))))
                ?? throw new InvalidOperationException($"The shared key 'shop-links' in the {database.Name} is not base64 of at least {MinimumBytes} bytes.");
        }

        var folder = Path.Combine(Path.GetDirectoryName(database.FilePath)!, "keys");
        var file = Path.Combine(folder, "shop-links.key");
        if (File.Exists(file))
        {
            return Parse(File.ReadAllText(file)) ?? throw new InvalidOperationException($"{file} does not hold base64 of at least {MinimumBytes} bytes; restore it from a backup or delete it (every link sent so far stops working).");
        }

        PrivateFiles.CreateDirectory(folder);
        var key = RandomNumberGenerator.GetBytes(MinimumBytes);
        try
        {
            using var stream = PrivateFiles.Create(file, FileMode.CreateNew);
            stream.Write(System.Text.Encoding.ASCII.GetBytes(Convert.ToBase64String(key)));
            return key;
        }
        catch (IOException) when (File.Exists(file))
        {
            // Another process made it first: use theirs.
            return Parse(File.ReadAllText(file)) ?? throw new InvalidOperationException($"{file} is being written by another process; try again.");
        }
    }
}
