namespace Warden.Domain.Agents;

/// <summary>The directory upkeep suspended an agent whose owner's attestation is overdue beyond the grace period.</summary>
public sealed record AgentSuspendedForAttestation(string AgentId, int GraceDays);
