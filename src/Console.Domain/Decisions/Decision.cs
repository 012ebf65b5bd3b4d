using Warden.Domain.Agents;
using Warden.Domain.Policies;

namespace Warden.Domain.Decisions;

/// <summary>The engine's answer to one request, with everything the API and the audit log need.</summary>
public sealed record Decision(
    DecisionOutcome Outcome,
    IReadOnlyList<DecisionReason> Reasons,
    RiskTier? RiskTier,
    string PolicyVersion,
    int RequiredApprovals = 0,
    TimeSpan? ApprovalExpiry = null,
    string? MatchedRuleId = null,
    bool IsViolation = false,
    TimeSpan? RetryAfter = null)
{
    public static readonly TimeSpan DefaultApprovalExpiry = TimeSpan.FromMinutes(15);

    public bool IsAllowed => Outcome == DecisionOutcome.Allow;

    public bool IsRateLimited => RetryAfter is not null;

    public DecisionReason PrimaryReason => Reasons[0];

    /// <summary>
    /// The other rules that matched and were outweighed (the strongest of each other effect), so a
    /// person can see what else applied; null when none did.
    /// </summary>
    public IReadOnlyList<string>? OtherRuleIds { get; init; }

    /// <summary>For a pending decision made by a rule: the roles that rule lets decide; null means security officers.</summary>
    public IReadOnlyList<string>? EligibleRoles { get; init; }

    /// <summary>For an output released masked: the mask rules that matched; each masks the findings it counts.</summary>
    public IReadOnlyList<PolicyRule>? MaskRules { get; init; }

    /// <summary>An allow whose action its owner or an officer reviews after it ran (autonomy level 1, or a rule with <c>review: after</c>).</summary>
    public bool ReviewAfter { get; init; }
}
