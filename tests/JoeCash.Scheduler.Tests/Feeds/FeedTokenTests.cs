using System.Buffers.Text;
using System.Security.Cryptography;
using Dapper;
using JoeCash.Scheduler.Feeds;
using NodaTime.Testing;
using static JoeCash.Scheduler.Tests.Feeds.FeedFixture;

namespace JoeCash.Scheduler.Tests.Feeds;

public sealed class FeedTokenTests
{
    [Fact]
    public async Task Rotate_MakesA256BitToken_StoresOnlyItsHash_AndFindsTheTechnician()
    {
        var clock = new FakeClock(Utc(2026, 12, 1, 8));
        await using var host = await StartAsync(clock);
        var tokens = host.Get<FeedTokens>();

        var token = await tokens.RotateAsync(1);

        Assert.Equal(43, token.Length);
        Assert.Matches("^[A-Za-z0-9_-]{43}$", token);
        Assert.Equal(1, await tokens.FindTechnicianAsync(token));
        await using var connection = await host.Database.OpenAsync();
        var stored = (await connection.QueryAsync<byte[]>("SELECT token_hash FROM feed_tokens")).Single();
        Assert.Equal(SHA256.HashData(Base64Url.DecodeFromChars(token)), stored);
        // Nowhere in the file as text.
        await connection.CloseAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var file = await File.ReadAllTextAsync(host.DatabasePath);
        Assert.DoesNotContain(token, file, StringComparison.Ordinal);
        Assert.Equal(clock.GetCurrentInstant(), await tokens.CreatedAsync(1));
        Assert.Null(await tokens.CreatedAsync(2));
    }

    [Fact]
    public async Task Rotate_InvalidatesTheOldToken_AtOnce()
    {
        await using var host = await StartAsync(new FakeClock(Utc(2026, 12, 1, 8)));
        var tokens = host.Get<FeedTokens>();
        var first = await tokens.RotateAsync(1);

        var second = await tokens.RotateAsync(1);

        Assert.NotEqual(first, second);
        Assert.Null(await tokens.FindTechnicianAsync(first));
        Assert.Equal(1, await tokens.FindTechnicianAsync(second));
    }

    [Fact]
    public async Task WrongOrMalformedTokens_FindNothing()
    {
        await using var host = await StartAsync(new FakeClock(Utc(2026, 12, 1, 8)));
        var tokens = host.Get<FeedTokens>();
        var token = await tokens.RotateAsync(1);
        var flipped = (token[0] == 'A' ? "B" : "A") + token[1..];
        // The same 32 bytes, but the last character's unused low bits set: not the canonical spelling.
        var last = "AEIMQUYcgkosw048".Contains(token[^1], StringComparison.Ordinal) ? token[..^1] + Base64UrlAlphabetNext(token[^1]) : token[..^1] + "A";

        foreach (var wrong in new string?[]
        {
            null, "", "abc", flipped, token + "A", token[..^1], token.ToUpperInvariant(),
            " " + token[1..], token[..20] + " " + token[21..], token[..42] + "=", token.Replace('-', '+').Replace('_', '/'),
            "../../../../etc/passwd", new string('A', 43), new string('ä', 43), last,
        })
        {
            if (wrong == token)
            {
                continue;
            }

            Assert.Null(await tokens.FindTechnicianAsync(wrong));
        }

        Assert.Equal(1, await tokens.FindTechnicianAsync(token));
    }

    /// <summary>The next base64url character after a canonical final one (same top 4 bits, low bits non-zero).</summary>
    private static string Base64UrlAlphabetNext(char c)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        return alphabet[alphabet.IndexOf(c, StringComparison.Ordinal) + 1].ToString();
    }
}
