namespace Warden.Infrastructure.Cluster;

/// <summary>
/// One committed change to what decisions depend on (a containment, an agent's status or tools, its
/// credentials, the policy in force). Its <see cref="Epoch"/> is the state epoch: consecutive, written
/// under the audit chain's lock in the same transaction as the change and its audit events, so the
/// newest row is the state every decision committed after it must have been decided under.
/// </summary>
public sealed class StateChange
{
    public long Epoch { get; set; }

    /// <summary>The entity types that changed, for operators reading the table.</summary>
    public string Changed { get; set; } = string.Empty;

    public DateTimeOffset ChangedAt { get; set; }
}
