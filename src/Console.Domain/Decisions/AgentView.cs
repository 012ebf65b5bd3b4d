using Warden.Domain.Agents;
using Warden.Domain.People;

namespace Warden.Domain.Decisions;

/// <summary>A read-only snapshot of an agent, taken once per request, that the engine decides against.</summary>
public sealed record AgentView(
    AgentId Id,
    UserId OwnerId,
    string Segment,
    IReadOnlyList<string> Tags,
    AgentStatus Status,
    int AutonomyLevel,
    IReadOnlyList<ToolDeclaration> Tools,
    IReadOnlyList<ResourceScope> Scopes,
    int RateLimitPerMinute,
    ImpactCaps Caps,
    bool AttestationOverdue = false,
    bool AttestationEnforced = false)
{
    /// <param name="attestationOverdueEnforced">The owner's attestation is overdue and the directory suspends such agents.</param>
    public static AgentView From(Agent agent, bool attestationOverdueEnforced) =>
        From(agent, attestationOverdueEnforced, attestationOverdueEnforced);

    public static AgentView From(Agent agent, bool attestationOverdue, bool attestationEnforced) => new(
        agent.Id,
        agent.OwnerId,
        agent.Segment,
        agent.Tags,
        agent.Status,
        agent.AutonomyLevel,
        agent.Tools,
        agent.Scopes,
        agent.RateLimitPerMinute,
        agent.Caps,
        attestationOverdue,
        attestationEnforced);

    public ToolDeclaration? FindTool(string name)
    {
        for (var i = 0; i < Tools.Count; i++)
        {
            if (string.Equals(Tools[i].Name, name, StringComparison.Ordinal))
                return Tools[i];
        }
        return null;
    }

    public bool InScope(string resource)
    {
        if (string.IsNullOrEmpty(resource))
            return false;
        for (var i = 0; i < Scopes.Count; i++)
        {
            if (Scopes[i].Matches(resource))
                return true;
        }
        return false;
    }
}
