using Warden.Domain;

namespace Warden.Features.Decisions;

/// <summary>Expected failures of the agent API; each maps to one HTTP status and problem type.</summary>
public static class DecisionErrors
{
    public const string InvalidCode = "decision.invalid_request";
    public const string SchemaCode = "decision.schema_violation";

    public static readonly Error IdempotencyConflict = new("decision.idempotency_conflict", "This Idempotency-Key was used with a different request.");
    public static readonly Error UnknownAgent = new("decision.unknown_agent", "The token does not belong to a registered agent.");
    public static readonly Error PolicyUnverified = new("decision.policy_unverified",
        "No verified policy is in force (no published version matches both its hash and its publication event in the audit log), so every request is refused until an officer publishes one.");
    public static readonly Error AgentSettingsUnverified = new("decision.agent_settings_unverified",
        "This agent's stored tools, scopes or limits differ from the last change recorded through Warden, so its requests are refused until an officer saves the agent again.");
    public static readonly Error Unavailable = new("decision.unavailable", "The decision could not be recorded, so it is refused.");

    public static readonly Error StateBehind = new("decision.unavailable",
        "This instance has not caught up with the latest containment, agent and policy changes, so the request is refused; retry shortly.");
    public static readonly Error GrantInvalid = new("decision.grant_invalid", "The grant does not belong to this decision.");
    public static readonly Error GrantRevoked = new("decision.grant_revoked",
        "The grant was issued before the agent was contained or its credentials were revoked; ask again.");

    public static readonly Error GrantUsed = new("decision.grant_used", "The grant was already used; a grant is good for one execution.");
    public static readonly Error GrantExpired = new("decision.grant_expired", "The grant has expired; ask for a new decision.");
    public static readonly Error GrantMismatch = new("decision.grant_mismatch",
        "The grant was given for another call: its digest, tool, operation or resource differs from the call about to run.");

    public static readonly Error ToolClientRefused = new("decision.tool_client_refused", "The tool client is revoked or unknown.");
    public static readonly Error GrantsScopeMissing = new("decision.insufficient_scope",
        "Only a tool client (an automation client with the grants scope) may redeem grants.");

    public const string ContainedCode = "decision.contained";

    /// <summary>A request of an agent whose tokens the gate now refuses, caught after it passed the gate: refused as the gate refuses it.</summary>
    public static Error Contained(string reason) => new(ContainedCode, reason);

    public static Error Invalid(string detail) => new(InvalidCode, detail);

    public static Error NotFound(string id) => new("decision.not_found", $"No decision '{id}' of this agent.");

    public static Error GrantNotUsable(DecisionState state) =>
        new("decision.grant_not_usable", $"The decision is {state.ToString().ToLowerInvariant()}; only allowed or approved decisions can be executed.");

    public static Error SchemaViolations(IReadOnlyList<SchemaViolation> violations) =>
        new(SchemaCode, string.Join('\n', violations.Select(v => $"{v.Path}: {v.Message.ReplaceLineEndings(" ")}")));
}
