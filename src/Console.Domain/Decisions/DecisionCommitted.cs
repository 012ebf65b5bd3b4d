using Warden.Domain.Approvals;
using Warden.Domain.Autonomy;

namespace Warden.Domain.Decisions;

/// <summary>
/// A decision and its audit event are durable. Breakers, baselines, the approvals feed and automatic
/// demotion learn of it from this, never by the decision path calling them. Tool and resource are as
/// recorded (masked).
/// </summary>
public sealed record DecisionCommitted(
    string DecisionId,
    string AgentId,
    string OwnerId,
    string Segment,
    Decision Decision,
    DateTimeOffset DecidedAt,
    string Tool,
    string Resource,
    ViolationSeverity? Severity,
    string? ReviewOf,
    OpenedApproval? Approval)
{
    public bool IsOutputReview => ReviewOf is not null;

    /// <summary>The code a violation is known by: the last reason of several (the one that refused), else the only one.</summary>
    public string ViolationCode => Decision.Reasons.Count > 1 ? Decision.Reasons[^1].Code : Decision.PrimaryReason.Code;
}

/// <summary>The approval request a held decision opened, and the officers' notification queued with it.</summary>
public sealed record OpenedApproval(string RequestId, ApprovalState State, string? NotificationId);
