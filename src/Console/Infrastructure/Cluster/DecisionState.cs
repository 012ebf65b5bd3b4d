namespace Warden.Infrastructure.Cluster;

/// <summary>
/// The entity types whose committed changes can change what a decision answers. Each feature names
/// its own with <see cref="ClusterRegistration.AddDecisionState{TEntity}"/>; the audit writer advances
/// the state epoch whenever a transaction it commits adds, changes or deletes one of them.
/// </summary>
public sealed class DecisionState(IEnumerable<DecisionStateType> types)
{
    private readonly HashSet<Type> _types = [.. types.Select(t => t.Type)];

    public bool Includes(Type type) => _types.Contains(type);
}

public sealed record DecisionStateType(Type Type);
