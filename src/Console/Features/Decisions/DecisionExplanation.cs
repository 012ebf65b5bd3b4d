namespace Warden.Features.Decisions;

/// <summary>One rule a decision weighed: what it says, what it does, and whether it decided.</summary>
/// <param name="Known">False when the rule is no longer in the stored policy version (its description is then unknown).</param>
public sealed record ExplainedRule(string Id, string Description, string Effect, bool Decided, bool Known);

/// <summary>Why one decision came out as it did, in words a person can follow, with its (masked) request.</summary>
public sealed record DecisionExplanation(
    string DecisionId,
    string AgentId,
    string AgentName,
    DateTimeOffset DecidedAt,
    string Tool,
    string Operation,
    string Resource,
    int Records,
    decimal Amount,
    string? Currency,
    string Outcome,
    string State,
    string Summary,
    IReadOnlyList<ReasonBody> Reasons,
    IReadOnlyList<ExplainedRule> Rules,
    string? RiskTier,
    string PolicyVersion,
    int? PolicyVersionId,
    int RequiredApprovals,
    string? WhoMayApprove,
    bool IsViolation,
    string? Parameters,
    string? Justification);
