namespace Warden.Domain.Autonomy;

/// <summary>
/// What Warden measured about an agent at one moment, the input to its promotion criteria.
/// <paramref name="CleanSince"/> is the last critical violation, or the registration when there was none.
/// <paramref name="EvidenceVerified"/> is whether the latest evidence pack covering the agent verifies (false when there is none); null when not measured.
/// <paramref name="AwaitingReview"/>, <paramref name="ReviewedActions"/> and <paramref name="RejectedActions"/> count the after-the-fact
/// reviews of its actions at its level; <paramref name="CompensableWriteTools"/> of its <paramref name="WriteTools"/> declare a
/// compensating action (null when that could not be read). <paramref name="LatestDrill"/> is its latest red-team drill, null when it has none.
/// </summary>
public sealed record TrackRecord(
    int Level,
    DateTimeOffset LevelSince,
    DateTimeOffset CleanSince,
    int DecisionsAtLevel,
    int ReviewedFindings,
    int FalsePositives,
    bool AttestationCurrent,
    bool? EvidenceVerified,
    int AwaitingReview = 0,
    int ReviewedActions = 0,
    int RejectedActions = 0,
    int WriteTools = 0,
    int? CompensableWriteTools = 0,
    DrillResult? LatestDrill = null);

/// <summary>The latest red-team drill of an agent: when it completed and the share of cases passed, in per cent.</summary>
public sealed record DrillResult(string DrillId, DateTimeOffset CompletedAt, double Score);
