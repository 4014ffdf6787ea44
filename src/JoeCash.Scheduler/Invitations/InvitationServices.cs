using Microsoft.Extensions.DependencyInjection;

namespace JoeCash.Scheduler.Invitations;

/// <summary>Invitations, updates and cancellations (the shop's and the technician's own): their templates and the outbox writer bookings call.</summary>
public static class InvitationServices
{
    public static IServiceCollection AddInvitations(this IServiceCollection services)
    {
        services.AddSingleton(InvitationComposer.Invitation);
        services.AddSingleton(InvitationComposer.Cancellation);
        services.AddSingleton(TechnicianInvitationComposer.Invitation);
        services.AddSingleton(TechnicianInvitationComposer.Cancellation);
        services.AddSingleton<InvitationComposer>();
        services.AddSingleton<TechnicianInvitationComposer>();
        services.AddSingleton<InvitationOutbox>();
        services.AddSingleton<Mail.IMailModelFinisher, ShopLinkFinisher>();
        return services;
    }
}
