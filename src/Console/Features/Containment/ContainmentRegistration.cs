using Warden.Domain.Agents;
using Warden.Domain.Decisions;
using Warden.Features.Agents;
using Warden.Infrastructure.Cluster;
using Warden.Infrastructure.Events;

namespace Warden.Features.Containment;

public static class ContainmentRegistration
{
    /// <summary>Breakers, containments and automation clients, and the stop button of the agent page.</summary>
    public static IServiceCollection AddContainment(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ContainmentOptions>(o =>
        {
            // Configured breakers replace the defaults rather than adding to them.
            var rules = configuration.GetSection($"{ContainmentOptions.SectionName}:Breakers").Get<List<BreakerRule>>();
            if (rules is { Count: > 0 })
                o.Breakers = rules;
        });
        services.AddSingleton<CircuitBreakers>();
        services.AddEventHandler<DecisionCommitted, CircuitBreakers>();
        services.AddEventHandler<OutcomeViolated, CircuitBreakers>();
        services.AddSingleton<ContainmentRegistry>();
        services.AddStateView<ContainmentRegistry>();
        services.AddDecisionState<Warden.Domain.Containment.Containment>(c => c.Id);
        services.AddSingleton<ContainmentTurns>();
        services.AddSingleton<ContainmentEngine>();
        services.AddSingleton<ContainmentReleases>();
        services.AddSingleton<ContainmentDrills>();
        services.AddScoped<ContainmentService>();
        services.AddScoped<AutomationClientService>();
        services.AddHostedService<ContainmentMonitor>();
        services.AddSingleton<ContainmentAgentActions>();
        services.AddAgentPageSection<AgentContainButton>(AgentPageSlot.Actions, 10, page => new Dictionary<string, object>
        {
            [nameof(AgentContainButton.AgentId)] = page.Agent.Summary.Id,
            [nameof(AgentContainButton.OnContained)] = page.Reload,
            [nameof(AgentContainButton.Visible)] = page.Agent.Permissions.CanEdit && page.Agent.Summary.Status is AgentStatus.Active or AgentStatus.Suspended,
        });
        return services;
    }
}
