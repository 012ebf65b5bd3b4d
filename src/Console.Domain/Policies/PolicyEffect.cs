namespace Warden.Domain.Policies;

public enum PolicyEffectKind
{
    Allow,
    Deny,
    RequireApproval,
}

/// <summary>What a matching rule does: allow, deny with a message for the agent, or ask people first.</summary>
public sealed record PolicyEffect
{
    public const int DefaultExpiryMinutes = 15;
    public const int MaxExpiryMinutes = 7 * 24 * 60;

    private PolicyEffect(PolicyEffectKind kind, string? message, int approvers, int expiryMinutes)
    {
        Kind = kind;
        Message = message;
        Approvers = approvers;
        ExpiryMinutes = expiryMinutes;
    }

    public PolicyEffectKind Kind { get; }
    public string? Message { get; }
    public int Approvers { get; }
    public int ExpiryMinutes { get; }

    public static PolicyEffect Allow { get; } = new(PolicyEffectKind.Allow, null, 0, 0);

    public static PolicyEffect Deny(string message) => new(PolicyEffectKind.Deny, message, 0, 0);

    public static Result<PolicyEffect> RequireApproval(int approvers = 1, int expiryMinutes = DefaultExpiryMinutes)
    {
        if (approvers is < 1 or > 2)
            return PolicyErrors.InvalidApprovers(approvers);
        if (expiryMinutes is < 1 or > MaxExpiryMinutes)
            return PolicyErrors.InvalidExpiry(expiryMinutes);
        return new PolicyEffect(PolicyEffectKind.RequireApproval, null, approvers, expiryMinutes);
    }
}
