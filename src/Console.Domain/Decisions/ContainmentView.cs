using Warden.Domain.Agents;
using Warden.Domain.People;

namespace Warden.Domain.Decisions;

/// <summary>Answers whether an agent is contained right now, and by which trip.</summary>
public interface IContainmentView
{
    /// <returns>The reason a person can read, or <c>null</c> when nothing contains the agent.</returns>
    string? Contained(AgentView agent);
}

/// <summary>An in-memory set of containment trips: one agent, one owner's agents, a segment, or everything.</summary>
public sealed record ContainmentView(
    bool Everything,
    IReadOnlySet<AgentId> Agents,
    IReadOnlySet<UserId> Owners,
    IReadOnlySet<string> Segments) : IContainmentView
{
    public static readonly ContainmentView None = new(false, new HashSet<AgentId>(), new HashSet<UserId>(), new HashSet<string>());

    public string? Contained(AgentView agent)
    {
        if (Everything)
            return "All agents are contained.";
        if (Agents.Contains(agent.Id))
            return "The agent is contained.";
        if (Owners.Contains(agent.OwnerId))
            return "All agents of this owner are contained.";
        if (Segments.Contains(agent.Segment))
            return $"Segment '{agent.Segment}' is contained.";
        return null;
    }
}
