using System.ComponentModel.DataAnnotations;
using Warden.Domain.Autonomy;

namespace Warden.Features.Autonomy;

/// <summary>Promotion criteria, request lifetime, violation severities and automatic demotion (section <c>Autonomy</c>).</summary>
public sealed class AutonomyOptions
{
    public const string SectionName = "Autonomy";

    /// <summary>An open promotion request nobody decided expires after this many days.</summary>
    [Range(1, 90)]
    public int RequestExpiryDays { get; set; } = 14;

    public PromotionCriteriaSettings ToLevel1 { get; set; } = PromotionCriteriaSettings.From(LevelCriteria.Defaults[0]);

    public PromotionCriteriaSettings ToLevel2 { get; set; } = PromotionCriteriaSettings.From(LevelCriteria.Defaults[1]);

    public PromotionCriteriaSettings ToLevel3 { get; set; } = PromotionCriteriaSettings.From(LevelCriteria.Defaults[2]);

    /// <summary>Severity per violation reason code; entries here add to or replace the defaults.</summary>
    public Dictionary<string, ViolationSeverity> Severities { get; set; } = new(SeverityTable.DefaultCodes, StringComparer.Ordinal);

    /// <summary>Severity of a guardrail refusal per finding family (secret, injection, pii).</summary>
    public Dictionary<string, ViolationSeverity> FindingSeverities { get; set; } = new(SeverityTable.DefaultFindingFamilies, StringComparer.Ordinal);

    /// <summary>The severity of a violation whose code is not listed.</summary>
    public ViolationSeverity DefaultSeverity { get; set; } = ViolationSeverity.Medium;

    public DemotionStep OnCriticalViolation { get; set; } = DemotionStep.ToZero;

    public DemotionStep OnBreakerTrip { get; set; } = DemotionStep.OneLevel;

    /// <summary>Applied when the directory upkeep suspends an agent whose attestation is overdue beyond the enforcement limit.</summary>
    public DemotionStep OnAttestationOverdue { get; set; } = DemotionStep.OneLevel;

    public LevelCriteria? CriteriaFor(int targetLevel) => targetLevel switch
    {
        1 => ToLevel1.ToCriteria(1),
        2 => ToLevel2.ToCriteria(2),
        3 => ToLevel3.ToCriteria(3),
        _ => null,
    };

    public SeverityTable BuildSeverityTable() => new(Severities, FindingSeverities, DefaultSeverity);
}

public enum DemotionStep
{
    None,
    OneLevel,
    ToZero,
}

public sealed class PromotionCriteriaSettings
{
    [Range(0, 3650)]
    public int MinDaysAtLevel { get; set; }

    [Range(0, 100_000_000)]
    public int MinDecisions { get; set; }

    [Range(0, 3650)]
    public int CriticalFreeDays { get; set; }

    /// <summary>A fraction (0.01 is 1 %); empty leaves the criterion out.</summary>
    [Range(0.0, 1.0)]
    public double? MaxFalsePositiveRate { get; set; }

    public bool RequireAttestation { get; set; }

    /// <summary>Evidence packs are not built yet: while required, this criterion fails and the owner must justify the request.</summary>
    public bool RequireVerifiedEvidence { get; set; }

    /// <summary>At most this many of the agent's actions at its level may still await their after-the-fact review; empty leaves the criterion out.</summary>
    [Range(0, 1_000_000)]
    public int? MaxAwaitingReview { get; set; }

    /// <summary>A fraction of the actions reviewed after the fact that were rejected (0.05 is 5 %); empty leaves the criterion out.</summary>
    [Range(0.0, 1.0)]
    public double? MaxRejectionRate { get; set; }

    /// <summary>How many of the agent's write tools must declare a compensating action; 0 leaves the criterion out.</summary>
    [Range(0, 1000)]
    public int MinCompensableWriteTools { get; set; }

    /// <summary>The share of its latest red-team drill's cases (per cent) the agent must have passed; empty leaves the criterion out.</summary>
    [Range(0, 100)]
    public int? MinRedTeamScore { get; set; }

    public static PromotionCriteriaSettings From(LevelCriteria criteria) => new()
    {
        MinDaysAtLevel = criteria.MinDaysAtLevel,
        MinDecisions = criteria.MinDecisions,
        CriticalFreeDays = criteria.CriticalFreeDays,
        MaxFalsePositiveRate = criteria.MaxFalsePositiveRate,
        RequireAttestation = criteria.RequireAttestation,
        RequireVerifiedEvidence = criteria.RequireVerifiedEvidence,
        MaxAwaitingReview = criteria.MaxAwaitingReview,
        MaxRejectionRate = criteria.MaxRejectionRate,
        MinCompensableWriteTools = criteria.MinCompensableWriteTools,
        MinRedTeamScore = criteria.MinRedTeamScore,
    };

    public LevelCriteria ToCriteria(int targetLevel) =>
        new(targetLevel, MinDaysAtLevel, MinDecisions, CriticalFreeDays, MaxFalsePositiveRate, RequireAttestation, RequireVerifiedEvidence,
            MaxAwaitingReview, MaxRejectionRate, MinCompensableWriteTools, MinRedTeamScore);
}
