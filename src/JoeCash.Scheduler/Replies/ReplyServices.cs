using Microsoft.Extensions.DependencyInjection;

namespace JoeCash.Scheduler.Replies;

/// <summary>The shops' answers: reading and applying them, the emails they cause, the dispatcher's decisions on proposals.</summary>
public static class ReplyServices
{
    public static IServiceCollection AddReplies(this IServiceCollection services)
    {
        services.AddSingleton(AnswerAlerts.Alert);
        services.AddSingleton(AnswerAlerts.CounterDeclined);
        services.AddSingleton<AnswerAlerts>();
        services.AddSingleton<ReplyService>();
        services.AddSingleton<ReplyProcessor>();
        services.AddSingleton<ReplyImport>();
        services.AddSingleton<ProposalService>();
        return services;
    }
}
