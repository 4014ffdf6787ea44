using System.Buffers.Text;
using JoeCash.Scheduler.Configuration;
using JoeCash.Scheduler.Mail;
using JoeCash.Scheduler.ShopLinks;
using Microsoft.Extensions.Options;

namespace JoeCash.Scheduler.ShopBooking;

/// <summary>
/// The sign-in email's values (Liquid, snake_case). The outbox keeps only <see cref="Seed"/>; the link is made from it
/// under the link key when the email is rendered (<see cref="ShopSignInFinisher"/>), so the outbox opens nothing.
/// </summary>
public sealed record ShopSignInModel
{
    public string ContactName { get; init; } = "";

    public string ShopName { get; init; } = "";

    public string CustomerNumber { get; init; } = "";

    /// <summary>How long the link works, in minutes.</summary>
    public int ValidMinutes { get; init; }

    /// <summary>"14:35 Uhr (MEZ)" / "14:35 (CET)": until when the link works.</summary>
    public string ValidUntil { get; init; } = "";

    public string? Seed { get; init; }

    /// <summary>The confirmation page (<c>/buchen/anmelden/{token}</c>), made when the email is rendered.</summary>
    public string? SignInUrl { get; init; }

    /// <summary>The booking page, for the footer every shop email carries.</summary>
    public string? BookingPageUrl { get; init; }

    public string SupportEmail { get; init; } = "";

    public string SupportPhone { get; init; } = "";

    public static ShopSignInModel Sample() => new()
    {
        ContactName = "Erika Mustermann",
        ShopName = "Bäckerei Beispiel – Filiale Mitte",
        CustomerNumber = "K00000",
        ValidMinutes = 20,
        ValidUntil = "14:35 Uhr (MEZ)",
        SignInUrl = "https://termine.example.test/buchen/anmelden/sample",
        BookingPageUrl = "https://termine.example.test/buchen",
        SupportEmail = "support@example.test",
        SupportPhone = "+49 30 1234567",
    };
}

/// <summary>Turns a sign-in email's stored seed into its link, and names the booking page, as the email is rendered.</summary>
public sealed class ShopSignInFinisher(ShopSignInTokens tokens, IOptions<PublicAddressOptions> publicAddress) : IMailModelFinisher
{
    public object Finish(object model) => model is ShopSignInModel { Seed: { } seed, SignInUrl: null } signIn
        ? signIn with
        {
            SignInUrl = publicAddress.Value.Url($"{ShopBookingOptions.PagePath}/anmelden/{tokens.Token(Base64Url.DecodeFromChars(seed))}"),
            BookingPageUrl = publicAddress.Value.Url(ShopBookingOptions.PagePath),
        }
        : model;
}

/// <summary>
/// Sign-in tokens: HMAC-SHA256 of a random seed under the shops' link key, kept apart from the appointment links'
/// tokens by a label, so one kind of token never opens the other's page.
/// </summary>
public sealed class ShopSignInTokens(ShopLinkKey key)
{
    public const int TokenBytes = 32;
    private static readonly byte[] Label = "joecash shop sign-in\0"u8.ToArray();

    public byte[] Sign(ReadOnlySpan<byte> seed) => key.Sign([.. Label, .. seed]);

    public string Token(ReadOnlySpan<byte> seed) => Base64Url.EncodeToString(Sign(seed));
}
