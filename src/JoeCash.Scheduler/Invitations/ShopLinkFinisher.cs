using JoeCash.Scheduler.Mail;
using JoeCash.Scheduler.ShopLinks;

namespace JoeCash.Scheduler.Invitations;

/// <summary>Turns the stored seed of a shop's personal link into the page's address as the email is rendered.</summary>
public sealed class ShopLinkFinisher(ShopLinkService links) : IMailModelFinisher
{
    public object Finish(object model) =>
        model is MessageModel { ShopLinkSeed: { } seed, ShopLinkUrl: null } message ? message with { ShopLinkUrl = links.Url(seed) } : model;
}
