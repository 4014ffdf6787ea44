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

    /// <summary>
    /// The SHA-256 of a URL token's bytes, if <paramref name="token"/> is exactly the canonical base64url of
    /// <paramref name="length"/> bytes; else null (wrong length, padding, other characters, non-canonical last digit).
    /// </summary>
    public static byte[]? TokenHash(string? token, int length = 32)
    {
        if (token is null || token.Length != Base64Url.GetEncodedLength(length))
        {
            return null;
        }

        Span<byte> bytes = stackalloc byte[length];
        if (Base64Url.DecodeFromChars(token, bytes, out var consumed, out var written) != System.Buffers.OperationStatus.Done
            || consumed != token.Length || written != length || Base64Url.EncodeToString(bytes) != token)
        {
            return null;
        }

        return SHA256.HashData(bytes);
    }

    /// <summary>Whether a secret's <paramref name="hash"/> (<see cref="Hash"/>) is <paramref name="stored"/>, in constant time.</summary>
    public static bool Matches(byte[] hash, byte[] stored) => CryptographicOperations.FixedTimeEquals(hash, stored);

    /// <summary>A password for a person to type once and change: 20 characters without look-alikes.</summary>
    public static string NewPassword()
    {
        const string alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        return RandomNumberGenerator.GetString(alphabet, 20);
    }
}
