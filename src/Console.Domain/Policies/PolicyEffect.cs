using Warden.Domain.People;

namespace Warden.Domain.Policies;

public enum PolicyEffectKind
{
    Allow,
    Deny,
    RequireApproval,
    /// <summary>For outputs: the findings the rule counts are masked in what is released.</summary>
    Mask,
}

/// <summary>What a matching rule does: allow, deny with a message for the agent, ask people first, or (on outputs) mask what it finds.</summary>
public sealed record PolicyEffect
{
    public const int DefaultExpiryMinutes = 15;
    public const int MaxExpiryMinutes = 7 * 24 * 60;

    /// <summary>Who decides when a rule does not say: security officers.</summary>
    public static readonly IReadOnlyList<string> DefaultEligibleRoles = [Roles.SecurityOfficer];

    private PolicyEffect(PolicyEffectKind kind, string? message, int approvers, int expiryMinutes, IReadOnlyList<string>? eligibleRoles = null, bool reviewAfter = false)
    {
        Kind = kind;
        ReviewAfter = reviewAfter;
        Message = message;
        Approvers = approvers;
        ExpiryMinutes = expiryMinutes;
        EligibleRoles = eligibleRoles ?? DefaultEligibleRoles;
    }

    public PolicyEffectKind Kind { get; }
    public string? Message { get; }
    public int Approvers { get; }
    public int ExpiryMinutes { get; }
    /// <summary>For approval rules: the roles, any one of which a voter holds (besides being a security officer) to decide.</summary>
    public IReadOnlyList<string> EligibleRoles { get; }
    /// <summary>For allow rules (<c>review: after</c>): the action runs at once and its owner or an officer reviews it afterwards.</summary>
    public bool ReviewAfter { get; }

    public static PolicyEffect Allow { get; } = new(PolicyEffectKind.Allow, null, 0, 0);

    public static PolicyEffect AllowWithReview { get; } = new(PolicyEffectKind.Allow, null, 0, 0, reviewAfter: true);

    public static PolicyEffect Deny(string message) => new(PolicyEffectKind.Deny, message, 0, 0);

    /// <summary>
    /// Releases an output with the findings the rule counts masked. Only output reviews apply it: a
    /// request's parameters go to the tool as they were decided, so for requests the rule does nothing.
    /// </summary>
    public static PolicyEffect Mask { get; } = new(PolicyEffectKind.Mask, null, 0, 0);

    public static Result<PolicyEffect> RequireApproval(int approvers = 1, int expiryMinutes = DefaultExpiryMinutes, IReadOnlyList<string>? eligibleRoles = null)
    {
        if (approvers is < 1 or > 2)
            return PolicyErrors.InvalidApprovers(approvers);
        if (expiryMinutes is < 1 or > MaxExpiryMinutes)
            return PolicyErrors.InvalidExpiry(expiryMinutes);
        if (eligibleRoles is { Count: 0 })
            return PolicyErrors.NoEligibleRole;
        foreach (var role in eligibleRoles ?? [])
        {
            if (CheckEligible(role) is { } refused)
                return refused;
        }
        var roles = eligibleRoles?.Distinct(StringComparer.Ordinal).ToArray();
        return new PolicyEffect(PolicyEffectKind.RequireApproval, null, approvers, expiryMinutes, roles);
    }

    /// <summary>Why <paramref name="role"/> cannot be named as approvers, or null when it can: auditors only read.</summary>
    public static Error? CheckEligible(string role)
    {
        ArgumentNullException.ThrowIfNull(role);
        if (!Roles.IsKnown(role))
            return PolicyErrors.UnknownRole(role);
        return role == Roles.Auditor ? PolicyErrors.RoleCannotApprove(role) : null;
    }
}
