using System.Buffers.Text;
using System.Security.Claims;
using System.Security.Cryptography;
using JoeCash.Scheduler.Configuration;
using JoeCash.Scheduler.Customers;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Mail;
using JoeCash.Scheduler.Staff;
using JoeCash.Scheduler.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;

namespace JoeCash.Scheduler.ShopBooking;

/// <summary>What a sign-in link leads to.</summary>
public enum ShopSignInState
{
    /// <summary>No such link: 404.</summary>
    Unknown,

    /// <summary>The link may still sign the shop in (once).</summary>
    Valid,

    /// <summary>The link signed someone in already.</summary>
    Used,

    /// <summary>The link is older than <c>ShopBooking:SignInLinkValidity</c>.</summary>
    Expired,
}

/// <summary>A sign-in link as its page shows it (before anything is changed): its state and the shop's language.</summary>
public sealed record ShopSignInVisit(ShopSignInState State, Language Language, string? ShopName = null);

/// <summary>The signed-in shop: the customer and the address it signed in with (the audit's and invoicing's "who").</summary>
public sealed record ShopSession(Customer Customer, string Email)
{
    /// <summary>"shop:kasse@example.test": who booked, as the appointment and the audit record it.</summary>
    public string Actor
    {
        get
        {
            var actor = "shop:" + Email;
            return actor.Length <= 100 ? actor : actor[..100];
        }
    }
}

/// <summary>
/// Password-less sign-in for shops: the customer number and an address on file get a one-time link by email; the link's
/// page signs in only from its confirm button (a POST), so a mail scanner opening it changes nothing. The answer to a
/// request is the same, and takes the same work, whether or not the pair matched.
/// </summary>
public sealed class ShopSignInService(
    Database database,
    ShopSignInTokens tokens,
    MailComposer mail,
    OutboxSignal signal,
    IClock clock,
    IOptions<ShopBookingOptions> options,
    IOptions<MailOptions> mailOptions,
    IOptions<SchedulerOptions> scheduler,
    ILogger<ShopSignInService> logger)
{
    public static readonly TemplateSet SignInMail = new("shop-sign-in", typeof(ShopSignInModel), ShopSignInModel.Sample);

    private const int SeedBytes = 16;

    /// <summary>How long a dead sign-in row (its address and time) is kept: a week after it expired, then a new request deletes it.</summary>
    public static readonly Duration Retention = Duration.FromDays(7);

    /// <summary>
    /// Sends a sign-in link to <paramref name="email"/> if it is an address on file of the shop <paramref name="number"/>.
    /// Says nothing about whether it was: both ways look the shop up, make a token, compose the email and commit one row;
    /// only a match commits the email with it.
    /// </summary>
    /// <remarks>On PostgreSQL a request that lost a race with another writer runs again (<see cref="Database.RetryAsync{T}"/>).</remarks>
    public Task RequestAsync(string? number, string? email, CancellationToken cancellationToken = default) =>
        Database.RetryAsync(() => RequestCoreAsync(number, email, cancellationToken), cancellationToken);

    private async Task<bool> RequestCoreAsync(string? number, string? email, CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        var expires = now + Duration.FromTimeSpan(options.Value.SignInLinkValidity);
        var seed = RandomNumberGenerator.GetBytes(SeedBytes);
        var hash = SHA256.HashData(tokens.Sign(seed));
        var given = (email ?? "").Trim();
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var writing = await Database.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        var transaction = writing.Transaction;
        await connection.ForgetShopSignInsAsync(now - Retention, transaction).ConfigureAwait(false);
        var parsed = CustomerNumber.Parse(number, "customer");
        Customer? customer = null;
        if (parsed.IsSuccess && await connection.FindCustomerAsync(parsed.Value, transaction).ConfigureAwait(false) is { IsSuccess: true } found
            && string.Equals(found.Value.Number, parsed.Value, StringComparison.OrdinalIgnoreCase))
        {
            customer = found.Value;
        }

        var address = customer?.Emails.FirstOrDefault(e => string.Equals(e, given, StringComparison.OrdinalIgnoreCase));
        var message = mail.Compose(Draft(customer, address ?? given, seed, expires, now), now);
        if (customer is null || address is null)
        {
            // No match: the same row, belonging to nobody and expired when made, and no email.
            await connection.InsertShopSignInAsync(null, "", hash, now, now, transaction).ConfigureAwait(false);
            await writing.CommitAsync(cancellationToken).ConfigureAwait(false);
            logger.LogInformation("Shop sign-in asked for without a matching customer number and address");
            return false;
        }

        await connection.InsertShopSignInAsync(customer.Id, address.ToLowerInvariant(), hash, now, expires, transaction).ConfigureAwait(false);
        await connection.EnqueueAsync(message, now, transaction).ConfigureAwait(false);
        await writing.CommitAsync(cancellationToken).ConfigureAwait(false);
        signal.Ring();
        logger.LogInformation("Shop sign-in link for {Customer} queued", customer.Number);
        return true;
    }

    /// <summary>What <paramref name="token"/> leads to; reads only (mail scanners open it).</summary>
    public async Task<ShopSignInVisit> OpenAsync(string? token, CancellationToken cancellationToken = default)
    {
        var (row, customer) = await FindAsync(token, cancellationToken).ConfigureAwait(false);
        return row is null || customer is null
            ? new ShopSignInVisit(ShopSignInState.Unknown, Language.De)
            : new ShopSignInVisit(StateOf(row), customer.Language, customer.DisplayName);
    }

    /// <summary>Uses the link (once, in time): the shop that is now signed in, or why not.</summary>
    public async Task<(ShopSignInState State, ShopSession? Session, Language Language)> UseAsync(string? token, CancellationToken cancellationToken = default)
    {
        var (row, customer) = await FindAsync(token, cancellationToken).ConfigureAwait(false);
        if (row is null || customer is null)
        {
            return (ShopSignInState.Unknown, null, Language.De);
        }

        if (StateOf(row) != ShopSignInState.Valid)
        {
            return (StateOf(row), null, customer.Language);
        }

        var now = clock.GetCurrentInstant();
        var used = await Database.RetryAsync(async () =>
        {
            await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var writing = await Database.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
            if (await connection.UseShopSignInAsync(row.Id, now, writing.Transaction).ConfigureAwait(false) == 0)
            {
                return false;
            }

            await writing.CommitAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);
        if (!used)
        {
            // Another tab or a second click got there first, or the link ran out meanwhile.
            return (row.ExpiresAt <= now ? ShopSignInState.Expired : ShopSignInState.Used, null, customer.Language);
        }

        logger.LogInformation("Shop {Customer} signed in for booking", customer.Number);
        return (ShopSignInState.Valid, new ShopSession(customer, row.Email), customer.Language);
    }

    /// <summary>The session a cookie's claims name, if that shop still exists and the address is still on file.</summary>
    public async Task<ShopSession?> SessionAsync(ClaimsPrincipal? user, CancellationToken cancellationToken = default)
    {
        if (user?.FindFirst(ShopClaims.Customer)?.Value is not { } number || user.FindFirst(ShopClaims.Email)?.Value is not { } email)
        {
            return null;
        }

        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var found = await connection.FindCustomerAsync(number).ConfigureAwait(false);
        return found.IsSuccess && found.Value.Number == number && found.Value.Emails.Any(e => string.Equals(e, email, StringComparison.OrdinalIgnoreCase))
            ? new ShopSession(found.Value, email)
            : null;
    }

    /// <summary>The claims a shop's session cookie carries.</summary>
    public static ClaimsPrincipal Principal(ShopSession session, string scheme)
    {
        ArgumentNullException.ThrowIfNull(session);
        return new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ShopClaims.Customer, session.Customer.Number), new Claim(ShopClaims.Email, session.Email)], scheme));
    }

    private ShopSignInState StateOf(ShopSignInRow row) =>
        row.UsedAt is not null ? ShopSignInState.Used
        : row.ExpiresAt <= clock.GetCurrentInstant() ? ShopSignInState.Expired
        : ShopSignInState.Valid;

    private async Task<(ShopSignInRow? Row, Customer? Customer)> FindAsync(string? token, CancellationToken cancellationToken)
    {
        if (Secrets.TokenHash(token, ShopSignInTokens.TokenBytes) is not { } hash)
        {
            return (null, null);
        }

        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.ShopSignInByHashAsync(hash).ConfigureAwait(false);
        if (row?.CustomerId is not { } customerId || !CryptographicOperations.FixedTimeEquals(row.TokenHash, hash))
        {
            return (null, null);
        }

        var customers = await connection.CustomersByIdAsync([customerId]).ConfigureAwait(false);
        return customers.TryGetValue(customerId, out var customer) ? (row, customer) : (null, null);
    }

    private MailDraft Draft(Customer? customer, string recipient, byte[] seed, Instant expires, Instant now)
    {
        var language = customer?.Language ?? Language.De;
        var zone = scheduler.Value.Zone;
        var until = expires.InZone(zone);
        var clockText = LocalTimeRange.Clock(until, language, tagged: false);
        var abbreviation = LocalTimeRange.Abbreviation(until, language);
        var model = new ShopSignInModel
        {
            ContactName = MailText.SingleLine(customer?.ContactName ?? ""),
            ShopName = MailText.SingleLine(customer?.DisplayName ?? ""),
            CustomerNumber = customer?.Number ?? "",
            ValidMinutes = (int)options.Value.SignInLinkValidity.TotalMinutes,
            ValidUntil = language == Language.En ? $"{clockText} ({abbreviation})" : $"{clockText} Uhr ({abbreviation})",
            Seed = Base64Url.EncodeToString(seed),
            SupportEmail = mailOptions.Value.From,
            SupportPhone = mailOptions.Value.SupportPhone,
        };
        var messageId = $"shop-sign-in.{now.ToUnixTimeMilliseconds()}.{Convert.ToHexStringLower(SHA256.HashData(seed))[..16]}@{scheduler.Value.UidDomain}";
        return new MailDraft("shop-sign-in", messageId, null, SignInMail, language, recipient, model.ContactName, model);
    }
}

/// <summary>The claims of a shop's session cookie.</summary>
public static class ShopClaims
{
    public const string Customer = "joecash:shop-customer";
    public const string Email = "joecash:shop-email";
}
