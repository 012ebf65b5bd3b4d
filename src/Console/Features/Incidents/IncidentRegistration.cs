using Warden.Features.Compliance;
using Warden.Domain.Containment;
using Warden.Features.Evidence;
using Warden.Infrastructure.Events;

namespace Warden.Features.Incidents;

public static class IncidentRegistration
{
    /// <summary>Incidents opened by trips, their runbooks and reviews, tabletop exercises, and their section of evidence packs.</summary>
    public static IServiceCollection AddIncidents(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<IncidentOptions>()
            .Bind(configuration.GetSection(IncidentOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IncidentOpener>();
        services.AddHostedService(sp => sp.GetRequiredService<IncidentOpener>());
        services.AddEventHandler<AgentsContained, IncidentOpener>();
        services.AddScoped<IncidentService>();
        services.AddScoped<TabletopService>();
        services.AddSingleton<IEvidenceSection, IncidentEvidenceSection>();
        services.AddComplianceCheck<IncidentsReviewedCheck>();
        services.AddComplianceCheck<TabletopExercisedCheck>();
        return services;
    }
}
