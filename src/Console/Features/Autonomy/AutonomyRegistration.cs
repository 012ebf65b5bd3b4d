using Warden.Domain.Agents;
using Warden.Domain.Containment;
using Warden.Domain.Decisions;
using Warden.Features.Agents;
using Warden.Infrastructure.Events;

namespace Warden.Features.Autonomy;

public static class AutonomyRegistration
{
    /// <summary>Promotion criteria, demotion, promotions and violations, and the autonomy section of the agent page.</summary>
    public static IServiceCollection AddAutonomy(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AutonomyOptions>()
            .Bind(configuration.GetSection(AutonomyOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => new[] { o.ToLevel1, o.ToLevel2, o.ToLevel3 }.All(c => c.MinDaysAtLevel >= 0 && c.MinDecisions >= 0 && c.CriticalFreeDays >= 0
                && c.MaxFalsePositiveRate is null or (>= 0 and <= 1)), "Autonomy promotion criteria must not be negative; false-positive rates are fractions from 0 to 1.")
            .ValidateOnStart();
        services.AddSingleton<AutomaticDemotion>();
        services.AddSingleton(sp => sp.GetRequiredService<AutomaticDemotion>().Severities);
        services.AddSingleton<DemotionTriggers>();
        services.AddEventHandler<DecisionCommitted, DemotionTriggers>();
        services.AddEventHandler<OutcomeViolated, DemotionTriggers>();
        services.AddEventHandler<AgentsContained, DemotionTriggers>();
        services.AddEventHandler<AgentSuspendedForAttestation, DemotionTriggers>();
        services.AddScoped<AutonomyService>();
        services.AddScoped<ViolationService>();
        services.AddScoped<ActionReviewService>();
        services.AddAgentPageSection<AgentAutonomySection>(AgentPageSlot.Sections, 10, page => new Dictionary<string, object>
        {
            [nameof(AgentAutonomySection.AgentId)] = page.Agent.Summary.Id,
            [nameof(AgentAutonomySection.Version)] = page.Agent.Changes.Count,
        });
        return services;
    }
}
