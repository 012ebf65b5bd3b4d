using Warden.Domain.Containment;
using Warden.Domain.Decisions;
using Warden.Features.Agents;
using Warden.Features.Decisions;
using Warden.Infrastructure.Events;

namespace Warden.Features.Approvals;

public static class ApprovalRegistration
{
    /// <summary>Approval requests, their feed and sweeper, and the approvals section of the agent page.</summary>
    public static IServiceCollection AddApprovals(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ApprovalOptions>()
            .Bind(configuration.GetSection(ApprovalOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<ApprovalFeed>();
        services.AddSingleton<ApprovalCommits>();
        services.AddSingleton<ApprovalWorkflow>();
        services.AddSingleton<PreviewChanges>();
        services.AddSingleton<ApprovalLapses>();
        services.AddSingleton<IApprovalExpiry>(sp => sp.GetRequiredService<ApprovalLapses>());
        services.AddSingleton<ApprovalFollowUps>();
        services.AddEventHandler<DecisionCommitted, ApprovalFollowUps>();
        services.AddEventHandler<AgentsContained, ApprovalFollowUps>();
        services.AddScoped<ApprovalService>();
        services.AddHostedService<ApprovalSweeper>();
        services.AddAgentPageSection<AgentApprovalsSection>(AgentPageSlot.Sections, 40, page => new Dictionary<string, object>
        {
            [nameof(AgentApprovalsSection.AgentId)] = page.Agent.Summary.Id,
        });
        return services;
    }
}
