using System.Text.Json;

namespace Warden.Features.Decisions;

public sealed record DecisionImpactBody(int? Records, decimal? Amount, string? Currency);

/// <summary>The body of <c>POST /api/v1/decisions</c>.</summary>
public sealed record DecisionRequestBody(
    string? Tool,
    string? Operation,
    string? Resource,
    JsonElement? Parameters,
    DecisionImpactBody? Impact,
    string? Justification);

public sealed record ReasonBody(string Code, string Message);

public sealed record GrantBody(string Token, DateTimeOffset ExpiresAt);

public sealed record ApprovalBody(string Id, int RequiredApprovals, DateTimeOffset ExpiresAt);

public sealed record DecisionResponse(
    string Id,
    string Outcome,
    string State,
    IReadOnlyList<ReasonBody> Reasons,
    GrantBody? Grant,
    ApprovalBody? Approval,
    string PolicyVersion,
    string? RiskTier);

/// <summary>The body of <c>POST /api/v1/decisions/{id}/outcome</c>.</summary>
/// <summary>What an agent is about to release after an allowed action: text or any JSON.</summary>
public sealed record OutputReviewBody(JsonElement? Output);

public sealed record OutcomeReportBody(string? Grant, string? Status, int? Records, decimal? Amount, string? Detail);

public sealed record OutcomeResponse(string DecisionId, string Status, DateTimeOffset RecordedAt);

public sealed record AgentSelfResponse(
    string Id,
    string Name,
    string Status,
    int AutonomyLevel,
    string Segment,
    int RateLimitPerMinute,
    object Caps,
    IReadOnlyList<object> Tools,
    IReadOnlyList<string> Scopes,
    bool Contained,
    string? ContainedReason);
