using Warden.Domain.People;

namespace Warden.Domain.Agents;

/// <summary>A person proposed as owner or backup, as the directory of people sees them now.</summary>
public sealed record OwnerCandidate(UserId Id, bool IsActive, bool HoldsAgentOwnerRole)
{
    public bool IsEligible => IsActive && HoldsAgentOwnerRole;
}
