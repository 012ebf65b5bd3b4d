namespace Warden.Infrastructure.Cluster;

/// <summary>
/// The entity types whose committed changes can change what a decision answers. Each feature names
/// its own with <see cref="ClusterRegistration.AddDecisionState{TEntity}"/>; the audit writer advances
/// the state epoch whenever a transaction it commits adds, changes or deletes one of them, and names
/// the rows that changed by the key each type gives.
/// </summary>
public sealed class DecisionState(IEnumerable<DecisionStateType> types)
{
    private readonly Dictionary<Type, DecisionStateType> _types = types.ToDictionary(t => t.Type);

    public bool Includes(Type type) => _types.ContainsKey(type);

    /// <summary>The key naming a changed row of a decision-state type for other instances (null: not nameable).</summary>
    public string? KeyOf(Type type, object entity) =>
        _types.TryGetValue(type, out var registered) && registered.Key is { } key ? key(entity) : null;
}

/// <param name="Type">The entity type.</param>
/// <param name="Key">What names a changed row to the views that follow it (for example its agent's id); null when they read the type whole.</param>
public sealed record DecisionStateType(Type Type, Func<object, string?>? Key = null);
