using System.Collections.Frozen;
using Warden.Domain.Decisions;

namespace Warden.Components.Shared;

/// <summary>
/// The stable codes that agents, reports and the audit log key on, put into words for people. Pages show
/// the words and keep the code at hand (on hover or in the detail); every page that shows a code reads it here.
/// </summary>
public static class PlainWords
{
    private static readonly FrozenDictionary<string, string> Reasons = new Dictionary<string, string>
    {
        [DecisionCodes.Contained] = "Agent is contained",
        [DecisionCodes.AgentNotActive] = "Agent is not active",
        [DecisionCodes.AttestationOverdue] = "Owner's attestation is overdue",
        [DecisionCodes.ToolNotAllowed] = "Tool not declared for this agent",
        [DecisionCodes.OperationNotAllowed] = "Operation not declared for this tool",
        [DecisionCodes.ResourceOutOfScope] = "Resource outside the agent's scopes",
        [DecisionCodes.RateLimited] = "Over the agent's rate limit",
        [DecisionCodes.CapExceeded] = "Over a per-action cap",
        [DecisionCodes.CurrencyMismatch] = "Amount in another currency than the caps",
        [DecisionCodes.DailyBudgetExceeded] = "Over the daily budget",
        [DecisionCodes.GuardrailUnchecked] = "Content could not be scanned",
        [DecisionCodes.GuardrailFinding] = "Flagged by a guardrail scanner",
        [DecisionCodes.OutputReleased] = "Output may be released",
        [DecisionCodes.OutputMasked] = "Output released with personal data masked",
        [DecisionCodes.OutputWithheld] = "Output withheld: it could not be masked or signed",
        [DecisionCodes.PolicyDeny] = "Refused by a policy rule",
        [DecisionCodes.PolicyRequiresApproval] = "Held for approval by a policy rule",
        [DecisionCodes.AutonomyRequiresApproval] = "Held for approval at this autonomy level",
        [DecisionCodes.CriticalRequiresTwoApprovers] = "Critical risk: two approvers needed",
        [DecisionCodes.AllowedByPolicy] = "Allowed by a policy rule",
        [DecisionCodes.AllowedByAutonomy] = "Allowed at this autonomy level",
        [DecisionCodes.ReviewAfter] = "Runs now, reviewed afterwards by a person",
        [DecisionCodes.ReviewRejected] = "Rejected on review after it ran",
        [DecisionCodes.EvaluationError] = "Policy could not be evaluated, so refused",
        [DecisionCodes.ImpactRequired] = "Did not declare the impact a rule requires",
        [DecisionCodes.ImpactOverReported] = "Reported more than it declared",
        [DecisionCodes.ImpactOverCap] = "Reported more than a per-action cap allows",
        [DecisionCodes.PreviewRequired] = "Did not carry the preview a rule requires",
        [DecisionCodes.PreviewMissing] = "The tool declares a preview; none was sent",
        [DecisionCodes.PreviewUnavailable] = "The tool's preview could not be read",
        [DecisionCodes.PreviewMismatch] = "Ran another change than the approved preview",
        [DecisionCodes.PreviewChanged] = "The preview changed; earlier approvals are void",
        [DecisionCodes.Approved] = "Approved by an officer",
        [DecisionCodes.ApprovalDenied] = "Denied by an officer",
        [DecisionCodes.ApprovalVote] = "An officer's vote, in their own words",
        [DecisionCodes.ApprovalExpired] = "Approval expired, so refused",
        [DecisionCodes.ApprovalCancelled] = "Approval withdrawn before anyone decided",
        [DecisionCodes.Anomaly] = "Left its behaviour baseline",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>"Resource outside the agent's scopes" for <c>resource_out_of_scope</c>; an unknown code reads as its words.</summary>
    public static string Reason(string? code) =>
        string.IsNullOrWhiteSpace(code) ? string.Empty
        : Reasons.TryGetValue(code, out var words) ? words
        : Sentence(code);

    /// <summary>"Circuit breaker “violation burst”" for <c>breaker:violation-burst</c>, "Automation client “SOAR”" for <c>automation:SOAR</c>; a person's name as it is.</summary>
    public static string Actor(string? name) => name switch
    {
        null or "" => string.Empty,
        _ when name.StartsWith("breaker:", StringComparison.Ordinal) => $"Circuit breaker “{Breaker(name["breaker:".Length..])}”",
        _ when name.StartsWith("automation:", StringComparison.Ordinal) => $"Automation client “{name["automation:".Length..]}”",
        _ => name,
    };

    /// <summary>"violation burst" for the breaker rule id <c>violation-burst</c>.</summary>
    public static string Breaker(string id) => id.Replace('-', ' ').Replace('_', ' ').Trim();

    /// <summary>"Policy default-2, saved version 1": the policy's own label and the console's version number.</summary>
    public static string PolicyVersion(string? label, int? versionId) => (string.IsNullOrWhiteSpace(label), versionId) switch
    {
        (true, null) => "No policy",
        (true, { } id) => $"Saved version {id}",
        (false, null) => $"Policy {label}",
        (false, { } id) => $"Policy {label}, saved version {id}",
    };

    private static string Sentence(string code)
    {
        var words = code.Replace('_', ' ').Replace('.', ' ').Trim();
        return words.Length == 0 ? code : char.ToUpperInvariant(words[0]) + words[1..];
    }
}
