using Warden.Domain.Guardrails;

namespace Warden.Features.Decisions.Provenance;

/// <summary>
/// What a provenance token says about one released output: the review that released it, the action
/// it came from, the agent and tool, when, the SHA-256 of exactly the released text, and what was masked.
/// </summary>
public sealed record ReleaseClaims(
    string Issuer,
    string ReviewId,
    string DecisionId,
    string AgentId,
    string Tool,
    string Digest,
    DateTimeOffset ReleasedAt,
    IReadOnlyList<MaskedKind> Masked);
