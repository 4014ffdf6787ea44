using JoeCash.Scheduler.Configuration;
using JoeCash.Scheduler.Mail;
using JoeCash.Scheduler.ShopLinks;
using Microsoft.Extensions.Options;

namespace JoeCash.Scheduler.Invitations;

/// <summary>
/// Completes a shop's email as it is rendered: the stored seed of its personal link becomes the page's address, and the
/// footer names the booking page (also for emails queued before the footer existed).
/// </summary>
public sealed class ShopLinkFinisher(ShopLinkService links, IOptions<PublicAddressOptions> publicAddress) : IMailModelFinisher
{
    public object Finish(object model) => model switch
    {
        MessageModel message => message with
        {
            ShopLinkUrl = message.ShopLinkUrl ?? (message.ShopLinkSeed is { } seed ? links.Url(seed) : null),
            BookingPageUrl = message.BookingPageUrl ?? publicAddress.Value.Url(PublicAddressOptions.BookingPagePath),
        },
        _ => model,
    };
}
