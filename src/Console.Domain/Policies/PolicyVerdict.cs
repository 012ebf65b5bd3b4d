namespace Warden.Domain.Policies;

/// <summary>
/// The strongest rule of each effect that matched a request. Deny overrides require-approval, which
/// overrides mask, which overrides allow; among approval rules the one asking for more approvers
/// wins. <see cref="Masks"/> holds every mask rule that matched an output (in policy order), since
/// each masks the findings it counts; it is null for requests and when none matched.
/// </summary>
public readonly record struct PolicyVerdict(PolicyRule? Deny, PolicyRule? Approval, PolicyRule? Allow, IReadOnlyList<PolicyRule>? Masks = null)
{
    public PolicyRule? Decisive => Deny ?? Approval ?? (Masks is { Count: > 0 } masks ? masks[0] : null) ?? Allow;
}
