namespace Warden.Domain.Autonomy;

/// <summary>
/// What an agent must show to be promoted to <see cref="TargetLevel"/>. A zero or null threshold
/// leaves that criterion out of the table. <see cref="MaxAwaitingReview"/> and <see cref="MaxRejectionRate"/>
/// judge the after-the-fact reviews of the agent's actions at its level (level 1);
/// <see cref="MinCompensableWriteTools"/> counts the write tools that declare a compensating action,
/// the only ones whose changes go alone at level 2. <see cref="MinRedTeamScore"/> is the share in per cent of the
/// latest red-team drill's cases the agent must have passed; no drill fails it.
/// </summary>
public sealed record LevelCriteria(
    int TargetLevel,
    int MinDaysAtLevel,
    int MinDecisions,
    int CriticalFreeDays,
    double? MaxFalsePositiveRate,
    bool RequireAttestation,
    bool RequireVerifiedEvidence,
    int? MaxAwaitingReview = null,
    double? MaxRejectionRate = null,
    int MinCompensableWriteTools = 0,
    int? MinRedTeamScore = null)
{
    /// <summary>DESIGN section 8.</summary>
    public static IReadOnlyList<LevelCriteria> Defaults { get; } =
    [
        new(1, MinDaysAtLevel: 14, MinDecisions: 100, CriticalFreeDays: 14, MaxFalsePositiveRate: null, RequireAttestation: false, RequireVerifiedEvidence: false),
        new(2, MinDaysAtLevel: 30, MinDecisions: 500, CriticalFreeDays: 30, MaxFalsePositiveRate: 0.01, RequireAttestation: false, RequireVerifiedEvidence: false,
            MaxAwaitingReview: 0, MaxRejectionRate: 0.05, MinCompensableWriteTools: 1, MinRedTeamScore: 90),
        new(3, MinDaysAtLevel: 0, MinDecisions: 0, CriticalFreeDays: 90, MaxFalsePositiveRate: 0.005, RequireAttestation: true, RequireVerifiedEvidence: true,
            MinRedTeamScore: 90),
    ];
}
