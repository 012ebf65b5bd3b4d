namespace Warden.Domain.Policies;

/// <summary>
/// The strongest rule of each effect that matched a request. Deny overrides require-approval, which
/// overrides allow; among approval rules the one asking for more approvers wins.
/// </summary>
public readonly record struct PolicyVerdict(PolicyRule? Deny, PolicyRule? Approval, PolicyRule? Allow)
{
    public PolicyRule? Decisive => Deny ?? Approval ?? Allow;
}
