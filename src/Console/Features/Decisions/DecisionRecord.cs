using Warden.Domain.Decisions;

namespace Warden.Features.Decisions;

/// <summary>
/// One answered request of an agent, as stored: what it asked (parameters PII-masked), what Warden
/// answered and why, and what the agent reported back. Written in the same transaction as its audit event.
/// </summary>
public sealed class DecisionRecord
{
    public const char RuleIdSeparator = ' ';

    public string Id { get; set; } = string.Empty;
    public string AgentId { get; set; } = string.Empty;
    public DateTimeOffset DecidedAt { get; set; }
    public string Tool { get; set; } = string.Empty;
    public string Operation { get; set; } = string.Empty;
    public string Resource { get; set; } = string.Empty;
    public string? Parameters { get; set; }
    public int Records { get; set; }
    public decimal Amount { get; set; }
    public string? Currency { get; set; }
    /// <summary>Which figures of its impact the request declared; one left out is stored as zero.</summary>
    public ImpactFigures ImpactDeclared { get; set; }
    public string? Justification { get; set; }
    public DecisionOutcome Outcome { get; set; }
    public DecisionState State { get; set; }
    public string Reasons { get; set; } = "[]";
    public string? RiskTier { get; set; }
    public string PolicyVersion { get; set; } = string.Empty;
    public string? MatchedRuleId { get; set; }
    /// <summary>The other rules that matched but were outweighed, separated by <see cref="RuleIdSeparator"/>; null when none.</summary>
    public string? OtherRuleIds { get; set; }
    public bool IsViolation { get; set; }
    /// <summary>How grave the violation was (null when the decision was no violation); critical ones demote the agent.</summary>
    public Warden.Domain.Autonomy.ViolationSeverity? ViolationSeverity { get; set; }
    public string RequestDigest { get; set; } = string.Empty;
    public string? IdempotencyKey { get; set; }
    public int RequiredApprovals { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    /// <summary>When the grant of an approved decision lapses (an allowed one lapses at <see cref="ExpiresAt"/>).</summary>
    public DateTimeOffset? GrantExpiresAt { get; set; }
    /// <summary>When the agent reported the outcome with the grant.</summary>
    public DateTimeOffset? GrantUsedAt { get; set; }
    /// <summary>When a tool redeemed the grant (once) before running the action; independent of the outcome report.</summary>
    public DateTimeOffset? GrantRedeemedAt { get; set; }
    public string? OutcomeStatus { get; set; }
    public int? OutcomeRecords { get; set; }
    public decimal? OutcomeAmount { get; set; }
    public string? OutcomeDetail { get; set; }
    public DateTimeOffset? OutcomeAt { get; set; }
    /// <summary>The preview of the action (masked JSON: summary, changes, records, amount, currency); null without one.</summary>
    public string? Preview { get; set; }
    /// <summary>The SHA-256 digest of the preview as given (before masking): what the approval and the grant are bound to.</summary>
    public string? PreviewDigest { get; set; }
    /// <summary>For the review of an agent's output: the decision whose action produced it. Reviews carry no grant.</summary>
    public string? ReviewOf { get; set; }
}

/// <summary>Where a decision stands now; pending ones move on through approval or expiry.</summary>
public enum DecisionState
{
    Allowed,
    Denied,
    Pending,
    Approved,
    Rejected,
    Expired,
    Cancelled,
    Completed,
}
