using Warden.Domain.Autonomy;
using Warden.Domain.Behaviour;

namespace Warden.Features.Behaviour;

/// <summary>
/// An agent's behaviour left its baseline on one decision: what, by how much (score 0–100), and why
/// in words. The decision is recorded as a violation of kind anomaly; a high score may trip a breaker.
/// </summary>
public sealed class AnomalyAlert
{
    public const string IdPrefix = "anm_";
    public const int MaxExplanationLength = 500;

    public string Id { get; set; } = string.Empty;
    public string AgentId { get; set; } = string.Empty;
    public string DecisionId { get; set; } = string.Empty;
    public DateTimeOffset DetectedAt { get; set; }
    public AnomalyKind Kind { get; set; }
    public int Score { get; set; }
    public string Explanation { get; set; } = string.Empty;
    public ViolationSeverity Severity { get; set; }

    /// <summary>The anomalous request had not run when the alert was raised (it was denied, held for approval, or its grant unused).</summary>
    public bool BeforeExecution { get; set; }

    /// <summary>The containment the alert tripped, if it tripped one.</summary>
    public string? ContainmentId { get; set; }
}

/// <summary>A persisted baseline: the whole state of one agent's <see cref="AgentBaseline"/> as JSON, so it survives a restart.</summary>
public sealed class AgentBaselineRecord
{
    public string AgentId { get; set; } = string.Empty;
    public string State { get; set; } = "{}";
    public long Observations { get; set; }
    public DateTimeOffset SavedAt { get; set; }
}
