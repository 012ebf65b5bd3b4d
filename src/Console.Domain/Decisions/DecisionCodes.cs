namespace Warden.Domain.Decisions;

/// <summary>Stable reason codes; agents and reports key on them, so they never change meaning.</summary>
public static class DecisionCodes
{
    public const string Contained = "contained";
    public const string AgentNotActive = "agent_not_active";
    public const string AttestationOverdue = "attestation_overdue";
    public const string ToolNotAllowed = "tool_not_allowed";
    public const string OperationNotAllowed = "operation_not_allowed";
    public const string ResourceOutOfScope = "resource_out_of_scope";
    public const string RateLimited = "rate_limited";
    public const string CapExceeded = "cap_exceeded";
    public const string CurrencyMismatch = "currency_mismatch";
    public const string DailyBudgetExceeded = "daily_budget_exceeded";
    public const string GuardrailUnchecked = "guardrail_unchecked";
    public const string GuardrailFinding = "guardrail_finding";
    public const string OutputReleased = "output_released";
    /// <summary>An output released with what a mask rule counts masked.</summary>
    public const string OutputMasked = "output_masked";
    /// <summary>An output that could not be scrubbed or given its provenance, so it is not released.</summary>
    public const string OutputWithheld = "output_withheld";
    public const string PolicyDeny = "policy_deny";
    public const string PolicyRequiresApproval = "policy_requires_approval";
    public const string AutonomyRequiresApproval = "autonomy_requires_approval";
    public const string CriticalRequiresTwoApprovers = "critical_requires_two_approvers";
    public const string AllowedByPolicy = "allowed_by_policy";
    public const string AllowedByAutonomy = "allowed_by_autonomy";
    /// <summary>Follows the reason of an allow: the action may run now, and a person reviews it afterwards.</summary>
    public const string ReviewAfter = "review_after";
    /// <summary>Not an answer to a request: a person rejected the action on review after it ran, which makes it a violation.</summary>
    public const string ReviewRejected = "review_rejected";
    public const string EvaluationError = "evaluation_error";
    /// <summary>A rule requires the request to declare its impact, and it declared none.</summary>
    public const string ImpactRequired = "impact_required";
    /// <summary>Not an answer to a request: the outcome reported more records or a larger amount than the request declared.</summary>
    public const string ImpactOverReported = "impact_over_reported";
    /// <summary>Not an answer to a request: the outcome reported more than the agent's per-action cap allows.</summary>
    public const string ImpactOverCap = "impact_over_cap";
    /// <summary>A rule requires a preview of the action (<c>require: preview</c>), and the request had none (or it could not be read).</summary>
    public const string PreviewRequired = "preview_required";
    /// <summary>The tool declares a preview sent by the agent, and the request carried none: held, never allowed.</summary>
    public const string PreviewMissing = "preview_missing";
    /// <summary>The tool's preview endpoint was down, slow, answered garbage or an unexpected status: held or refused, never allowed.</summary>
    public const string PreviewUnavailable = "preview_unavailable";
    /// <summary>Not an answer to a request: the outcome named another preview digest (or none) than the one the action was approved on.</summary>
    public const string PreviewMismatch = "preview_mismatch";
    /// <summary>Not an answer to a request: the preview of a held action changed, voiding the approvals cast on the earlier one.</summary>
    public const string PreviewChanged = "preview_changed";
    public const string Approved = "approved";
    public const string ApprovalDenied = "approval_denied";
    public const string ApprovalExpired = "approval_expired";
    public const string ApprovalCancelled = "approval_cancelled";
    /// <summary>One officer's vote on a held action, with its reason; one per vote, before the outcome.</summary>
    public const string ApprovalVote = "approval_vote";

    /// <summary>Not an answer to a request: the kind of violation recorded when a decision leaves the agent's behaviour baseline.</summary>
    public const string Anomaly = "anomaly";
}
