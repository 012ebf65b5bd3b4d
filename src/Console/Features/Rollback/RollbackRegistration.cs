using Warden.Features.Agents;
using Warden.Features.Containment;
using Warden.Features.Decisions;

namespace Warden.Features.Rollback;

public static class RollbackRegistration
{
    /// <summary>Rollbacks through compensating actions: the agent page's recent actions, the decision's rollback, and the containment's window.</summary>
    public static IServiceCollection AddRollback(this IServiceCollection services)
    {
        services.AddSingleton<CompensatingCalls>();
        services.AddSingleton<RollbackRunner>();
        services.AddScoped<RollbackService>();
        services.AddAgentPageSection<RecentActionsSection>(AgentPageSlot.Sections, 22, page => new Dictionary<string, object>
        {
            [nameof(RecentActionsSection.AgentId)] = page.Agent.Summary.Id,
        });
        services.AddDecisionDetailSection<DecisionRollbackSection>(10);
        services.AddContainmentAgentAction<ContainmentRollbackAction>(10);
        return services;
    }
}
