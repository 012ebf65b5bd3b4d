using System.Collections.Frozen;
using Warden.Domain.Decisions;

namespace Warden.Domain.Containment;

/// <summary>An active containment as the hot path needs it.</summary>
public sealed record ActiveContainment(string Id, ContainmentScope Scope, string Target, string TargetLabel, string Reason, DateTimeOffset TrippedAt);

/// <summary>
/// The active containments, indexed for O(1) checks: everything, by agent, by owner, by segment.
/// Immutable: a trip or release builds a new set and swaps it in whole.
/// </summary>
public sealed class ContainmentSet : IContainmentView
{
    private readonly ActiveContainment? _global;
    private readonly FrozenDictionary<string, ActiveContainment> _agents;
    private readonly FrozenDictionary<string, ActiveContainment> _owners;
    private readonly FrozenDictionary<string, ActiveContainment> _segments;

    private ContainmentSet(IReadOnlyList<ActiveContainment> all)
    {
        All = all;
        _global = all.Where(c => c.Scope == ContainmentScope.Global).MinBy(c => c.TrippedAt);
        _agents = Index(all, ContainmentScope.Agent, StringComparer.Ordinal);
        _owners = Index(all, ContainmentScope.Owner, StringComparer.Ordinal);
        _segments = Index(all, ContainmentScope.Segment, StringComparer.OrdinalIgnoreCase);
    }

    public static ContainmentSet Empty { get; } = new([]);

    public IReadOnlyList<ActiveContainment> All { get; }

    public ActiveContainment? Global => _global;

    public static ContainmentSet Of(IEnumerable<ActiveContainment> active) => new([.. active]);

    public ContainmentSet With(ActiveContainment added) => new([.. All.Where(c => c.Id != added.Id), added]);

    public ContainmentSet Without(string id) => new([.. All.Where(c => c.Id != id)]);

    /// <summary>The containment that stops this agent (the global one first), or null.</summary>
    public ActiveContainment? Covering(string agentId, string ownerId, string segment)
    {
        if (_global is not null)
            return _global;
        if (_agents.TryGetValue(agentId, out var agent))
            return agent;
        if (_owners.TryGetValue(ownerId, out var owner))
            return owner;
        return _segments.TryGetValue(segment, out var inSegment) ? inSegment : null;
    }

    public string? Contained(AgentView agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        return Covering(agent.Id.Value, agent.OwnerId.Value, agent.Segment) is { } covering ? Describe(covering) : null;
    }

    public static string Describe(ActiveContainment containment) => containment.Scope switch
    {
        ContainmentScope.Global => $"All agents are contained: {containment.Reason}",
        ContainmentScope.Agent => $"The agent is contained: {containment.Reason}",
        ContainmentScope.Owner => $"All agents of {containment.TargetLabel} are contained: {containment.Reason}",
        _ => $"Segment '{containment.TargetLabel}' is contained: {containment.Reason}",
    };

    private static FrozenDictionary<string, ActiveContainment> Index(IReadOnlyList<ActiveContainment> all, ContainmentScope scope, StringComparer comparer) =>
        all.Where(c => c.Scope == scope)
            .GroupBy(c => c.Target, comparer)
            .ToFrozenDictionary(g => g.Key, g => g.MinBy(c => c.TrippedAt)!, comparer);
}
