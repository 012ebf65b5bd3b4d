namespace Warden.Domain.Autonomy;

/// <summary>
/// What Warden measured about an agent at one moment, the input to its promotion criteria.
/// <paramref name="CleanSince"/> is the last critical violation, or the registration when there was none.
/// <paramref name="EvidenceVerified"/> is whether the latest evidence pack covering the agent verifies (false when there is none); null when not measured.
/// </summary>
public sealed record TrackRecord(
    int Level,
    DateTimeOffset LevelSince,
    DateTimeOffset CleanSince,
    int DecisionsAtLevel,
    int ReviewedFindings,
    int FalsePositives,
    bool AttestationCurrent,
    bool? EvidenceVerified);
