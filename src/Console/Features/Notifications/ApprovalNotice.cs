using Warden.Domain.Approvals;

namespace Warden.Features.Notifications;

/// <summary>What an approval event's webhook says about its request: never a way to act, only a deep link.</summary>
public static class ApprovalNotice
{
    public static object For(
        ApprovalRequest request, string? agentName, string? tool, string? operation, string? resource, string? escalatedTo, string link) => new
    {
        request = request.Id,
        decision = request.DecisionId,
        agent = new { id = request.AgentId, name = agentName },
        tool,
        operation,
        resource,
        riskTier = request.RiskTier.ToString().ToLowerInvariant(),
        state = request.State.ToString().ToLowerInvariant(),
        approvals = request.Approvals,
        requiredApprovals = request.RequiredApprovals,
        eligibleRoles = request.EligibleRoles,
        openedAt = request.OpenedAt,
        expiresAt = request.ExpiresAt,
        escalatedTo,
        link,
    };
}
