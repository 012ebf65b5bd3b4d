using System.Text.Json;
using System.Text.Json.Serialization;
using Warden.Infrastructure.Hosting;

namespace Warden.Features.Decisions;

[ApiRequired]
public sealed record DecisionImpactBody(int? Records, decimal? Amount, string? Currency);

/// <summary>
/// What the action would change, for the people who approve it: a one-line summary, the changes as
/// text (a diff or a list, at most 16,000 characters), the records it touches (at most 100) and the
/// amount it moves. Its SHA-256 digest over a canonical form binds the approval and the grant.
/// </summary>
[ApiRequired("summary")]
public sealed record PreviewBody(string? Summary, string? Changes, IReadOnlyList<string?>? Records, decimal? Amount, string? Currency);

/// <summary>The body of <c>POST /api/v1/decisions</c>.</summary>
[ApiRequired("tool", "operation", "resource")]
public sealed record DecisionRequestBody(
    string? Tool,
    string? Operation,
    string? Resource,
    JsonElement? Parameters,
    DecisionImpactBody? Impact,
    string? Justification)
{
    /// <summary>
    /// True: decide the request through the whole path and say what would happen and why, but reserve
    /// nothing (no decision, no grant, no rate or budget count, no approval request). The answer's
    /// state is <c>dry_run</c>; the attempt is recorded in the audit log as <c>decision.dry_run</c>.
    /// </summary>
    public bool? DryRun { get; init; }

    /// <summary>
    /// A preview of what the action would change, shown on the approval card. Not part of the request
    /// digest (the grant's <c>digest</c> stays what tools check): it has its own digest, answered as
    /// <c>previewDigest</c>. A tool whose hook fetches previews from its own endpoint ignores this one.
    /// </summary>
    public PreviewBody? Preview { get; init; }
}

/// <summary>
/// Why a decision stands as it does. Reasons about an officer's vote (code <c>approval_vote</c>) also
/// name the voter, the verdict and when it was cast; other reasons leave those out.
/// </summary>
public sealed record ReasonBody(
    string Code,
    string Message,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Voter = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Verdict = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? CastAt = null);

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
    string? RiskTier)
{
    /// <summary>For an output review that releases the output: what may leave, exactly, with its signed provenance.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ReleaseBody? Release { get; init; }

    /// <summary>The SHA-256 digest of the preview the decision stands on; the outcome report names it back. Absent without a preview.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? PreviewDigest { get; init; }
}

/// <summary>
/// A released output: <c>output</c> as JSON, <c>text</c> exactly as released (the string itself for a
/// text output, otherwise the JSON as Warden wrote it), the SHA-256 of <c>text</c> in UTF-8 (lowercase
/// hex), what was masked (kinds and counts, never the values) and the provenance token (compact JWS).
/// </summary>
public sealed record ReleaseBody(JsonElement Output, string Text, string Digest, IReadOnlyList<Warden.Domain.Guardrails.MaskedKind> Masked, string Provenance);

/// <summary>
/// What an agent is about to release after an allowed action (text or any JSON) and, optionally, where
/// to: a host, e-mail address or URL. An output whose destination none of the agent's scopes covers,
/// or that names none, is treated as leaving the agent's scopes (the default policy masks its personal data).
/// </summary>
[ApiRequired("output")]
public sealed record OutputReviewBody(JsonElement? Output, string? Destination = null);

/// <summary>
/// The body of <c>POST /api/v1/outputs/verify</c>: a provenance token and either the released text
/// exactly or its SHA-256 (64 hex digits).
/// </summary>
[ApiRequired("provenance")]
public sealed record ProvenanceCheckBody(string? Provenance, string? Text, string? Digest);

/// <summary>Whether a provenance token is Warden's, on record, and for exactly this output; <c>reason</c> is a stable code.</summary>
public sealed record ProvenanceCheckResponse(bool Valid, string Reason, string Detail, ProvenanceClaimsBody? Claims);

public sealed record ProvenanceClaimsBody(
    string ReviewId, string DecisionId, string AgentId, string Tool, string Digest, DateTimeOffset ReleasedAt, IReadOnlyList<Warden.Domain.Guardrails.MaskedKind> Masked);

/// <summary>The body of <c>POST /api/v1/decisions/{id}/outcome</c>.</summary>
[ApiRequired("grant", "status")]
public sealed record OutcomeReportBody(string? Grant, string? Status, int? Records, decimal? Amount, string? Detail)
{
    /// <summary>For an action decided on a preview: the digest of the preview it ran (the answer's <c>previewDigest</c>); another or none is a violation.</summary>
    public string? PreviewDigest { get; init; }
}

public sealed record OutcomeResponse(string DecisionId, string Status, DateTimeOffset RecordedAt);

/// <summary>The agent's impact caps; null where no cap is set.</summary>
public sealed record AgentCapsBody(int? MaxRecordsPerAction, decimal? MaxAmountPerAction, long? DailyRecordBudget, decimal? DailyAmountBudget, string? Currency);

/// <summary>A tool on the agent's allowlist: its operations, risk tier and whether its parameters have a schema.</summary>
public sealed record AgentToolBody(string Name, IReadOnlyList<string> Operations, string Risk, bool HasSchema);

public sealed record AgentSelfResponse(
    string Id,
    string Name,
    string Status,
    int AutonomyLevel,
    string Segment,
    int RateLimitPerMinute,
    AgentCapsBody Caps,
    IReadOnlyList<AgentToolBody> Tools,
    IReadOnlyList<string> Scopes,
    bool Contained,
    string? ContainedReason);
