using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace JoeCash.Scheduler.Staff;

/// <summary>
/// Random secrets for URLs and headers (API keys, feed and self-service tokens): 256 bits from the OS's
/// generator, base64url, stored only as a SHA-256 hash. A hash lookup is what makes a guess cost the same
/// whatever it matches; the final comparison is constant-time anyway.
/// </summary>
public static class Secrets
{
    /// <summary>A new secret: <paramref name="prefix"/> and 32 random bytes in base64url (43 characters).</summary>
    public static string New(string prefix = "") => prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>What is stored for <paramref name="secret"/>.</summary>
    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    /// <summary>Whether <paramref name="secret"/> hashes to <paramref name="stored"/>, in constant time.</summary>
    public static bool Matches(string secret, byte[] stored) => CryptographicOperations.FixedTimeEquals(Hash(secret), stored);

    /// <summary>A password for a person to type once and change: 20 characters without look-alikes.</summary>
    public static string NewPassword()
    {
        const string alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        return RandomNumberGenerator.GetString(alphabet, 20);
    }
}
