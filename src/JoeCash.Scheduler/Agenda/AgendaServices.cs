using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace JoeCash.Scheduler.Agenda;

/// <summary>The technician's day: the agenda the verb prints and the morning email.</summary>
public static class AgendaServices
{
    public static IServiceCollection AddAgenda(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AgendaOptions>().Bind(configuration.GetSection(AgendaOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AgendaOptions>, AgendaOptionsValidator>();
        // The staff language is the agenda's: the technicians' own invitations are written in it too.
        services.AddSingleton(sp => new Invitations.StaffLanguage(sp.GetRequiredService<IOptions<AgendaOptions>>().Value.Language));
        services.AddSingleton(AgendaMailer.Agenda);
        services.AddSingleton<AgendaBuilder>();
        services.AddSingleton<AgendaMailer>();
        services.AddSingleton<TechnicianDayService>();
        return services;
    }
}
